import { defineConfig } from 'vitest/config'

// Each integration test picks its eval files by name on the command line. Vitest's own JSON
// reporter runs beside evalgate's, so the tests can compare what Vitest ran with the artifact.
export default defineConfig({
  test: {
    include: ['evals/**/*.eval.ts'],
    reporters: [
      'default',
      ['evalgate/reporter', { outputFile: 'out/report.json' }],
      ['json', { outputFile: 'out/vitest.json' }],
    ],
  },
})
