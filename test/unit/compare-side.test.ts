// What a comparison reads of an artifact (core/compare-side.ts): the per-row columns built
// from the rows, and the comparison built from them after they crossed to another thread.
import { describe, expect, it } from 'vitest'
import { compareReports, compareSides } from '../../src/core/compare.js'
import { flipDetails, summarizeSide, transferablesOf } from '../../src/core/compare-side.js'
import type { Report, ReportRow } from '../../src/core/report.js'
import { ReportSchema } from '../../src/core/report-schema.js'

type Feedback = ReportRow['feedback'][number]

function fb(name: string, value: Feedback['value'], extra: Partial<Feedback> = {}): Feedback {
  const score =
    typeof value === 'boolean' ? (value ? 1 : 0) : typeof value === 'number' ? value : null
  return {
    name,
    scorer: name,
    value,
    score,
    passed: typeof value === 'boolean' ? value : null,
    rationale: `${name} says ${String(value)}`,
    error: null,
    source: { type: 'CODE' },
    metadata: null,
    ...extra,
  }
}

function row(index: number, trial: number, feedback: Feedback[], extra: Partial<ReportRow> = {}) {
  return {
    index,
    trial,
    id: `r${index}`,
    inputs: { index },
    outputs: null,
    expectations: null,
    metadata: null,
    latencyMs: 100 + index,
    feedback,
    error: null,
    passed: true,
    trace: null,
    ...extra,
  } satisfies ReportRow
}

function report(rows: ReportRow[], trials = 1): Report {
  const usage = { requests: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: null }
  return ReportSchema.parse({
    schemaVersion: 2,
    tool: { name: 'evalgate', version: '0.1.0', host: 'vitest', hostVersion: '4.1.12' },
    startedAt: '2026-11-30T00:00:00.000Z',
    durationMs: 1,
    status: 'passed',
    partial: false,
    evals: [
      {
        name: 'qa',
        file: 'evals/qa.eval.ts',
        status: 'passed',
        trials,
        trialPassRate: 0.5,
        statistics: { confidence: 0.95, method: 't', resamples: 2000, seed: 0 },
        rows,
        metrics: Object.fromEntries(
          ['correct', 'score', 'latency_ms'].map((m) => [
            m,
            { count: 1, errors: 0, unscored: 0, skipped: 0 },
          ]),
        ),
        thresholds: [{ key: 'score/mean', min: 0.5, actual: 0.5, passed: true }],
        maxErrors: 0,
        erroredRows: 0,
        datasetRows: 6,
        failures: [],
        usage: { ...usage, judges: {} },
      },
    ],
    errors: [],
    usage: { ...usage, judges: {} },
  })
}

/** Six dataset rows of two trials each: some pass, some fail, values vary by row and trial. */
function rowsOf(shift: number): ReportRow[] {
  const out: ReportRow[] = []
  for (let i = 0; i < 6; i++) {
    for (let t = 0; t < 2; t++) {
      const ok = (i + shift) % 3 !== 0 || (t === 1 && i === 4)
      out.push(row(i, t, [fb('correct', ok), fb('score', ((i * 7 + t + shift) % 10) / 10)]))
    }
  }
  return out
}

/** The same rows in another order (a merge or a host may write them so). */
function shuffled(rows: ReportRow[]): ReportRow[] {
  return rows
    .map((r, k) => [((k * 7919) % 13) + k / 100, r] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, r]) => r)
}

const files = (a: Report, b: Report) =>
  [
    { file: 'base.json', report: a },
    { file: 'cand.json', report: b },
  ] as const

describe('summarizeSide', () => {
  it("averages a row's trials per metric, each value of a metric given twice in a trial counting, errors left out", () => {
    const r = report(
      [
        row(0, 1, [fb('score', 0.5), fb('score', 1)]),
        row(0, 0, [fb('score', 0), fb('correct', true, { error: { code: 'E', message: 'x' } })]),
        row(1, 0, [fb('correct', false)], { id: 'first' }),
        row(1, 1, [fb('correct', true)], { id: 'second' }),
      ],
      2,
    )
    const e = summarizeSide('a.json', r).evals[0]!
    expect([...e.index]).toEqual([0, 1])
    expect(e.ids).toEqual(['r0', 'first'])
    const score = e.columns.get('score')!
    expect(score.mean[0]).toBe((0 + 0.5 + 1) / 3)
    expect(Number.isNaN(score.mean[1]!)).toBe(true)
    const correct = e.columns.get('correct')!
    // The errored verdict of row 0 is no verdict; row 1: one trial failed, then one passed.
    expect([...correct.judged]).toEqual([0, 2])
    expect([...correct.passes]).toEqual([0, 1])
    expect([correct.firstFailRow[1], correct.firstPassRow[1]]).toEqual([2, 3])
    expect(correct.scored && !correct.nonBinary).toBe(true)
    expect(score.nonBinary).toBe(true)
  })

  it("latency_ms is the task's, unless a scorer names its metric so in that trial, and no errored task's", () => {
    const r = report([
      row(0, 0, [fb('correct', true)], { latencyMs: 40 }),
      row(1, 0, [fb('latency_ms', 7)], { latencyMs: 40 }),
      row(2, 0, [], { latencyMs: 40, error: { code: 'TASK_ERROR', message: 'boom' } }),
      row(3, 0, [], { latencyMs: null }),
    ])
    const latency = summarizeSide('a.json', r).evals[0]!.columns.get('latency_ms')!
    expect([...latency.mean].map((v) => (Number.isNaN(v) ? null : v))).toEqual([40, 7, null, null])
  })
})

describe('compareSides', () => {
  it('gives compareReports’s comparison from summaries that crossed to another thread', () => {
    const a = report(rowsOf(0), 2)
    const b = report(rowsOf(1), 2)
    const expected = compareReports(...files(a, b), { version: '0.1.0' })
    expect(expected.evals[0]!.flips.length).toBeGreaterThan(0)
    // As a worker thread sends a summary: structured clone, its typed arrays moved.
    const cross = <T>(v: T, transfer: ArrayBuffer[]): T => structuredClone(v, { transfer })
    const sa = summarizeSide('base.json', a)
    const sb = summarizeSide('cand.json', b)
    const pending = compareSides(cross(sa, transferablesOf(sa)), cross(sb, transferablesOf(sb)), {
      version: '0.1.0',
    })
    const shown = (r: Report, refs: typeof pending.baselineRefs) =>
      JSON.parse(JSON.stringify(flipDetails(r, structuredClone(refs))))
    const got = pending.complete(shown(a, pending.baselineRefs), shown(b, pending.candidateRefs))
    expect(got).toEqual(expected)
    expect(got.evals[0]!.flips[0]!.baseline.rationale).toMatch(/^correct says/)
  })

  it('rows in any order give the comparison of the rows in order', () => {
    const a = report(rowsOf(0), 2)
    const b = report(rowsOf(2), 2)
    const inOrder = compareReports(...files(a, b), { version: '0.1.0' })
    const a2 = report(shuffled(rowsOf(0)), 2)
    const b2 = report(shuffled(rowsOf(2)), 2)
    const mixed = compareReports(...files(a2, b2), { version: '0.1.0' })
    // The flips show the same trials (found again in the shuffled rows).
    expect(mixed).toEqual(inOrder)
  })
})
