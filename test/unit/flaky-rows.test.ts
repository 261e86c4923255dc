// Issue 11, as people read it: which rows are flaky (their trials disagree on a metric), and
// what a gate with `confidence` says in the thresholds failure message. Core's summary (real
// summarizeEval) is the reference the listings must agree with.
import { describe, expect, it } from 'vitest'
import { prepareEval, summarizeEval } from '../../src/core/evaluate.js'
import {
  describeFlakyRow,
  type FailingRowSource,
  flakyRows,
  listFlakyRows,
} from '../../src/core/failing-rows.js'
import { gateReason, gateTarget } from '../../src/core/gate-text.js'
import type { RowResult } from '../../src/core/run.js'
import type { FeedbackResult } from '../../src/core/score.js'
import { scorer } from '../../src/core/scorer.js'
import { describeEvalFailure } from '../../src/core/verdict.js'

const correct = scorer('correct', () => true)
const polite = scorer('polite', () => true)
const length = scorer('length', () => 1)

type Mark = boolean | 'error' | 'skip'

function fb(name: string, mark: Mark): FeedbackResult {
  const base = { name, scorer: name, rationale: null, source: null, metadata: null }
  if (mark === 'error') {
    return {
      ...base,
      value: null,
      score: null,
      passed: null,
      error: { code: 'SCORER_ERROR', message: 'boom' },
    }
  }
  if (mark === 'skip') return { ...base, value: null, score: null, passed: null, error: null }
  return { ...base, value: mark, score: mark ? 1 : 0, passed: mark, error: null }
}

/** One trial of a row: `correct` and `polite` as marked, and an unthresholded number. */
function trial(index: number, t: number, c: Mark, p: Mark, id: string | null = `q${index}`) {
  return {
    index,
    trial: t,
    id,
    inputs: {},
    outputs: 'x',
    expectations: null,
    metadata: null,
    latencyMs: null,
    feedback: [
      fb('correct', c),
      fb('polite', p),
      { ...fb('length', true), value: 3 + t, score: 3 + t, passed: null },
    ],
    error: null,
    passed: c === true && p === true,
    trace: null,
  } satisfies RowResult
}

describe('flakyRows', () => {
  const rows: RowResult[] = [
    // q0: steady on both.
    trial(0, 0, true, true),
    trial(0, 1, true, true),
    trial(0, 2, true, true),
    // q1: correct disagrees; polite steady.
    trial(1, 0, true, true),
    trial(1, 1, false, true),
    trial(1, 2, true, true),
    // [2] (no id): both disagree; an errored and an abstaining trial give no verdict.
    trial(2, 0, false, 'skip', null),
    trial(2, 1, 'error', false, null),
    trial(2, 2, true, true, null),
    // q3: one verdict only (the others errored): nothing to disagree with.
    trial(3, 0, 'error', true),
    trial(3, 1, false, true),
    trial(3, 2, 'error', true),
  ]

  it('lists (row, metric) pairs whose trials disagree, in row then metric order, as core counts them', () => {
    // Given in any order: trials are sorted.
    const flaky = flakyRows([...rows].reverse())
    expect(flaky).toEqual([
      { row: '"q1"', index: 1, metric: 'correct', passed: 2, judged: 3, trials: '✓✗✓' },
      { row: '[2]', index: 2, metric: 'correct', passed: 1, judged: 2, trials: '✗!✓' },
      { row: '[2]', index: 2, metric: 'polite', passed: 1, judged: 2, trials: '·✗✓' },
    ])
    const summary = summarizeEval(
      prepareEval({ scorers: [correct, polite, length], hasTask: false, trials: 3 }),
      rows,
    )
    for (const metric of ['correct', 'polite', 'length']) {
      expect(flaky.filter((f) => f.metric === metric).length, metric).toBe(
        summary.metrics[metric]!.flaky,
      )
    }
  })

  it('a row whose task errored in one trial marks that trial !', () => {
    const errored: FailingRowSource = {
      index: 0,
      trial: 1,
      id: 'a',
      feedback: [],
      error: { code: 'TASK_ERROR', message: 'x' },
    }
    const flaky = flakyRows([trial(0, 0, true, true, 'a'), errored, trial(0, 2, false, true, 'a')])
    expect(flaky.map(describeFlakyRow)).toEqual(['row "a", correct: passed 1 of 2 trials (✓!✗)'])
  })

  it('one trial per row is never flaky', () => {
    expect(flakyRows([trial(0, 0, true, false), trial(1, 0, false, true)])).toEqual([])
  })

  it('lists the first 10, then how many more', () => {
    const many = Array.from({ length: 12 }, (_, i) => [
      trial(i, 0, true, true),
      trial(i, 1, false, true),
    ]).flat()
    const lines = listFlakyRows(flakyRows(many))
    expect(lines).toHaveLength(11)
    expect(lines[0]).toBe('row "q0", correct: passed 1 of 2 trials (✓✗)')
    expect(lines.at(-1)).toBe('... and 2 more')
  })
})

