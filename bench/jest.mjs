// Jest benchmark: evalgate (describeEval, 3 scorers, gates, evalgate/jest-reporter writing the
// artifact) against plain Jest `test.each` over the same rows and checks, same machine, same run,
// same transform (@swc/jest) and the same reporter settings (verbose off). Each side runs REPEAT
// times alternately; the median wall time and peak RSS are compared. evalgate is packed and
// installed first, as in bench/vitest.mjs. One test file each, so Jest runs it in band and the
// peak RSS of one process (GNU time %M) covers the whole run.
// Run: npm run bench   (BENCH_ROWS=10000 BENCH_REPEAT=5 by default)
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))

const installed = path.join(here, 'projects/node_modules/evalgate')
const packDir = mkdtempSync(path.join(tmpdir(), 'evalgate-pack-'))
const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', packDir], {
  cwd: path.join(here, '..'),
  encoding: 'utf8',
})
if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`)
rmSync(installed, { recursive: true, force: true })
mkdirSync(installed, { recursive: true })
const untar = spawnSync('tar', [
  '-xzf',
  path.join(packDir, packed.stdout.trim().split('\n').pop()),
  '-C',
  installed,
  '--strip-components=1',
])
if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`)
rmSync(packDir, { recursive: true, force: true })
const jest = path.join(here, '../node_modules/jest/bin/jest.js')
const rows = Number(process.env.BENCH_ROWS ?? 10_000)
const repeat = Number(process.env.BENCH_REPEAT ?? 5)
const out = mkdtempSync(path.join(tmpdir(), 'evalgate-bench-'))

function once(project, n) {
  const report = path.join(out, `${project}-${n}.json`)
  const started = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, jest, '--ci'], {
    cwd: path.join(here, 'projects', project),
    env: {
      ...process.env,
      BENCH_ROWS: String(n),
      EVALGATE_REPORT: report,
      NO_COLOR: '1',
      CI: 'true',
    },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  const wallMs = performance.now() - started
  if (r.status !== 0) {
    console.error(r.stdout.slice(-3000), r.stderr.slice(-3000))
    throw new Error(`${project} run failed with exit ${r.status}`)
  }
  const rssMb = Number(/MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1]) / 1024
  return { wallMs, rssMb, report }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const results = { evalgate: [], plain: [] }
once('jest-plain', rows) // warm the transform cache and the disk cache
once('jest-evalgate', rows)
for (let i = 0; i < repeat; i++) {
  results.plain.push(once('jest-plain', rows))
  results.evalgate.push(once('jest-evalgate', rows))
}
const artifact = JSON.parse(readFileSync(results.evalgate[0].report, 'utf8'))
if (artifact.evals[0].rows.length !== rows) throw new Error('artifact does not hold every row')

const stat = (runs) => ({
  wall: median(runs.map((r) => r.wallMs)),
  rss: median(runs.map((r) => r.rssMb)),
})
const e = stat(results.evalgate)
const p = stat(results.plain)
console.log(`jest bench: ${rows} rows x 3 scorers, median of ${repeat} alternating runs`)
console.log(`plain test.each:    wall ${p.wall.toFixed(0)} ms, peak RSS ${p.rss.toFixed(0)} MiB`)
console.log(`evalgate+reporter:  wall ${e.wall.toFixed(0)} ms, peak RSS ${e.rss.toFixed(0)} MiB`)
console.log(
  `ratio:              wall ${(e.wall / p.wall).toFixed(3)}x (target <= 1.10), memory ${(e.rss / p.rss).toFixed(3)}x`,
)
rmSync(out, { recursive: true, force: true })
