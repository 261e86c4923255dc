import { describe, expect, it } from 'vitest'
import { mergeReports } from '../../src/core/merge.js'
import type { Report } from '../../src/core/report.js'
import { ReportSchema } from '../../src/core/report-schema.js'
import type { RowResult } from '../../src/core/run.js'
import { scorer } from '../../src/core/scorer.js'
import { shardOf } from '../../src/core/shard.js'
import { artifactOf, type EvalDef, runAll, withoutTimings } from './cli-artifacts.js'

const exact = scorer('exact', ({ outputs, expectations }) => ({
  value: outputs === expectations.answer,
  rationale: `expected ${String(expectations.answer)}`,
  // A judge's usage, so usage is summed across shards (costs in micro-dollars).
  metadata: {
    usage: { requests: 1, cacheHits: 0, inputTokens: 10, outputTokens: 2, costUsd: 0.0001 },
  },
}))
const length = scorer('length', ({ outputs }) => String(outputs).length, { threshold: 3 })

function rowsOf(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    inputs: { q: i },
    expectations: {
      answer: i % 3 === 0 ? 'no' : 'yes',
      human: { exact: i % 4 === 0 ? 'no' : 'yes' },
    },
  }))
}

// Trials disagree on some rows (flaky), as sampled outputs do: the nth call of a row differs.
const calls = new Map<number, number>()
const task = (inputs: Record<string, unknown>) => {
  const i = Number(inputs.q)
  const n = calls.get(i) ?? 0
  calls.set(i, n + 1)
  return (i * 7 + n) % 5 === 0 ? 'maybe' : 'yes'
}

const big: EvalDef = {
  name: 'support',
  file: 'evals/support.eval.ts',
  data: rowsOf(60),
  scorers: [exact, length],
  task,
  trials: 3,
  thresholds: {
    'exact/mean': { min: 0.3, confidence: 0.95 },
    'length/passRate': 0.5,
    'exact/pass^3': { min: 0 },
    'exact/kappa': { min: -1 },
  },
}
const small: EvalDef = {
  name: 'tiny',
  file: 'evals/tiny.eval.ts',
  data: rowsOf(5),
  scorers: [exact],
  task,
}

function shardRows(rows: readonly RowResult[], i: number, n: number): RowResult[] {
  return rows.filter((r) => shardOf({ id: r.id, index: r.index }, n) === i)
}

