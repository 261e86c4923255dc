import { defineConfig } from 'vitest/config'

// The unsharded run uses these reporters. The shard and merge runs name reporters on the command
// line; Vitest keeps a config entry's options for a reporter named again there, so
// FIXTURE_NO_OPTIONS drops them to exercise the defaults (EVALGATE_REPORT, GITHUB_STEP_SUMMARY).
const evalgate = process.env.FIXTURE_NO_OPTIONS
  ? 'evalgate/reporter'
  : ['evalgate/reporter', { outputFile: 'out/report.json', markdown: 'out/summary.md' }]

export default defineConfig({
  test: {
    include: ['evals/**/*.eval.ts'],
    reporters: ['default', evalgate],
  },
})
