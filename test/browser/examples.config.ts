import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import examples from '../../examples/vitest.config.js'

// The examples exactly as `npm run example` runs them, but with the artifact written where
// the browser tests say (BROWSER_REPORT) and nothing printed but evalgate's summary.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples')

export default defineConfig({
  ...examples,
  test: {
    ...examples.test,
    root,
    reporters: [['evalgate/reporter', { outputFile: process.env.BROWSER_REPORT }]],
  },
})
