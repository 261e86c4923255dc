import { defineConfig } from 'vitest/config'

// Extra reporters/options come from the command line of each integration test.
export default defineConfig({
  test: {
    include: ['**/*.eval.ts'],
    maxConcurrency: Number(process.env.FIXTURE_MAX_CONCURRENCY ?? 5),
    sequence: { concurrent: process.env.FIXTURE_CONCURRENT === '1' },
  },
})
