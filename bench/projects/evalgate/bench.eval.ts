import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'
import { checks, makeRows } from '../rows.js'

describeEval('bench', {
  data: makeRows(),
  scorers: Object.entries(checks).map(([name, fn]) => scorer(name, fn)),
  thresholds: { 'exact_match/mean': 1, 'short/passRate': 1, 'has_number/min': 1 },
  // 16 unless bench/concurrency.mjs sets another.
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
})
