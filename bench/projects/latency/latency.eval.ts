// Latency-bound eval for bench/concurrency.mjs: BENCH_ROWS rows (default 100), two scorers that
// each wait BENCH_LATENCY_MS (default 100 ms) as a judge's request would, gates on their means,
// at concurrency BENCH_CONCURRENCY. The eval's own time (first hook to last, without Vitest's
// startup) is written to BENCH_TIMING as JSON, to set against the ideal
// ceil(rows / concurrency) x latency (a row's two scorers wait together).
import { writeFileSync } from 'node:fs'
import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'
import { afterAll, beforeAll } from 'vitest'

const rows = Number(process.env.BENCH_ROWS ?? 100)
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 100)
const concurrency = Number(process.env.BENCH_CONCURRENCY)
const wait = () => new Promise<boolean>((resolve) => setTimeout(resolve, latencyMs, true))

let started = 0
beforeAll(() => {
  started = performance.now()
})
afterAll(() => {
  const evalMs = performance.now() - started
  if (process.env.BENCH_TIMING) writeFileSync(process.env.BENCH_TIMING, JSON.stringify({ evalMs }))
})

describeEval('latency', {
  data: Array.from({ length: rows }, (_, i) => ({
    id: `row-${i}`,
    inputs: { question: `question ${i}` },
    outputs: `answer ${i}`,
  })),
  scorers: [scorer('judge_a', wait), scorer('judge_b', wait)],
  thresholds: { 'judge_a/mean': 1, 'judge_b/mean': 1 },
  concurrency,
})
