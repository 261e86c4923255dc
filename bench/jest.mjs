// Jest host benchmark (issue 15): evalgate (describeEval from evalgate/jest, three scorers, gates,
// evalgate/jest-reporter writing the artifact) against plain Jest `test.each` over the same rows
// and checks, same machine, same Jest (the root's), same transform (@swc/jest) and the same
// reporter settings (verbose off). vitest-evals has no Jest host, so the table has two runners.
// Each runs BENCH_REPEAT times (default 5) at each of BENCH_SIZES (default 10000,100000), in
// alternating order after a warm-up run each (which also fills Jest's transform cache); the
// table gives medians and ratios to plain. One test file each, so Jest runs it in band and the
// peak RSS of one process (GNU time %M) covers the whole run.
// Run: npm run bench   (or, after npm run build: node bench/jest.mjs)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { checkArtifact, runJest } from './hosts.mjs'
import { compare, settings, table } from './measure.mjs'
import { prepareBench } from './pack.mjs'

const versions = prepareBench()
const { sizes, repeat } = settings([10_000, 100_000])
const out = mkdtempSync(path.join(tmpdir(), 'evalgate-bench-'))

let artifacts = 0
const runners = [
  {
    name: `plain Jest ${versions.jest} test.each`,
    plain: true,
    run: (rows) => runJest('jest-plain', { rows, tests: rows }),
  },
  {
    name: `evalgate ${versions.evalgate} + reporter (artifact)`,
    run(rows, tag) {
      const report = path.join(out, `evalgate-${tag}.json`)
      // A row test per row, and the eval's thresholds test.
      const r = runJest('jest-evalgate', {
        rows,
        tests: rows + 1,
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
      title: `Jest host (Jest ${versions.jest}, Node ${versions.node}, in band)`,
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
