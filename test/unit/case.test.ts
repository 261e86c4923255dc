import { describe, expect, it } from 'vitest'
import { EvalgateError } from '../../src/base/errors.js'
import { isScorer, scoreCase } from '../../src/core/case.js'
import { runRow } from '../../src/core/run.js'
import { type Scorer, type ScorerContext, scorer } from '../../src/core/scorer.js'
import { Trace } from '../../src/trace/index.js'

const exact = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected,
)
const relevance = scorer('relevance', () => ({ value: 0.6, rationale: 'partly on topic' }), {
  threshold: 0.5,
})
const length = scorer('length', ({ outputs }) => String(outputs).length)

describe('scoreCase', () => {
  it('passes when every metric passes, with one FeedbackResult per metric', async () => {
    const result = await scoreCase({
      scorers: exact,
      outputs: 'Paris',
      expectations: { expected: 'Paris' },
    })
    expect(result).toEqual({
      passed: true,
      error: null,
      errored: false,
      conclusive: true,
      feedback: [
        {
          name: 'exact_match',
          scorer: 'exact_match',
          value: true,
          score: 1,
          passed: true,
          rationale: null,
          error: null,
          source: { type: 'CODE', id: 'exact_match' },
          metadata: null,
        },
      ],
    })
  })

  it('fails when one metric of several scorers fails', async () => {
    const result = await scoreCase({
      scorers: [exact, relevance],
      outputs: 'Lyon',
      expectations: { expected: 'Paris' },
    })
    expect(result.passed).toBe(false)
    expect(result.feedback.map((fb) => [fb.name, fb.passed])).toEqual([
      ['exact_match', false],
      ['relevance', true],
    ])
  })

  it('gives the same feedback as runRow for the same row', async () => {
    const scorers = [exact, relevance, length]
    const row = { inputs: { q: 'capital?' }, outputs: 'Paris', expectations: { expected: 'Paris' } }
    const viaRow = await runRow({ row, index: 0, scorers })
    const viaCase = await scoreCase({ scorers, ...row })
    expect(viaCase.feedback).toEqual(viaRow.feedback)
    expect(viaCase.passed).toBe(viaRow.passed)
  })

  it('lets threshold override every scorer threshold, both up and down', async () => {
    const up = await scoreCase({ scorers: [relevance], outputs: 'x', threshold: 0.7 })
    expect(up.passed).toBe(false)
    expect(up.feedback[0]?.passed).toBe(false)
    const down = await scoreCase({ scorers: [length], outputs: 'abc', threshold: 3 })
    expect(down.feedback[0]).toMatchObject({ name: 'length', score: 3, passed: true })
    // Without a threshold, a number is recorded but has no pass rule.
    const none = await scoreCase({ scorers: [length], outputs: 'abc' })
    expect(none.feedback[0]?.passed).toBeNull()
    expect(none.passed).toBe(true)
  })

  it('keeps a hand-written scorer bound to itself when its threshold is overridden', async () => {
    class Budget implements Scorer {
      readonly name = 'budget'
      readonly threshold = 0.99
      constructor(private readonly limit: number) {}
      score({ outputs }: ScorerContext) {
        return String(outputs).length <= this.limit ? 1 : 0.5
      }
    }
    const result = await scoreCase({ scorers: new Budget(3), outputs: 'abcd', threshold: 0.5 })
    expect(result.feedback[0]).toMatchObject({ score: 0.5, passed: true, error: null })
  })

  it('passes inputs, expectations, metadata and trace to the scorer, with {} defaults and a minimal trace', async () => {
    const seen: unknown[] = []
    const spy = scorer('spy', (ctx) => {
      seen.push(ctx)
      return true
    })
    await scoreCase({
      scorers: spy,
      outputs: 'out',
      inputs: { q: 1 },
      expectations: { e: 2 },
      trace: { traceId: 't' },
    })
    await scoreCase({ scorers: spy, outputs: null })
    expect(seen).toEqual([
      {
        inputs: { q: 1 },
        outputs: 'out',
        expectations: { e: 2 },
        metadata: {},
        trial: 0,
        trace: { traceId: 't' },
      },
      {
        inputs: {},
        outputs: null,
        expectations: {},
        metadata: {},
        trial: 0,
        trace: expect.anything(),
      },
    ])
    // Without a trace, the case gets a minimal one (as MLflow): a root span of its inputs and
    // outputs, so trace-reading scorers work on stored outputs too.
    const minimal = (seen[1] as ScorerContext).trace
    expect(Trace.isTrace(minimal)).toBe(true)
    expect((minimal as Trace).spans).toHaveLength(1)
    expect((minimal as Trace).rootSpan).toMatchObject({ inputs: {}, outputs: null })
  })

  it('awaits async scorers', async () => {
    const slow = scorer('slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      return { value: 'no', rationale: 'took its time' }
    })
    const result = await scoreCase({ scorers: slow, outputs: 'x' })
    expect(result.feedback[0]).toMatchObject({
      value: 'no',
      score: 0,
      passed: false,
      rationale: 'took its time',
    })
  })

  it('turns a throwing scorer into an errored Feedback, never a throw', async () => {
    const boom = scorer('boom', () => {
      throw new Error('judge unreachable')
    })
    const result = await scoreCase({ scorers: [boom, exact], outputs: 'x' })
    expect(result.passed).toBe(false)
    expect(result.feedback[0]).toMatchObject({
      name: 'boom',
      passed: false,
      error: { code: 'SCORER_ERROR', message: 'judge unreachable' },
    })
  })

  it('reports a metric written by two scorers as a clash naming both', async () => {
    const other = scorer('other', () => ({ name: 'exact_match', value: true }))
    const result = await scoreCase({ scorers: [exact, other], outputs: 'x' })
    expect(result.passed).toBe(false)
    expect(result.feedback[0]?.error?.code).toBe('METRIC_NAME_CLASH')
    expect(result.feedback[0]?.error?.message).toContain('"exact_match" and scorer "other"')
  })

  it('reports undefined outputs as NO_OUTPUTS without running the scorers', async () => {
    let ran = false
    const s = scorer('s', () => {
      ran = true
      return true
    })
    const result = await scoreCase({ scorers: s, outputs: undefined })
    expect(ran).toBe(false)
    expect(result).toEqual({
      passed: false,
      feedback: [],
      error: {
        code: 'NO_OUTPUTS',
        message: 'evalgate: there is no output to score: received undefined',
      },
      errored: true,
      conclusive: false,
    })
  })

  it('is conclusive only without errors and with at least one pass rule', async () => {
    const length = scorer('length', ({ outputs }) => String(outputs).length)
    const boom = scorer('boom', () => {
      throw new Error('down')
    })
    const numeric = await scoreCase({ scorers: length, outputs: 'abc' })
    expect(numeric).toMatchObject({ passed: true, errored: false, conclusive: false })
    const withRule = await scoreCase({ scorers: length, outputs: 'abc', threshold: 2 })
    expect(withRule).toMatchObject({ passed: true, errored: false, conclusive: true })
    const failedAndErrored = await scoreCase({
      scorers: [boom, exact],
      outputs: 'x',
      expectations: { expected: 'y' },
    })
    expect(failedAndErrored).toMatchObject({ passed: false, errored: true, conclusive: false })
  })

  it('rejects bad scorers and options before any scorer runs', async () => {
    await expect(scoreCase({ scorers: [], outputs: 'x' })).rejects.toThrow(
      'evalgate: scoreCase(): expected at least one scorer, received an empty array',
    )
    await expect(scoreCase({ scorers: [exact, 42 as never], outputs: 'x' })).rejects.toThrow(
      'evalgate: scoreCase(): scorer 1: expected a Scorer { name, score(context) }, received 42',
    )
    await expect(
      scoreCase({ scorers: exact, outputs: 'x', threshold: Number.NaN }),
    ).rejects.toThrow(
      'evalgate: scoreCase(): expected "threshold" to be a finite number, received NaN',
    )
    await expect(
      scoreCase({ scorers: exact, outputs: 'x', inputs: ['q'] as never }),
    ).rejects.toThrow(EvalgateError)
    await expect(
      scoreCase({ scorers: exact, outputs: 'x', expectations: 'Paris' as never }),
    ).rejects.toThrow('expected "expectations" to be an object, received "Paris"')
  })
})

describe('isScorer', () => {
  it('accepts what validateScorer accepts', () => {
    expect(isScorer(exact)).toBe(true)
    expect(isScorer({ name: 'by_hand', score: () => 1 })).toBe(true)
  })

  it('rejects non-scorers and malformed scorers', () => {
    const factory = () => exact
    for (const candidate of [
      42,
      null,
      undefined,
      'exact_match',
      factory,
      [exact],
      { name: 'no_score' },
      { name: '', score: () => 1 },
      { name: 'bad_threshold', score: () => 1, threshold: Number.NaN },
    ]) {
      expect(isScorer(candidate), String(candidate)).toBe(false)
    }
  })
})
