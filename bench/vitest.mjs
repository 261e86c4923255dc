// Vitest host benchmark (issue 15): the same workload three ways, same machine, same Vitest
// (the root's), whole processes:
//   - plain Vitest: `it.for(rows)` with three `expect(check(...)).toBe(true)` (projects/plain);
//   - vitest-evals, the reference peer: describeEval with data/task/scorers/threshold
//     (projects/vitest-evals; its version is pinned in projects/package.json);
//   - evalgate: describeEval, three scorers, gates on them, and evalgate/reporter writing the
//     JSON artifact (projects/evalgate); every run's artifact is checked to hold every row.
// The workload: N rows (projects/rows.ts), a synchronous app, three cheap code checks.
// Each runs BENCH_REPEAT times (default 5) at each of BENCH_SIZES (default 10000,100000), in
// alternating order, after a warm-up run each; the table gives medians and ratios to plain.
// --pool=threads so that one process's peak RSS (GNU time %M) covers Vitest and its worker.
// Run: npm run bench   (or, after npm run build: node bench/vitest.mjs)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { checkArtifact, runVitest } from './hosts.mjs'
import { compare, settings, table } from './measure.mjs'
import { prepareBench } from './pack.mjs'

const versions = prepareBench()
const { sizes, repeat } = settings([10_000, 100_000])
const out = mkdtempSync(path.join(tmpdir(), 'evalgate-bench-'))

let artifacts = 0
const runners = [
  {
    name: `plain Vitest ${versions.vitest} it.for`,
    plain: true,
    run: (rows) => runVitest('plain', { rows, tests: rows }),
  },
  {
    name: `vitest-evals ${versions.vitestEvals}`,
    run: (rows) => runVitest('vitest-evals', { rows, tests: rows }),
  },
  {
    name: `evalgate ${versions.evalgate} + reporter (artifact)`,
    run(rows, tag) {
      const report = path.join(out, `evalgate-${tag}.json`)
      const r = runVitest('evalgate', {
        rows,
        tests: rows + 1, // a row test per row, and the eval's thresholds test
        args: ['--reporter=default', '--reporter=evalgate/reporter'],
        env: { EVALGATE_REPORT: report },
      })
      checkArtifact(report, rows)
      artifacts++
      return r
    },
  },
]

try {
  const measured = compare({ runners, sizes, repeat, warmRows: Math.min(...sizes) })
  console.log(
    table({
      title: `Vitest host (Vitest ${versions.vitest}, Node ${versions.node}, --pool=threads)`,
      repeat,
      ...measured,
    }),
  )
  console.log(
    `\nevalgate artifact: every row in each of ${artifacts} runs (${sizes.join(', ')} rows, and the warm-up)`,
  )
} finally {
  rmSync(out, { recursive: true, force: true })
}
