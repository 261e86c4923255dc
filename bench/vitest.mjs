// Vitest benchmark: evalgate (describeEval, 3 scorers, gates, reporter writing the artifact)
// against plain Vitest `it.for` over the same rows and checks, same machine, same run.
// Each side runs REPEAT times alternately; the median wall time and peak RSS are compared.
// evalgate is packed and installed first (see below). Both use --pool=threads so one process's peak RSS (GNU time %M) covers Vitest and its worker.
// Run: npm run bench   (BENCH_ROWS=10000 BENCH_REPEAT=5 by default; BENCH_BIG=100000 extra run)
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))

// Measure evalgate as users run it: packed and installed under node_modules (a real copy), so
// Vitest imports it natively. Resolved from the repo by self-reference instead, Vite would
// transform dist/ through its module runner in every process, which no user pays for.
// bench/projects/package.json gives the projects their own package scope for the same reason.
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
const vitest = path.join(here, '../node_modules/vitest/vitest.mjs')
const rows = Number(process.env.BENCH_ROWS ?? 10_000)
const repeat = Number(process.env.BENCH_REPEAT ?? 5)
const big = Number(process.env.BENCH_BIG ?? 100_000)
const out = mkdtempSync(path.join(tmpdir(), 'evalgate-bench-'))

function once(project, n, extra = []) {
  const report = path.join(out, `${project}-${n}.json`)
  const started = performance.now()
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'MAXRSS_KB=%M', process.execPath, vitest, 'run', '--pool=threads', ...extra],
    {
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
    },
  )
  const wallMs = performance.now() - started
  if (r.status !== 0) {
    console.error(r.stdout.slice(-3000), r.stderr.slice(-3000))
    throw new Error(`${project} run failed with exit ${r.status}`)
  }
  const rssMb = Number(/MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1]) / 1024
  return { wallMs, rssMb, report }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const evalgateArgs = ['--reporter=default', '--reporter=evalgate/reporter']

const results = { evalgate: [], plain: [] }
once('plain', rows) // warm the module graph and disk cache
once('evalgate', rows, evalgateArgs)
for (let i = 0; i < repeat; i++) {
  results.plain.push(once('plain', rows))
  results.evalgate.push(once('evalgate', rows, evalgateArgs))
}
const artifact = JSON.parse(readFileSync(results.evalgate[0].report, 'utf8'))
if (artifact.evals[0].rows.length !== rows) throw new Error('artifact does not hold every row')

const e = {
  wall: median(results.evalgate.map((r) => r.wallMs)),
  rss: median(results.evalgate.map((r) => r.rssMb)),
}
const p = {
  wall: median(results.plain.map((r) => r.wallMs)),
  rss: median(results.plain.map((r) => r.rssMb)),
}
console.log(`vitest bench: ${rows} rows x 3 scorers, median of ${repeat} alternating runs`)
console.log(`plain it.for:       wall ${p.wall.toFixed(0)} ms, peak RSS ${p.rss.toFixed(0)} MiB`)
console.log(`evalgate+reporter:  wall ${e.wall.toFixed(0)} ms, peak RSS ${e.rss.toFixed(0)} MiB`)
console.log(
  `ratio:              wall ${(e.wall / p.wall).toFixed(3)}x (target <= 1.15), memory ${(e.rss / p.rss).toFixed(3)}x (target <= 1.3)`,
)
if (big > 0) {
  const b = once('evalgate', big, evalgateArgs)
  const a = JSON.parse(readFileSync(b.report, 'utf8'))
  console.log(
    `evalgate ${big} rows: wall ${b.wallMs.toFixed(0)} ms, peak RSS ${b.rssMb.toFixed(0)} MiB, artifact rows ${a.evals[0].rows.length}`,
  )
}
rmSync(out, { recursive: true, force: true })
