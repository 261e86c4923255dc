import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { prepareEval, summarizeEval } from '../../src/core/evaluate.js'
import type { RowResult } from '../../src/core/run.js'
import type { FeedbackResult } from '../../src/core/score.js'
import { scorer } from '../../src/core/scorer.js'
import { rowVerdict } from '../../src/core/verdict.js'

type Fb = Partial<FeedbackResult>

const ERR = { code: 'SCORER_ERROR', message: 'x' }
const yes: Fb = { value: true, score: 1, passed: true }
const no: Fb = { value: false, score: 0, passed: false }
/** The scorer abstained on this row: no value, no error. */
const abstain: Fb = { value: null, score: null, passed: null }
const errored: Fb = { error: ERR, passed: false }

function row(index: number, feedback: Fb[], extra: Partial<RowResult> = {}): RowResult {
  const fbs: FeedbackResult[] = feedback.map((f) => ({
    name: 'm',
    scorer: 'm',
    value: null,
    score: null,
    passed: null,
    rationale: null,
    error: null,
    source: null,
    metadata: null,
    ...f,
  }))
  // Asserted, not annotated: RowResult is gaining fields (trial, metadata) elsewhere.
  return {
    index,
    trial: 0,
    id: null,
    inputs: {},
    outputs: null,
    expectations: null,
    latencyMs: null,
    feedback: fbs,
    error: null,
    passed: fbs.every((f) => f.passed !== false),
    metadata: null,
    trace: null,
    ...extra,
  } as RowResult
}

const taskError = { error: { code: 'TASK_ERROR', message: 'boom' }, passed: false, latencyMs: 5 }

const m = scorer('m', () => true)

describe('summarizeEval: abstentions', () => {
  it('counts a Feedback without value and error as skipped: never a score, error or failure', () => {
    const p = prepareEval({ scorers: [m], hasTask: false, maxErrors: 1 })
    const s = summarizeEval(p, [
      row(0, [yes]),
      row(1, [abstain]),
      row(2, [abstain]),
      row(3, [errored]),
    ])
    expect(s.metrics.m).toMatchObject({ count: 1, errors: 1, unscored: 0, skipped: 2, mean: 1 })
    expect(s).toMatchObject({ erroredRows: 1, failedRows: 1, passed: true, failures: [] })
  })

  it('a gate over a metric whose every row abstained still fails ("no scored values")', () => {
    const p = prepareEval({ scorers: [m], hasTask: false, thresholds: { 'm/mean': 0 } })
    const s = summarizeEval(p, [row(0, [abstain])])
    expect(s.metrics.m).toMatchObject({ count: 0, skipped: 1, mean: null })
    expect(s.thresholds[0]).toMatchObject({ passed: false, reason: 'no scored values' })
  })
})

describe('summarizeEval: an eval with no scored value fails, whatever maxErrors says', () => {
  it('every row errored, errors tolerated, no thresholds', () => {
    const p = prepareEval({ scorers: [m], hasTask: false, maxErrors: 5 })
    const s = summarizeEval(p, [row(0, [errored]), row(1, [errored])])
    expect(s.passed).toBe(false)
    expect(s.failures).toEqual(['no scored value in any row: every row errored'])
  })

  it('every task errored (their latency is not a value)', () => {
    const p = prepareEval({ scorers: [m], hasTask: true, maxErrors: 2 })
    const s = summarizeEval(p, [row(0, [], taskError), row(1, [], taskError)])
    expect(s.metrics.latency_ms).toMatchObject({ count: 0, errors: 2 })
    expect(s.failures).toEqual(['no scored value in any row: every row errored'])
  })

  it('every row abstained, or gave only values without a score', () => {
    const p = prepareEval({ scorers: [m], hasTask: false })
    expect(summarizeEval(p, [row(0, [abstain]), row(1, [abstain])]).failures).toEqual([
      'no scored value in any row: every row abstained',
    ])
    const free: Fb = { value: 'blue', score: null, passed: null }
    const tolerant = prepareEval({ scorers: [m], hasTask: false, maxErrors: 1 })
    expect(
      summarizeEval(tolerant, [row(0, [errored]), row(1, [abstain]), row(2, [free])]).failures,
    ).toEqual([
      'no scored value in any row: every row errored, abstained or gave a value without a score',
    ])
  })

  it('an eval with no rows at all', () => {
    const p = prepareEval({ scorers: [m], hasTask: false })
    const s = summarizeEval(p, [])
    expect(s.passed).toBe(false)
    expect(s.failures).toEqual(['no scored value: the eval has no rows'])
  })

  it('the latency of a task that ran is a scored value', () => {
    const p = prepareEval({ scorers: [m], hasTask: true })
    const s = summarizeEval(p, [row(0, [abstain], { latencyMs: 12 })])
    expect(s.metrics.latency_ms).toMatchObject({ count: 1 })
    expect(s).toMatchObject({ passed: true, failures: [] })
  })
})

