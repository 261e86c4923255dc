import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'
import { checks, makeRows } from '../rows.js'

describeEval('bench', {
  data: makeRows(),
  scorers: Object.entries(checks).map(([name, fn]) => scorer(name, fn)),
  thresholds: { 'exact_match/mean': 1, 'short/passRate': 1, 'has_number/min': 1 },
  // evalgate's default (8) unless bench/concurrency.mjs sets another.
  ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}),
})
