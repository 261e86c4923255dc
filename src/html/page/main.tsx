import { render } from 'preact'
import { App } from './app.js'
import type { PageData } from './model.js'

// The data is gzipped JSON in base64 inside a <script type="application/octet-stream">: it is
// decoded and parsed, never evaluated, and nothing in it is ever HTML.

async function readData(el: HTMLElement): Promise<PageData> {
  const bin = atob((el.textContent ?? '').trim())
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))
  return JSON.parse(await new Response(stream).text()) as PageData
}

const el = document.getElementById('evalgate-data')
const root = document.getElementById('app')
if (el && root) {
  performance.mark('start')
  readData(el).then(
    (data) => {
      performance.mark('parsed')
      render(<App data={data} />, root)
      performance.mark('rendered')
    },
    (error: unknown) => {
      root.textContent = `This report's data could not be read: ${String(error)}`
      console.error(error)
    },
  )
}
