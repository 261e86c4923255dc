import { defineConfig } from 'vitest/config'

// `npm run example` runs every eval here, offline, and prints evalgate's table.
export default defineConfig({
  test: {
    include: ['**/*.eval.ts'],
    reporters: ['default', ['evalgate/reporter', { outputFile: 'evalgate-report.json' }]],
  },
})
