// How evalgate/jest-reporter gathers a run: from Jest's workers or in band, two runs at once in
// one folder, shards, and the report's own failures (two evals of one name).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../../src/core/report-schema.js'
import { copyProject, expectArtifactAgreesWithExit } from './harness.js'
import { jestCounts, runJest } from './jest-harness.js'

const FILES = [
  'evals/pass.eval.ts',
  'evals/fail-gates.eval.ts',
  'evals/rescore.eval.ts',
  'evals/single.eval.ts',
]

/** What may differ between two runs of the same evals: timings and the run's identity. */
function normalise(report: Report): unknown {
  const drop = new Set(['startedAt', 'durationMs', 'latencyMs'])
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v !== 'object' || v === null) return v
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) if (!drop.has(k)) out[k] = walk(x)
    return out
  }
  const r = walk(report) as Report
  for (const e of r.evals) {
    delete e.metrics['latency_ms']
    e.thresholds = e.thresholds.filter((g) => !g.key.startsWith('latency_ms/'))
  }
  return r
}

/** Each row of a report as `eval#index`. */
function rowKeys(report: Report): string[] {
  return report.evals.flatMap((e) => e.rows.map((row) => `${e.name}#${row.index}`)).sort()
}

describe('evalgate/jest-reporter across processes and runs (Jest 30, ts-jest)', () => {
  let dir: string
  let tmp: string
  beforeAll(() => {
    dir = copyProject('jest-qa')
    // The reporter's run directories go under the OS temp dir: here, one this test can inspect.
    tmp = path.join(dir, 'tmp')
    mkdirSync(tmp)
  })
  const jest = (args: string[], env: Record<string, string>) =>
    runJest(dir, args, { TMPDIR: tmp, ...env })
  const leftovers = () => readdirSync(tmp).filter((n) => n.startsWith('evalgate-jest-'))

  it('gives the same artifact from worker processes as with --runInBand', async () => {
    const inBand = path.join(dir, 'in-band.json')
    const workers = path.join(dir, 'workers.json')
    const ranInBand = path.join(dir, 'ran-in-band.txt')
    const ranWorkers = path.join(dir, 'ran-workers.txt')
    const a = await jest([...FILES, '--runInBand'], {
      EVALGATE_REPORT: inBand,
      RAN_FILE: ranInBand,
      RAN_PID: '1',
    })
    const b = await jest([...FILES, '--maxWorkers=2'], {
      EVALGATE_REPORT: workers,
      RAN_FILE: ranWorkers,
      RAN_PID: '1',
    })
    expect(a.code).toBe(1)
    expect(b.code).toBe(1)
    const pids = (file: string) =>
      new Set(
        readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' ')[1]),
      )
    // In band, every row ran in one process; with workers, not in that one.
    expect(pids(ranInBand).size).toBe(1)
    expect([...pids(ranWorkers)].some((pid) => pids(ranInBand).has(pid))).toBe(false)
    const ra = expectArtifactAgreesWithExit(a, inBand)
    const rb = expectArtifactAgreesWithExit(b, workers)
    expect(ra.evals.map((e) => e.name)).toEqual([
      'flaky arithmetic',
      'arithmetic',
      'rescore csv',
      'rescore function',
      'polite reply',
      'rude reply',
    ])
    expect(normalise(rb)).toEqual(normalise(ra))
    expect(leftovers()).toEqual([])
  })

  it('two runs at once in one folder never mix their results, and leave no directory behind', async () => {
    const one = path.join(dir, 'one.json')
    const two = path.join(dir, 'two.json')
    const [a, b] = await Promise.all([
      jest(['evals/pass.eval.ts', 'evals/rescore.eval.ts'], { EVALGATE_REPORT: one }),
      jest(['evals/fail-gates.eval.ts', 'evals/single.eval.ts'], { EVALGATE_REPORT: two }),
    ])
    expect(a.code, a.output).toBe(0)
    expect(b.code).toBe(1)
    const ra = expectArtifactAgreesWithExit(a, one)
    const rb = expectArtifactAgreesWithExit(b, two)
    expect(ra.evals.map((e) => [e.name, e.rows.length])).toEqual([
      ['arithmetic', 10],
      ['rescore csv', 2],
      ['rescore function', 2],
    ])
    expect(rb.evals.map((e) => [e.name, e.rows.length])).toEqual([
      ['flaky arithmetic', 10],
      ['polite reply', 1],
      ['rude reply', 1],
    ])
    expect(leftovers()).toEqual([])
  })

  it('--shard=i/n: each shard writes its artifact; their rows are disjoint and make the whole run', async () => {
    const full = path.join(dir, 'full.json')
    const f = await jest(FILES, { EVALGATE_REPORT: full })
    const shards: Report[] = []
    for (const i of [1, 2]) {
      const file = path.join(dir, `shard-${i}.json`)
      const r = await jest([...FILES, `--shard=${i}/2`], { EVALGATE_REPORT: file })
      shards.push(expectArtifactAgreesWithExit(r, file))
    }
    const whole = rowKeys(expectArtifactAgreesWithExit(f, full))
    const [s1, s2] = shards.map(rowKeys) as [string[], string[]]
    expect(s1.length).toBeGreaterThan(0)
    expect(s2.length).toBeGreaterThan(0)
    expect(s1.filter((k) => s2.includes(k))).toEqual([])
    expect([...s1, ...s2].sort()).toEqual(whole)
  })

  it('two evals of one name fail the run (exit 1) although every test passed', async () => {
    const report = path.join(dir, 'dup.json')
    const r = await jest(['evals/dup'], { EVALGATE_REPORT: report })
    expect(jestCounts(r.output)).toEqual({ passed: 4, failed: 0, skipped: 0, todo: 0 })
    expect(r.code).toBe(1)
    expect(r.output).toContain('evalgate: 2 evals are named "same name"')
    expect(expectArtifactAgreesWithExit(r, report).status).toBe('failed')
  })

  it('a run with no test at all still writes its artifact (evals: [])', async () => {
    const report = path.join(dir, 'none.json')
    const r = await jest(['no-such-file', '--passWithNoTests'], { EVALGATE_REPORT: report })
    expect(r.code, r.output).toBe(0)
    expect(expectArtifactAgreesWithExit(r, report).evals).toEqual([])
  })
})
