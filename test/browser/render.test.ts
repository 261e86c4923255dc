import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, inject, it } from 'vitest'
import { EvalgateError } from '../../src/base/errors.js'
import { readReportFile } from '../../src/core/report-file.js'
import { htmlPathFor, renderHtmlReport, writeHtmlReport } from '../../src/html/index.js'

// The writer's side of the HTML report, without a browser: what the page file holds.

const { hostile } = inject('browserReports')

function parts(html: string) {
  const data =
    /<script type="application\/octet-stream" id="evalgate-data"[^>]*>([^<]*)<\/script>/.exec(html)
  const script = /<script>([\s\S]*)<\/script>\n<\/body>/.exec(html)
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)
  return { data: data?.[1], script: script?.[1], style: style?.[1], csp: csp?.[1] }
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64')

describe('renderHtmlReport', () => {
  it('embeds the report exactly, in an alphabet that cannot end its element', () => {
    const report = readReportFile(hostile)
    const html = renderHtmlReport(report, { title: 'a </title> <b>' })
    const { data } = parts(html)
    expect(data).toMatch(/^[A-Za-z0-9+/=]+$/)
    expect(JSON.parse(gunzipSync(Buffer.from(data!, 'base64')).toString('utf8'))).toEqual({
      report,
      comparison: null,
      title: 'a </title> <b>',
    })
    expect(html).toContain('<title>a &#60;/title&#62; &#60;b&#62;</title>')
    // Exactly the page's own two scripts: the data and the code.
    expect(html.match(/<script/gi)).toHaveLength(2)
  })

  it('lets only its own script and style apply: the CSP names their hashes and nothing else loads', () => {
    const html = renderHtmlReport(readReportFile(hostile))
    const { script, style, csp } = parts(html)
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain(`script-src 'sha256-${sha256(script!)}'`)
    expect(csp).toContain(`style-src 'sha256-${sha256(style!)}'`)
    expect(script).not.toMatch(/<\/script|<!--/i)
  })

  it('refuses what is not a report, naming what it received', () => {
    expect(() => renderHtmlReport(null as never)).toThrow(EvalgateError)
    expect(() => renderHtmlReport({} as never)).toThrow(/expected an evalgate report/)
  })
})

describe('writeHtmlReport', () => {
  it('writes beside the artifact atomically, replacing an older page and leaving no temp file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'evalgate-html-'))
    const target = path.join(dir, 'nested', 'evalgate-report.html')
    expect(htmlPathFor(path.join(dir, 'nested', 'evalgate-report.json'))).toBe(target)
    expect(htmlPathFor('report')).toBe('report.html')
    writeHtmlReport(readReportFile(hostile), target)
    writeFileSync(target, 'old')
    expect(writeHtmlReport(readReportFile(hostile), target)).toBe(target)
    expect(readFileSync(target, 'utf8')).toMatch(/^<!doctype html>/)
    expect(readdirSync(path.dirname(target))).toEqual(['evalgate-report.html'])
  })
})
