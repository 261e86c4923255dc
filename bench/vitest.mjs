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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { compare, settings, table, timed } from './measure.mjs'
import { prepareBench, projects, vitestBin } from './pack.mjs'

const versions = prepareBench()
const { sizes, repeat } = settings([10_000, 100_000])
const out = mkdtempSync(path.join(tmpdir(), 'evalgate-bench-'))

/** Runs one project and checks that Vitest ran and passed `tests` tests. */
function vitest(project, rows, tests, extra = [], env = {}) {
  const r = timed(project, [vitestBin, 'run', '--pool=threads', ...extra], {
    cwd: path.join(projects, project),
    env: { BENCH_ROWS: String(rows), ...env },
  })
  const m = /Tests\s+(\d+) passed \((\d+)\)/.exec(r.stdout)
  if (m === null || Number(m[1]) !== tests || Number(m[2]) !== tests) {
    console.error(r.stdout.slice(-2000))
    throw new Error(`${project} at ${rows} rows: expected ${tests} passed tests`)
  }
  return r
}

const runners = [
  {
    name: `plain Vitest ${versions.vitest} it.for`,
    plain: true,
    run: (rows) => vitest('plain', rows, rows),
  },
  {
    name: `vitest-evals ${versions.vitestEvals}`,
    run: (rows) => vitest('vitest-evals', rows, rows),
  },
  {
    name: `evalgate ${versions.evalgate} + reporter (artifact)`,
    run(rows, tag) {
      const report = path.join(out, `evalgate-${tag}.json`)
      // A row test per row, and the eval's thresholds test.
      const r = vitest(
        'evalgate',
        rows,
        rows + 1,
        ['--reporter=default', '--reporter=evalgate/reporter'],
        { EVALGATE_REPORT: report },
      )
      const artifact = JSON.parse(readFileSync(report, 'utf8'))
      rmSync(report)
      const got = artifact.evals[0]?.rows.length
      if (artifact.status !== 'passed' || artifact.partial || got !== rows) {
        throw new Error(
          `evalgate at ${rows} rows: the artifact is ${artifact.status}${artifact.partial ? ', partial' : ''} with ${got} rows`,
        )
      }
      artifactRows.push(rows)
      return r
    },
  },
]
const artifactRows = []

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
    `\nevalgate artifact: every row of every run (${artifactRows.length} runs checked; sizes ${sizes.join(', ')} rows)`,
  )
} finally {
  rmSync(out, { recursive: true, force: true })
}
