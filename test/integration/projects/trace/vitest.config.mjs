import { defineConfig } from 'vitest/config'

// FIXTURE_REPORT lets one test write each run's artifact to its own file.
export default defineConfig({
  test: {
    include: ['*.eval.ts'],
    reporters: [
      'default',
      ['evalgate/reporter', { outputFile: process.env.FIXTURE_REPORT ?? 'report.json' }],
    ],
  },
})