describe('mergeReports', () => {
  it('row shards 1/3..3/3 merge into the unsharded artifact (metrics, intervals, gates, agreement, usage)', async () => {
    const rowsBig = await runAll(big)
    const rowsSmall = await runAll(small)
    const unsharded = artifactOf([
      { def: big, rows: rowsBig },
      { def: small, rows: rowsSmall },
    ])
    const shards = [1, 2, 3].map((i) =>
      artifactOf(
        [
          { def: big, rows: shardRows(rowsBig, i, 3) },
          { def: small, rows: shardRows(rowsSmall, i, 3) },
        ],
        { startedAt: `2026-01-01T00:00:0${i}.000Z`, durationMs: 100 * i },
      ),
    )
    for (const s of shards) expect(s.partial).toBe(true)
    const merged = mergeReports(shards.map((report, i) => ({ file: `s${i + 1}.json`, report })))
    expect(ReportSchema.safeParse(merged).success).toBe(true)
    expect(withoutTimings(merged)).toEqual(withoutTimings(unsharded))
    // The order of the keys too, so the JSON text is the same.
    const a = JSON.stringify(withoutTimings(merged))
    const b = JSON.stringify(withoutTimings(unsharded))
    let at = 0
    while (at < a.length && a[at] === b[at]) at++
    expect(a.slice(Math.max(0, at - 200), at + 100)).toBe(b.slice(Math.max(0, at - 200), at + 100))
    expect(merged.startedAt).toBe('2026-01-01T00:00:01.000Z')
    expect(merged.durationMs).toBe(300)
    expect(merged.partial).toBe(false)
    expect(merged.evals[0]!.agreement).toBeDefined()
    expect(merged.usage.costUsd).toBe(unsharded.usage.costUsd)
  })

  it('file shards (each eval whole in one shard) merge into the unsharded artifact', async () => {
    const rowsBig = await runAll(big)
    const rowsSmall = await runAll(small)
    const unsharded = artifactOf([
      { def: big, rows: rowsBig },
      { def: small, rows: rowsSmall },
    ])
    const a = artifactOf([{ def: small, rows: rowsSmall }])
    const b = artifactOf([{ def: big, rows: rowsBig }])
    const merged = mergeReports([
      { file: 'a.json', report: a },
      { file: 'b.json', report: b },
    ])
    expect(withoutTimings(merged)).toEqual(withoutTimings(unsharded))
  })

  it('keeps a run partial while rows are still missing', async () => {
    const rows = await runAll(big)
    const shards = [1, 2].map((i) => artifactOf([{ def: big, rows: shardRows(rows, i, 3) }]))
    const merged = mergeReports(shards.map((report, i) => ({ file: `s${i}.json`, report })))
    expect(merged.partial).toBe(true)
    expect(merged.evals[0]!.status).toBe('partial')
    expect(merged.evals[0]!.thresholds.every((g) => g.passed === null)).toBe(true)
  })

  it('fails the merged run when the merged rows fail a gate that no shard could evaluate', async () => {
    const def: EvalDef = { ...big, thresholds: { 'exact/mean': 0.99 } }
    const rows = await runAll(def)
    const shards = [1, 2].map((i) => artifactOf([{ def, rows: shardRows(rows, i, 2) }]))
    expect(shards.map((s) => s.status)).toEqual(['passed', 'passed'])
    const merged = mergeReports(shards.map((report, i) => ({ file: `s${i}.json`, report })))
    expect(merged.status).toBe('failed')
    expect(merged.evals[0]!.failures[0]).toMatch(/^exact\/mean: /)
  })

  it('keeps the failure of a shard that failed outside its evals (another test)', async () => {
    const def: EvalDef = { ...small, thresholds: { 'exact/mean': 0 } }
    const rows = await runAll(def)
    const a = artifactOf([{ def, rows: shardRows(rows, 1, 2) }], { hostFailed: true })
    const b = artifactOf([{ def, rows: shardRows(rows, 2, 2) }])
    const merged = mergeReports([
      { file: 'a.json', report: a },
      { file: 'b.json', report: b },
    ])
    expect(merged.evals[0]!.status).toBe('passed')
    expect(merged.status).toBe('failed')
  })

  it('rejects overlapping shards, naming the eval, the rows and both files', async () => {
    const rows = await runAll(small)
    const a = artifactOf([{ def: small, rows: rows.slice(0, 3) }])
    const b = artifactOf([{ def: small, rows: rows.slice(2) }])
    expect(() =>
      mergeReports([
        { file: 'a.json', report: a },
        { file: 'b.json', report: b },
      ]),
    ).toThrow(
      'evalgate: merge: eval "tiny" (evals/tiny.eval.ts): 1 row result(s) are in more than one shard: row 2 trial 0 (in a.json and b.json)',
    )
  })

  it('rejects shards that ran the eval differently, naming the field and the files', async () => {
    const rows = await runAll(small)
    const a = artifactOf([{ def: small, rows: rows.slice(0, 2) }])
    const other: EvalDef = { ...small, thresholds: { 'exact/mean': 0.5 } }
    const b = artifactOf([{ def: other, rows: rows.slice(2) }])
    expect(() =>
      mergeReports([
        { file: 'a.json', report: a },
        { file: 'b.json', report: b },
      ]),
    ).toThrow(
      /eval "tiny" \(evals\/tiny\.eval\.ts\) has thresholds \[\] in a\.json but .* in b\.json/,
    )
    const moreRows: EvalDef = { ...small, data: rowsOf(6) }
    const c = artifactOf([{ def: moreRows, rows: rows.slice(2) }])
    expect(() =>
      mergeReports([
        { file: 'a.json', report: a },
        { file: 'c.json', report: c },
      ]),
    ).toThrow(/has datasetRows \(the dataset differs\) 5 in a\.json but 6 in c\.json/)
  })

  it('rejects shards whose row of one index has two ids (two datasets)', async () => {
    const rows = await runAll(small)
    const a = artifactOf([{ def: small, rows: rows.slice(0, 2) }])
    const renamed = rows
      .slice(1, 3)
      .map((r) => ({ ...r, trial: r.index === 1 ? 1 : 0, id: `x${r.index}` }))
    const b = artifactOf([{ def: { ...small, trials: 1 }, rows: renamed }])
    expect(() =>
      mergeReports([
        { file: 'a.json', report: a },
        { file: 'b.json', report: b },
      ]),
    ).toThrow(
      /row 1 has id "q1" in one shard and "x1" in b\.json; the shards ran different datasets/,
    )
  })

  it('rejects shards of two hosts or two evalgate versions', async () => {
    const rows = await runAll(small)
    const a = artifactOf([{ def: small, rows }])
    const jest: Report = { ...a, tool: { ...a.tool, host: 'jest' } }
    expect(() =>
      mergeReports([
        { file: 'a.json', report: a },
        { file: 'j.json', report: jest },
      ]),
    ).toThrow('a.json was written by vitest and j.json by jest')
    const newer: Report = { ...a, tool: { ...a.tool, version: '9.9.9' } }
    expect(() =>
      mergeReports([
        { file: 'a.json', report: a },
        { file: 'n.json', report: newer },
      ]),
    ).toThrow('a.json was written by evalgate 0.1.0 and n.json by evalgate 9.9.9')
  })

  it('a custom aggregation over several shards has no merged value, and a gate on it fails saying why', async () => {
    const trimmed = function trimmed(scores: number[]) {
      return scores.reduce((s, v) => s + v, 0) / scores.length
    }
    const withCustom = scorer(
      'exact',
      ({ outputs, expectations }) => outputs === expectations.answer,
      {
        aggregations: ['mean', trimmed],
      },
    )
    const def: EvalDef = { ...small, scorers: [withCustom], thresholds: { 'exact/trimmed': 0 } }
    const rows = await runAll(def)
    const whole = artifactOf([{ def, rows }])
    expect(whole.evals[0]!.metrics.exact!.trimmed).toBeTypeOf('number')
    const shards = [1, 2].map((i) => artifactOf([{ def, rows: shardRows(rows, i, 2) }]))
    const merged = mergeReports(shards.map((report, i) => ({ file: `s${i}.json`, report })))
    const m = merged.evals[0]!.metrics.exact!
    expect(m.trimmed).toBeNull()
    expect(m.aggregationErrors?.trimmed).toMatch(
      /^a merge cannot recompute the custom aggregation "trimmed": the artifact stores its name, not its function/,
    )
    expect(merged.evals[0]!.thresholds[0]).toMatchObject({ passed: false, actual: null })
    expect(merged.evals[0]!.thresholds[0]!.reason).toMatch(/a merge cannot recompute/)
    expect(merged.status).toBe('failed')
    // All rows in one shard: that shard's own values are kept.
    const empty = artifactOf([{ def, rows: [] }])
    const kept = mergeReports([
      { file: 'whole.json', report: whole },
      { file: 'empty.json', report: empty },
    ])
    expect(withoutTimings(kept)).toEqual(withoutTimings(whole))
  })

  it('agreement read from another place than expectations.human is not recomputed: no value, rather than a wrong one', async () => {
    const data = rowsOf(12).map((r, i) => ({
      ...r,
      metadata: { label: i % 2 === 0 ? 'yes' : 'no' },
    }))
    const def: EvalDef = {
      ...small,
      data,
      agreement: { exact: 'metadata.label' },
      thresholds: { 'exact/kappa': { min: -1 } },
    }
    const rows = await runAll(def)
    const shards = [1, 2].map((i) => artifactOf([{ def, rows: shardRows(rows, i, 2) }]))
    const merged = mergeReports(shards.map((report, i) => ({ file: `s${i}.json`, report })))
    const e = merged.evals[0]!
    expect(e.agreement?.exact).toBeUndefined()
    expect(e.metrics.exact!.kappa).toBeNull()
    expect(e.metrics.exact!.aggregationErrors?.kappa).toMatch(/a merge cannot recompute agreement/)
    expect(e.thresholds[0]).toMatchObject({ key: 'exact/kappa', passed: false })
    expect(e.status).toBe('failed')
  })

  it('keeps every file error once, and the duplicate-name error of evals split across shards', async () => {
    const rows = await runAll(small)
    const twin: EvalDef = { ...small, file: 'evals/twin.eval.ts' }
    const a = artifactOf([{ def: small, rows }])
    const b = artifactOf([{ def: twin, rows }])
    const merged = mergeReports([
      { file: 'a.json', report: a },
      { file: 'b.json', report: b },
    ])
    expect(merged.errors).toHaveLength(1)
    expect(merged.errors[0]!.message).toMatch(/2 evals are named "tiny"/)
    const again = mergeReports([
      { file: 'm1.json', report: merged },
      { file: 'm2.json', report: { ...merged, evals: [] } },
    ])
    expect(again.errors).toEqual(merged.errors)
  })
})
