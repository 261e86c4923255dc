// Issue 14 in core: a judge's agreement with the human labels rows carry, and gates on it.
import { describe, expect, it } from 'vitest'
import { prepareEval, summarizeEval } from '../../src/core/evaluate.js'
import type { RowResult } from '../../src/core/run.js'
import { scorer } from '../../src/core/scorer.js'
import type { Thresholds } from '../../src/core/thresholds.js'

const judge = scorer('correctness', () => 'yes')

/** A row whose judge said `judged` and whose human label (at `where`) is `human`. */
function row(index: number, judged: boolean, human: unknown, where = 'human'): RowResult {
  const expectations = where === 'human' ? { human: { correctness: human } } : { [where]: human }
  return {
    index,
    trial: 0,
    id: null,
    inputs: {},
    outputs: 'x',
    expectations,
    metadata: null,
    latencyMs: null,
    feedback: [
      {
        name: 'correctness',
        scorer: 'correctness',
        value: judged ? 'yes' : 'no',
        score: judged ? 1 : 0,
        passed: judged,
        rationale: null,
        error: null,
        source: { type: 'LLM_JUDGE', id: 'm' },
        metadata: null,
      },
    ],
    error: null,
    passed: judged,
    trace: null,
  }
}

/** Cohen's classic example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → κ = 0.4. */
function classic(where?: string): RowResult[] {
  const cells: Array<[boolean, string, number]> = [
    [true, 'yes', 20],
    [true, 'no', 5],
    [false, 'yes', 10],
    [false, 'no', 15],
  ]
  const out: RowResult[] = []
  for (const [j, h, n] of cells) for (let i = 0; i < n; i++) out.push(row(out.length, j, h, where))
  return out
}

function summary(rows: RowResult[], thresholds?: Thresholds, agreement?: Record<string, string>) {
  return summarizeEval(
    prepareEval({ scorers: [judge], hasTask: false, thresholds, agreement }),
    rows,
  )
}

describe('agreement with human labels', () => {
  it("reports n, accuracy, κ, TPR, TNR and the confusion matrix (Cohen's worked example)", () => {
    const a = summary(classic()).agreement?.correctness
    expect(a).toMatchObject({
      n: 50,
      accuracy: 0.7,
      confusion: { tp: 20, fp: 5, fn: 10, tn: 15 },
    })
    expect(a?.kappa).toBeCloseTo(0.4, 12)
    expect(a?.tpr).toBeCloseTo(20 / 30, 12)
    expect(a?.tnr).toBeCloseTo(15 / 20, 12)
  })

  it('corrects the judge pass rate for its errors: θ = (p + q0 − 1) / (q0 + q1 − 1)', () => {
    const a = summary(classic()).agreement?.correctness
    const p = 25 / 50
    const q0 = 15 / 20
    const q1 = 20 / 30
    if (a?.corrected.estimate === null || a === undefined) throw new Error('no estimate')
    expect(a.corrected.estimate).toBeCloseTo((p + q0 - 1) / (q0 + q1 - 1), 12)
    expect(a.corrected.low).toBeLessThan(a.corrected.estimate)
    expect(a.corrected.high).toBeGreaterThan(a.corrected.estimate)
  })

  it('reads the label from the path the agreement option names', () => {
    const s = summary(classic('human_correctness'), undefined, {
      correctness: 'expectations.human_correctness',
    })
    expect(s.agreement?.correctness?.n).toBe(50)
  })

  it('gates on kappa, accuracy and corrected; a bound outside their range is refused', () => {
    const s = summary(classic(), {
      'correctness/kappa': 0.6,
      'correctness/accuracy': 0.6,
      'correctness/corrected': { min: 0.3 },
    })
    expect(s.thresholds.map((g) => [g.key, g.passed])).toEqual([
      ['correctness/kappa', false],
      ['correctness/accuracy', true],
      ['correctness/corrected', true],
    ])
    expect(() =>
      prepareEval({ scorers: [judge], hasTask: false, thresholds: { 'correctness/kappa': 2 } }),
    ).toThrow('bound min 2 is outside the range [-1, 1] that kappa can take')
  })

  it('without labels there is no agreement, and a gate on it fails saying why', () => {
    const rows = classic().map((r) => ({ ...r, expectations: null }))
    const s = summary(rows, { 'correctness/kappa': 0.5 })
    expect(s.agreement).toBeUndefined()
    expect(s.thresholds[0]?.passed).toBe(false)
    expect(s.thresholds[0]?.reason).toContain(
      'no judged row of "correctness" carries a yes/no human label',
    )
  })

  it('a bad agreement option is a configuration error naming the metric', () => {
    expect(() =>
      prepareEval({
        scorers: [judge],
        hasTask: false,
        agreement: { correctnes: 'expectations.x' },
      }),
    ).toThrow('"agreement": no metric "correctnes"')
    expect(() =>
      prepareEval({ scorers: [judge], hasTask: false, agreement: { correctness: 'human' } }),
    ).toThrow(`"agreement.correctness": expected a path such as 'expectations.human_correctness'`)
  })
})
