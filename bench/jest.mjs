// Jest host benchmark (issue 15): evalgate (describeEval from evalgate/jest, three scorers, gates,
// evalgate/jest-reporter writing the artifact) against plain Jest `test.each` over the same rows
// and checks, same machine, same Jest (the root's), same transform (@swc/jest) and the same
// reporter settings (verbose off). vitest-evals has no Jest host, so the table has two runners.
// Each runs BENCH_REPEAT times (default 5) at each of BENCH_SIZES (default 10000,100000), in
// alternating order after a warm-up run each (which also fills Jest's transform cache); the
// table gives medians and ratios to plain. One test file each, so Jest runs it in band and the
// peak RSS of one process (GNU time %M) covers the whole run.
// Run: npm run bench   (or, after npm run build: node bench/jest.mjs)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { compare, settings, table, timed } from './measure.mjs'
import { jestBin, prepareBench, projects } from './pack.mjs'

const versions = prepareBench()
const { sizes, repeat } = settings([10_000, 100_000])
const out = mkdtempSync(path.join(tmpdir(), 'evalgate-bench-'))

/** Runs one project and checks that Jest ran and passed `tests` tests. */
function jest(project, rows, tests, env = {}) {
  const r = timed(project, [jestBin, '--ci'], {
    cwd: path.join(projects, project),
    env: { BENCH_ROWS: String(rows), ...env },
  })
  const m = /Tests:\s+(\d+) passed, (\d+) total/.exec(r.stderr)
  if (m === null || Number(m[1]) !== tests || Number(m[2]) !== tests) {
    console.error(r.stderr.slice(-2000))
    throw new Error(`${project} at ${rows} rows: expected ${tests} passed tests`)
  }
  return r
}

const artifactRows = []
const runners = [
  {
    name: `plain Jest ${versions.jest} test.each`,
    plain: true,
    run: (rows) => jest('jest-plain', rows, rows),
  },
  {
    name: `evalgate ${versions.evalgate} + reporter (artifact)`,
    run(rows, tag) {
      const report = path.join(out, `evalgate-${tag}.json`)
      // A row test per row, and the eval's thresholds test.
      const r = jest('jest-evalgate', rows, rows + 1, { EVALGATE_REPORT: report })
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

try {
  const measured = compare({ runners, sizes, repeat, warmRows: Math.min(...sizes) })
  console.log(
    table({
      title: `Jest host (Jest ${versions.jest}, Node ${versions.node}, in band)`,
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