describe('summarizeEval: a failing custom aggregation', () => {
  it('is one null value with its reason; its gate fails, the other gates stand', () => {
    const withTrimmed = scorer('m', () => true, {
      aggregations: [
        function trimmed(): number {
          throw new Error('boom')
        },
      ],
    })
    const p = prepareEval({
      scorers: [withTrimmed],
      hasTask: false,
      thresholds: { 'm/trimmed': 0, 'm/mean': 0.5 },
    })
    const s = summarizeEval(p, [row(0, [yes]), row(1, [yes])])
    expect(s.metrics.m).toMatchObject({
      count: 2,
      mean: 1,
      trimmed: null,
      aggregationErrors: { trimmed: 'custom aggregation "trimmed" threw: boom' },
    })
    expect(s.thresholds).toStrictEqual([
      {
        key: 'm/trimmed',
        min: 0,
        actual: null,
        passed: false,
        reason: 'custom aggregation "trimmed" threw: boom',
      },
      { key: 'm/mean', min: 0.5, actual: 1, passed: true },
    ])
    expect(s.failures).toEqual(['m/trimmed: custom aggregation "trimmed" threw: boom'])
  })
})

describe('summarizeEval: a bound outside the range the values show', () => {
  const toxic = scorer('toxic', () => 'yes')

  it('fails a gate on a yes/no metric that could never fail, saying why', () => {
    const p = prepareEval({
      scorers: [toxic],
      hasTask: false,
      thresholds: { 'toxic/mean': { max: 5 } },
    })
    const rows = [0, 1, 2].map((i) =>
      row(i, [{ name: 'toxic', scorer: 'toxic', value: 'yes', score: 1, passed: true }]),
    )
    const s = summarizeEval(p, rows)
    expect(s.passed).toBe(false)
    expect(s.failures).toEqual([
      'toxic/mean: bound max 5 is outside the range [0, 1] that mean of a yes/no metric can take; this gate could never fail',
    ])
  })

  it('leaves a numeric metric alone, even when some of its values were booleans', () => {
    const p = prepareEval({
      scorers: [toxic],
      hasTask: false,
      thresholds: { 'toxic/mean': { max: 5 } },
    })
    const mixed = [
      row(0, [{ name: 'toxic', scorer: 'toxic', value: true, score: 1, passed: true }]),
      row(1, [{ name: 'toxic', scorer: 'toxic', value: 0.5, score: 0.5, passed: null }]),
    ]
    expect(summarizeEval(p, mixed)).toMatchObject({ passed: true, failures: [] })
  })
})

describe('summarizeEval: gate reasons', () => {
  it('renders numbers as the report does, never a raw float', () => {
    const p = prepareEval({
      scorers: [m],
      hasTask: true,
      thresholds: { 'latency_ms/p90': { min: 100000 } },
    })
    const s = summarizeEval(p, [row(0, [yes], { latencyMs: 12222.221220000001 })])
    expect(s.failures).toEqual(['latency_ms/p90: 12222 < min 100000'])
  })
})

describe('summarizeEval: no phantom metric for a scorer that returns named Feedback', () => {
  const quality = scorer('quality', () => [{ name: 'length', value: 150 }])
  const length = (n: number): Fb => ({ name: 'length', scorer: 'quality', value: n, score: n })

  it('drops the scorer own name when no row produced it', () => {
    const p = prepareEval({ scorers: [quality], hasTask: true })
    const s = summarizeEval(p, [
      row(0, [length(150)], { latencyMs: 3 }),
      row(1, [length(90)], { latencyMs: 4 }),
    ])
    expect(Object.keys(s.metrics)).toEqual(['length', 'latency_ms'])
    expect(s.metrics.length).toMatchObject({ count: 2, mean: 120 })
  })

  it('keeps it when a row produced it (an error lands there), or when it is gated', () => {
    const p = prepareEval({ scorers: [quality], hasTask: false, maxErrors: 1 })
    const s = summarizeEval(p, [
      row(0, [length(150)]),
      row(1, [{ name: 'quality', scorer: 'quality', ...errored }]),
    ])
    expect(Object.keys(s.metrics)).toEqual(['quality', 'length'])
    expect(s.metrics.quality).toMatchObject({ count: 0, errors: 1 })

    const gated = prepareEval({
      scorers: [quality],
      hasTask: false,
      thresholds: { 'quality/mean': 0 },
    })
    const g = summarizeEval(gated, [row(0, [length(150)])])
    expect(Object.keys(g.metrics)).toEqual(['quality', 'length'])
    expect(g.thresholds[0]).toMatchObject({ passed: false, reason: 'no scored values' })
  })

  it('keeps it when the scorer produced nothing at all (every task errored): its errors show', () => {
    const p = prepareEval({ scorers: [quality], hasTask: true, maxErrors: 1 })
    const s = summarizeEval(p, [row(0, [], taskError)])
    expect(Object.keys(s.metrics)).toEqual(['quality', 'latency_ms'])
    expect(s.metrics.quality).toMatchObject({ count: 0, errors: 1 })
  })
})

