import { defineConfig } from 'vitest/config'

// The unsharded run uses these reporters. The shard and merge runs name reporters on the command
// line; Vitest keeps a config entry's options for a reporter named again there, so
// FIXTURE_NO_OPTIONS drops them to exercise the defaults (EVALGATE_REPORT, GITHUB_STEP_SUMMARY).
// FIXTURE_BASELINE compares the run with a baseline artifact (and FIXTURE_FAIL_ON_REGRESSION
// fails it on a regression), writing the HTML report beside the artifact.
const baseline = process.env.FIXTURE_BASELINE
  ? {
      baseline: process.env.FIXTURE_BASELINE,
      failOnRegression: process.env.FIXTURE_FAIL_ON_REGRESSION === '1',
      html: true,
    }
  : {}
const evalgate = process.env.FIXTURE_NO_OPTIONS
  ? 'evalgate/reporter'
  : [
      'evalgate/reporter',
      { outputFile: 'out/report.json', markdown: 'out/summary.md', ...baseline },
    ]

export default defineConfig({
  test: {
    include: ['evals/**/*.eval.ts'],
    reporters: ['default', evalgate],
  },
})
