import { defineConfig } from 'vitest/config'

// Runs for the evalgate command's integration test: the artifact goes to $EVALGATE_REPORT.
export default defineConfig({
  test: {
    include: ['evals/vitest/**/*.eval.ts'],
    reporters: ['default', 'evalgate/reporter'],
  },
})