describe('summarizeEval: partial runs', () => {
  const gatedP = prepareEval({ scorers: [m], hasTask: false, thresholds: { 'm/mean': 0.9 } })

  it('does not evaluate gates when rows were left out; only row tests decide', () => {
    const s = summarizeEval(gatedP, [row(0, [yes]), row(1, [no]), row(2, [no])], {
      datasetRows: 20,
    })
    expect(s.partial).toBe(true)
    expect(s.thresholds).toStrictEqual([
      {
        key: 'm/mean',
        min: 0.9,
        // The aggregate over the rows that ran, as the metrics show it.
        actual: s.metrics.m?.mean,
        passed: null,
        reason: 'not evaluated (partial run: 3 of 20 rows)',
      },
    ])
    expect(s).toMatchObject({ passed: true, failures: [] })
    expect(s.metrics.m).toMatchObject({ count: 3 })
    expect(s.metrics.m?.mean).toBeCloseTo(1 / 3, 15)
  })

  it('fails when a row fails its test: an error with maxErrors 0, a failing metric without gates', () => {
    const s = summarizeEval(gatedP, [row(0, [yes]), row(1, [errored])], { datasetRows: 5 })
    expect(s).toMatchObject({
      partial: true,
      passed: false,
      failures: ['1 errored row(s), more than maxErrors (0)'],
    })
    const tolerant = prepareEval({ scorers: [m], hasTask: false, maxErrors: 1 })
    expect(summarizeEval(tolerant, [row(0, [errored])], { datasetRows: 5 })).toMatchObject({
      passed: true,
      failures: [],
    })
    const unitMode = prepareEval({ scorers: [m], hasTask: false })
    expect(summarizeEval(unitMode, [row(0, [no])], { datasetRows: 5 })).toMatchObject({
      passed: false,
      failures: ['1 row(s) failed a metric'],
    })
  })

  it('does not fail for want of a scored value among the few rows that ran', () => {
    const unitMode = prepareEval({ scorers: [m], hasTask: false })
    expect(summarizeEval(unitMode, [row(0, [abstain])], { datasetRows: 5 })).toMatchObject({
      partial: true,
      passed: true,
      failures: [],
    })
  })

  it('counts distinct dataset rows (index), not trials', () => {
    const trial = (r: RowResult, t: number) => ({ ...r, trial: t }) as RowResult
    const rows = [trial(row(0, [yes]), 0), trial(row(0, [yes]), 1)]
    expect(summarizeEval(gatedP, rows, { datasetRows: 2 }).thresholds[0]).toMatchObject({
      passed: null,
      reason: 'not evaluated (partial run: 1 of 2 rows)',
    })
    const full = summarizeEval(gatedP, rows, { datasetRows: 1 })
    expect(full.partial).toBe(false)
    expect(full.thresholds[0]).toStrictEqual({ key: 'm/mean', min: 0.9, actual: 1, passed: true })
  })

  it('is a full run without datasetRows, or when every dataset row ran', () => {
    const rows = [row(0, [yes]), row(1, [no])]
    expect(summarizeEval(gatedP, rows).partial).toBe(false)
    const s = summarizeEval(gatedP, rows, { datasetRows: 2 })
    expect(s.partial).toBe(false)
    expect(s.thresholds[0]).toMatchObject({ passed: false, reason: '0.5 < min 0.9' })
  })

  it('property: a partial summary passes exactly when no row fails its test', () => {
    const fbKind = fc.constantFrom(yes, no, abstain, errored)
    const rowArb = fc.record({
      fb: fbKind,
      taskFailed: fc.boolean(),
    })
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (specs, extra, maxErrors, gated) => {
          const p = prepareEval({
            scorers: [m],
            hasTask: false,
            maxErrors,
            ...(gated ? { thresholds: { 'm/mean': 0.9 } } : {}),
          })
          const rows = specs.map((r, i) =>
            r.taskFailed ? row(i, [], { ...taskError, latencyMs: null }) : row(i, [r.fb]),
          )
          const s = summarizeEval(p, rows, { datasetRows: rows.length + extra })
          const failedTests = rows.filter((r) => rowVerdict(p, r).failed).length
          expect(s.partial).toBe(true)
          expect(s.passed).toBe(failedTests === 0)
          expect(s.failures.length === 0).toBe(s.passed)
          for (const g of s.thresholds) expect(g.passed).toBeNull()
        },
      ),
      { numRuns: 300 },
    )
  })
})
