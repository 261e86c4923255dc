import { defineConfig } from 'vitest/config'

// The browser tests run this project and render its artifact (BROWSER_REPORT): an eval whose
// model output, rationales, trace and names carry HTML and script payloads.
export default defineConfig({
  test: {
    include: ['*.eval.ts'],
    reporters: [['evalgate/reporter', { outputFile: process.env.BROWSER_REPORT ?? 'report.json' }]],
  },
})