describe('gate text', () => {
  it('a target says the level of a confidence gate, and plausible when it is one', () => {
    expect(gateTarget({ key: 'a/mean', min: 0.9, passed: true })).toBe('>= 0.9')
    expect(gateTarget({ key: 'a/p90', max: 2000, passed: true })).toBe('<= 2000')
    expect(gateTarget({ key: 'a/mean', min: 0.5, max: 1, passed: true })).toBe('0.5..1')
    expect(gateTarget({ key: 'a/mean', min: 0.7, confidence: 0.95, passed: true })).toBe(
      '>= 0.7 (95%)',
    )
    expect(
      gateTarget({
        key: 'a/mean',
        max: 0.1,
        confidence: 0.999,
        require: 'plausible',
        passed: false,
      }),
    ).toBe('<= 0.1 (99.9%, plausible)')
  })

  it('a passing confidence gate names the end compared with the target; failing reasons are kept', () => {
    const ci = '95% CI [0.7, 0.9] (t, n = 30 in 10 rows)'
    const gate = { key: 'a/mean', confidence: 0.95, passed: true, reason: ci }
    expect(gateReason({ ...gate, min: 0.6, bound: 0.7 })).toBe(`lower bound 0.7 >= min 0.6 (${ci})`)
    expect(gateReason({ ...gate, min: 0.85, bound: 0.9, require: 'plausible' })).toBe(
      `upper bound 0.9 >= min 0.85 (${ci})`,
    )
    expect(gateReason({ ...gate, max: 0.95, bound: 0.9 })).toBe(
      `upper bound 0.9 <= max 0.95 (${ci})`,
    )
    expect(gateReason({ ...gate, max: 0.75, bound: 0.7, require: 'plausible' })).toBe(
      `lower bound 0.7 <= max 0.75 (${ci})`,
    )
    expect(
      gateReason({
        key: 'latency_ms/mean',
        max: 900,
        confidence: 0.9,
        passed: true,
        bound: 864.6,
        reason: ci,
      }),
    ).toBe(`upper bound 865 <= max 900 (${ci})`)
    const failing = `lower bound 0.7 < min 0.8 (${ci})`
    expect(gateReason({ ...gate, min: 0.8, bound: 0.7, passed: false, reason: failing })).toBe(
      failing,
    )
    expect(gateReason({ key: 'a/mean', min: 0.5, passed: true })).toBeUndefined()
    expect(gateReason({ key: 'a/mean', min: 0.5, passed: false, reason: '0.4 < min 0.5' })).toBe(
      '0.4 < min 0.5',
    )
  })
})

describe('the thresholds failure message of a confidence gate', () => {
  it('shows the level in the target and the bound compared, the interval and n in the reason', () => {
    // 10 rows x 3 trials, 80% pass: the point estimate clears 0.75, the interval does not.
    const rows = Array.from({ length: 10 }, (_, i) =>
      [0, 1, 2].map((t) => trial(i, t, !(i % 5 === 0 && t < 2) && !(i === 3 && t === 0), true)),
    ).flat()
    const prepared = prepareEval({
      scorers: [correct, polite, length],
      hasTask: false,
      trials: 3,
      thresholds: {
        'correct/mean': { min: 0.75, confidence: 0.95 },
        'polite/mean': { min: 0.9, confidence: 0.95, require: 'plausible' },
      },
    })
    const summary = summarizeEval(prepared, rows)
    expect(summary.metrics.correct!.mean).toBeGreaterThan(0.75)
    expect(summary.passed).toBe(false)
    const message = describeEvalFailure('flaky bot', summary, rows)
    const lines = message.split('\n')
    expect(lines[0]).toBe('eval "flaky bot" failed:')
    expect(lines[1]).toMatch(/^gate +target +actual +reason$/)
    expect(lines[3]).toMatch(
      /^correct\/mean +>= 0\.75 \(95%\) +0\.833 +lower bound 0\.\d+ < min 0\.75 \(95% CI \[0\.\d+, [\d.]+\] \(t, n = 30 in 10 rows\)\)$/,
    )
    // Only failing gates are in the table: the plausible one passed.
    expect(message).not.toContain('polite/mean')
    expect(message).toContain('failing and errored rows (5):')
    expect(message).toContain('row "q0" (trial 0), correct: false')
  })
})
