// Timing whole processes and printing the side-by-side table, shared by bench/vitest.mjs and
// bench/jest.mjs. A run is one process under GNU time: wall time measured here, peak RSS from
// time's %M (the largest resident set of the process; the hosts are run so that one process
// holds the whole run: Vitest with --pool=threads, Jest in band).
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'

/** Runs `node args...` in `cwd` under /usr/bin/time; throws, with its output, unless it exits 0. */
export function timed(label, args, { cwd, env }) {
  const started = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  })
  const wallMs = performance.now() - started
  if (r.status !== 0) {
    console.error(r.stdout.slice(-3000), r.stderr.slice(-3000))
    throw new Error(`${label} failed with exit ${r.status}`)
  }
  const kb = Number(/MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1])
  if (!Number.isFinite(kb)) throw new Error(`${label}: GNU time printed no peak RSS`)
  return { wallMs, rssMb: kb / 1024, stdout: r.stdout, stderr: r.stderr }
}

/** The median (the lower middle of an even count: always one measured value). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]

/** Sizes and repeats from BENCH_SIZES (comma-separated) and BENCH_REPEAT, checked. */
export function settings(defaultSizes) {
  const sizes = (process.env.BENCH_SIZES ?? defaultSizes.join(','))
    .split(',')
    .map((s) => Number(s.trim().replaceAll('_', '')))
  const repeat = Number(process.env.BENCH_REPEAT ?? 5)
  if (sizes.length === 0 || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(
      `BENCH_SIZES: expected whole numbers of rows, received ${process.env.BENCH_SIZES}`,
    )
  }
  if (!Number.isInteger(repeat) || repeat < 1) {
    throw new Error(
      `BENCH_REPEAT: expected a whole number from 1, received ${process.env.BENCH_REPEAT}`,
    )
  }
  return { sizes, repeat }
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')

/**
 * Runs each runner `repeat` times at each size, alternating (the order rotates every round so no
 * runner always goes first), after one warm-up run each, and returns the medians.
 * A runner is `{ name, plain?, run(rows, tag) -> { wallMs, rssMb } }`; it checks its own run
 * (every row tested, an artifact holding every row) and throws when the run did not do the work.
 */
export function compare({ runners, sizes, repeat, warmRows }) {
  const loadBefore = load()
  const started = performance.now()
  for (const r of runners) r.run(warmRows, 'warm') // module graph, disk and transform caches
  const results = []
  for (const rows of sizes) {
    const runs = new Map(runners.map((r) => [r, []]))
    for (let i = 0; i < repeat; i++) {
      for (let k = 0; k < runners.length; k++) {
        const r = runners[(i + k) % runners.length]
        runs.get(r).push(r.run(rows, `${rows}-${i}`))
      }
    }
    for (const r of runners) {
      const m = runs.get(r)
      const wall = m.map((x) => x.wallMs)
      results.push({
        rows,
        runner: r,
        wallMs: median(wall),
        minMs: Math.min(...wall),
        maxMs: Math.max(...wall),
        rssMb: median(m.map((x) => x.rssMb)),
      })
    }
  }
  return { results, loadBefore, loadAfter: load(), seconds: (performance.now() - started) / 1000 }
}

const int = (x) => Math.round(x).toLocaleString('en-US')

/** The comparison as a Markdown table, each runner's ratios against the `plain` one at its size. */
export function table({ title, results, repeat, loadBefore, loadAfter, seconds }) {
  const lines = [
    `${title}: median of ${repeat} alternating runs (load average ${loadBefore} before, ${loadAfter} after; ${seconds.toFixed(0)} s)`,
    '',
    '| rows | runner | wall | × plain | Δ a row vs plain | peak RSS | × plain | wall min–max |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of results) {
    const plain = results.find((p) => p.rows === r.rows && p.runner.plain)
    const perRowUs = ((r.wallMs - plain.wallMs) * 1000) / r.rows
    lines.push(
      [
        '',
        int(r.rows),
        r.runner.name,
        `${int(r.wallMs)} ms`,
        `${(r.wallMs / plain.wallMs).toFixed(2)}×`,
        r.runner.plain ? '' : `${perRowUs >= 0 ? '+' : '−'}${Math.abs(perRowUs).toFixed(1)} µs`,
        `${int(r.rssMb)} MiB`,
        `${(r.rssMb / plain.rssMb).toFixed(2)}×`,
        `${int(r.minMs)}–${int(r.maxMs)} ms`,
        '',
      ]
        .join(' | ')
        .trim(),
    )
  }
  return lines.join('\n')
}
