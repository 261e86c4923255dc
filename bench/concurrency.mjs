// Row concurrency benchmark (issue 15), to choose describeEval's default `concurrency` by
// measurement. Through real Vitest processes, evalgate packed and installed as in bench/vitest.mjs:
//   1. latency-bound: 100 rows x 2 scorers each waiting 100 ms (as judges wait on a model; a
//      row's scorers wait together), at concurrency 1, 2, 4, 5, 8, 16, 32 (evalite's default is
//      5), against the ideal ceil(rows / concurrency) x 100 ms. The eval's own time is taken
//      inside the worker (first hook to last: every row test and the thresholds test, without
//      Vitest's startup), since startup would swamp the differences;
//   2. CPU-bound: the 10,000-row workload of bench/vitest.mjs (synchronous app, three cheap
//      scorers, reporter writing the artifact) at concurrency 4, 8, 16, 32, whole processes,
//      with plain `it.for` for the ratio.
// Each level runs BENCH_REPEAT times (default 5), alternating; medians are printed.
// Takes about 5 minutes on 2 cores (3 latency-bound, 2 CPU-bound). Not part of `npm run bench`.
// Run: npm run build && node bench/concurrency.mjs
//   (BENCH_LATENCY_MS, BENCH_LATENCY_ROWS and BENCH_SIZES (CPU-bound rows) change the workloads)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import pLimit from 'p-limit'
import { checkArtifact, runVitest } from './hosts.mjs'
import { compare, median, settings, table } from './measure.mjs'
import { prepareBench } from './pack.mjs'

const versions = prepareBench()
const { sizes, repeat } = settings([10_000])
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 100)
const latencyRows = Number(process.env.BENCH_LATENCY_ROWS ?? 100)
const latencyLevels = [1, 2, 4, 5, 8, 16, 32]
const cpuLevels = [4, 8, 16, 32]
const out = mkdtempSync(path.join(tmpdir(), 'evalgate-bench-'))
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')
const int = (x) => Math.round(x).toLocaleString('en-US')

function latencyRun(concurrency, tag) {
  const timing = path.join(out, `latency-${concurrency}-${tag}.json`)
  const r = runVitest('latency', {
    rows: latencyRows,
    tests: latencyRows + 1,
    env: {
      BENCH_CONCURRENCY: String(concurrency),
      BENCH_LATENCY_MS: String(latencyMs),
      BENCH_TIMING: timing,
    },
  })
  const { evalMs } = JSON.parse(readFileSync(timing, 'utf8'))
  rmSync(timing)
  return { evalMs, wallMs: r.wallMs }
}

/** The same waits without Vitest or evalgate: p-limit over rows of two timers each. */
async function floorRun(concurrency) {
  const limit = pLimit(concurrency)
  const wait = () => new Promise((resolve) => setTimeout(resolve, latencyMs))
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: latencyRows }, () => limit(() => Promise.all([wait(), wait()]))),
  )
  return performance.now() - t0
}

try {
  // 1. Latency-bound.
  const loadBefore = load()
  let started = performance.now()
  latencyRun(16, 'warm')
  const runs = new Map(latencyLevels.map((c) => [c, []]))
  for (let i = 0; i < repeat; i++) {
    for (let k = 0; k < latencyLevels.length; k++) {
      const c = latencyLevels[(i + k) % latencyLevels.length]
      runs.get(c).push(latencyRun(c, i))
    }
  }
  const floor = new Map()
  for (const c of latencyLevels) floor.set(c, await floorRun(c))
  console.log(
    `Latency-bound: ${latencyRows} rows x 2 scorers waiting ${latencyMs} ms, evalgate ${versions.evalgate} on Vitest ${versions.vitest}: median of ${repeat} alternating runs (load average ${loadBefore} before, ${load()} after; ${((performance.now() - started) / 1000).toFixed(0)} s)`,
  )
  console.log('')
  console.log(
    '| concurrency | ideal | eval | × ideal | over ideal | eval min–max | whole process | p-limit floor |',
  )
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const c of latencyLevels) {
    const ideal = Math.ceil(latencyRows / c) * latencyMs
    const evalMs = runs.get(c).map((r) => r.evalMs)
    const m = median(evalMs)
    const wall = median(runs.get(c).map((r) => r.wallMs))
    console.log(
      `| ${c} | ${int(ideal)} ms | ${int(m)} ms | ${(m / ideal).toFixed(3)}× | +${int(m - ideal)} ms | ${int(Math.min(...evalMs))}–${int(Math.max(...evalMs))} ms | ${int(wall)} ms | ${int(floor.get(c))} ms (${(floor.get(c) / ideal).toFixed(3)}×) |`,
    )
  }

  // 2. CPU-bound.
  started = performance.now()
  let artifacts = 0
  const evalgateAt = (concurrency) => ({
    name: `evalgate + reporter, concurrency ${concurrency}`,
    run(rows, tag) {
      const report = path.join(out, `evalgate-${concurrency}-${tag}.json`)
      const r = runVitest('evalgate', {
        rows,
        tests: rows + 1,
        args: ['--reporter=default', '--reporter=evalgate/reporter'],
        env: { EVALGATE_REPORT: report, BENCH_CONCURRENCY: String(concurrency) },
      })
      checkArtifact(report, rows)
      artifacts++
      return r
    },
  })
  const measured = compare({
    runners: [
      {
        name: `plain Vitest ${versions.vitest} it.for`,
        plain: true,
        run: (rows) => runVitest('plain', { rows, tests: rows }),
      },
      ...cpuLevels.map(evalgateAt),
    ],
    sizes,
    repeat,
    warmRows: Math.min(...sizes),
  })
  console.log('')
  console.log(
    table({
      title: `CPU-bound: the bench workload (3 cheap scorers, reporter writing the artifact), Vitest ${versions.vitest}, --pool=threads`,
      repeat,
      ...measured,
    }),
  )
  console.log(`\nevalgate artifact: every row in each of ${artifacts} runs`)
} finally {
  rmSync(out, { recursive: true, force: true })
}
