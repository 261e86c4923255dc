import { describe, expect, it } from 'vitest'
import { passes, toScore } from '../../src/core/score.js'
import {
  isAbstention,
  normalizeFeedback,
  type Scorer,
  scorer,
  validateScorer,
} from '../../src/core/scorer.js'

const ACCEPTED =
  'expected a boolean, a finite number, a string, a Feedback ({ value, rationale? } or { error: { code, message } }) or an array of Feedback'

function s(name: string, extra: Partial<Scorer> = {}): Scorer {
  return { name, score: () => true, ...extra }
}

describe('scorer()', () => {
  it('takes the name from the first argument, the option, or the function', () => {
    expect(scorer('exact', () => true).name).toBe('exact')
    expect(scorer(() => true, { name: 'opt' }).name).toBe('opt')
    expect(
      scorer(function is_short() {
        return true
      }).name,
    ).toBe('is_short')
  })

  it('keeps options and the function', async () => {
    const sc = scorer('q', () => 0.5, { threshold: 0.7, description: 'd', aggregations: ['mean'] })
    expect(sc).toMatchObject({
      name: 'q',
      threshold: 0.7,
      description: 'd',
      aggregations: ['mean'],
    })
    expect(
      await sc.score({
        inputs: {},
        outputs: 'x',
        expectations: {},
        metadata: {},
        trace: undefined,
      }),
    ).toBe(0.5)
    expect('metrics' in sc).toBe(false)
  })

  it('rejects a missing name', () => {
    expect(() => scorer(() => true)).toThrow(
      'evalgate: scorer: expected "name" to be a non-empty string (no leading "/" or space); received "". Pass a name, e.g. scorer("exact_match", fn), or use a named function',
    )
  })

  it('rejects a non-function', () => {
    expect(() => scorer('x', 42 as never)).toThrow(
      'evalgate: scorer(): expected a scoring function as the second argument, received 42',
    )
  })

  it('rejects a bad threshold and bad metrics', () => {
    expect(() => scorer('x', () => 1, { threshold: Number.NaN })).toThrow(
      'evalgate: scorer "x": expected "threshold" to be a finite number, received NaN',
    )
    expect(() => scorer('x', () => 1, { metrics: [] })).toThrow(
      'evalgate: scorer "x": expected "metrics" to be a non-empty array of names, received an array of length 0',
    )
    expect(() => scorer('x', () => 1, { metrics: ['a', 'a'] })).toThrow(
      'evalgate: scorer "x": metric "a" is declared twice in "metrics"',
    )
  })

  it('validates hand-written scorers', () => {
    expect(() => validateScorer({ name: 'h' }, 'scorers[2]')).toThrow(
      'evalgate: scorer "h": expected "score" to be a function, received undefined',
    )
    expect(() => validateScorer('nope', 'scorers[0]')).toThrow(
      'evalgate: scorers[0]: expected a Scorer { name, score(context) }, received "nope"',
    )
  })
})

describe('normalizeFeedback', () => {
  const src = (name: string) => ({ type: 'CODE', id: name })

  it('names primitives after the scorer', () => {
    expect(normalizeFeedback(s('m'), true)).toEqual([{ name: 'm', value: true, source: src('m') }])
    expect(normalizeFeedback(s('m'), 0.3)).toEqual([{ name: 'm', value: 0.3, source: src('m') }])
    expect(normalizeFeedback(s('m'), 'yes')).toEqual([
      { name: 'm', value: 'yes', source: src('m') },
    ])
  })

  it('unnamed Feedback takes the scorer name; named keeps its own', () => {
    expect(normalizeFeedback(s('m'), { value: 1, rationale: 'r' })).toEqual([
      { name: 'm', value: 1, rationale: 'r', source: src('m') },
    ])
    expect(normalizeFeedback(s('m'), [{ name: 'a', value: 1 }, { value: 2 }])).toEqual([
      { name: 'a', value: 1, source: src('m') },
      { name: 'm', value: 2, source: src('m') },
    ])
  })

  it('keeps a given source and an error Feedback', () => {
    const fb = { error: { code: 'X', message: 'boom' }, source: { type: 'HUMAN' as const } }
    expect(normalizeFeedback(s('m'), fb)).toEqual([{ name: 'm', ...fb }])
  })

  const bad: Array<[string, unknown, string]> = [
    ['undefined', undefined, `evalgate: scorer "m" returned undefined; ${ACCEPTED}`],
    ['NaN', Number.NaN, `evalgate: scorer "m" returned NaN; ${ACCEPTED}`],
    ['Infinity', Number.POSITIVE_INFINITY, `evalgate: scorer "m" returned Infinity; ${ACCEPTED}`],
    [
      'a plain object',
      { score: 1 },
      `evalgate: scorer "m" returned an object {"score":1}, which is not a Feedback (unknown key "score"); ${ACCEPTED}`,
    ],
    [
      'a Feedback without value or error',
      { rationale: 'hm' },
      `evalgate: scorer "m" returned an object {"rationale":"hm"}, which is not a Feedback (it has neither "value" nor "error"); ${ACCEPTED}`,
    ],
    [
      'a NaN value',
      { value: Number.NaN },
      `evalgate: scorer "m" returned an object {"value":null}, which is not a Feedback ("value" must be a finite number, received NaN); ${ACCEPTED}`,
    ],
    [
      'a bad source',
      { value: 1, source: { type: 'ROBOT' } },
      `evalgate: scorer "m" returned an object {"value":1,"source":{"type":"ROBOT"}}, which is not a Feedback ("source" must be { type: 'CODE' | 'LLM_JUDGE' | 'HUMAN', id?: string }, received an object {"type":"ROBOT"}); ${ACCEPTED}`,
    ],
    [
      'a source with a non-string id',
      { value: 1, source: { type: 'CODE', id: 42 } },
      `evalgate: scorer "m" returned an object {"value":1,"source":{"type":"CODE","id":42}}, which is not a Feedback ("source" must be { type: 'CODE' | 'LLM_JUDGE' | 'HUMAN', id?: string }, received an object {"type":"CODE","id":42}); ${ACCEPTED}`,
    ],
    [
      'a primitive inside an array',
      [{ value: 1 }, 2],
      `evalgate: scorer "m" returned 2 at index 1; ${ACCEPTED}`,
    ],
    ['a function', () => 1, `evalgate: scorer "m" returned a function; ${ACCEPTED}`],
    [
      'two Feedback with one name',
      [{ value: 1 }, { value: 2 }],
      'evalgate: scorer "m" returned two Feedback named "m"; give each Feedback of an array a distinct "name"',
    ],
  ]
  it.each(bad)('turns %s into a SCORER_ERROR that says what came back', (_, returned, message) => {
    const out = normalizeFeedback(s('m'), returned)
    expect(out).toHaveLength(1)
    expect(out[0]!.name).toBe('m')
    expect(out[0]!.error!.code).toBe('SCORER_ERROR')
    expect(out[0]!.error!.message).toBe(message)
  })

  it.each([
    ['null', null],
    ['an empty array', []],
  ])(
    'takes %s as an abstention, not an error: each metric with neither value nor error',
    (_, returned) => {
      expect(normalizeFeedback(s('m'), returned)).toEqual([{ name: 'm', source: src('m') }])
      const q = s('quality', { metrics: ['relevance', 'length'] })
      const out = normalizeFeedback(q, returned)
      expect(out).toEqual([
        { name: 'relevance', source: src('quality') },
        { name: 'length', source: src('quality') },
      ])
      expect(out.every(isAbstention)).toBe(true)
    },
  )

  it('errors on every declared metric, and on undeclared or missing ones', () => {
    const q = s('quality', { metrics: ['relevance', 'length'] })
    const thrownLike = normalizeFeedback(q, undefined)
    expect(thrownLike.map((f) => f.name)).toEqual(['relevance', 'length'])
    expect(thrownLike.every((f) => f.error?.code === 'SCORER_ERROR')).toBe(true)

    const undeclared = normalizeFeedback(q, [{ name: 'other', value: 1 }])
    expect(undeclared[0]!.error!.message).toBe(
      'evalgate: scorer "quality" returned metric "other", which it does not declare (metrics: relevance, length)',
    )

    const missing = normalizeFeedback(q, [{ name: 'relevance', value: true }])
    expect(missing).toHaveLength(2)
    expect(missing[0]).toMatchObject({ name: 'relevance', value: true })
    expect(missing[1]!.error!.message).toBe(
      'evalgate: scorer "quality" did not return metric "length", which it declares',
    )
  })
})

describe('score and pass rules', () => {
  it('maps values to scores', () => {
    expect(toScore(true)).toBe(1)
    expect(toScore(false)).toBe(0)
    expect(toScore('YES')).toBe(1)
    expect(toScore(' no ')).toBe(0)
    expect(toScore(-2.5)).toBe(-2.5)
    expect(toScore('maybe')).toBeNull()
    expect(toScore({ a: 1 })).toBeNull()
    expect(toScore(Number.NaN)).toBeNull()
  })

  it('passes binary values at 1 by default and numbers only with a threshold', () => {
    expect(passes(true, undefined)).toBe(true)
    expect(passes(false, undefined)).toBe(false)
    expect(passes('Yes', undefined)).toBe(true)
    expect(passes('no', undefined)).toBe(false)
    expect(passes(150, undefined)).toBeNull()
    expect(passes(0.7, 0.7)).toBe(true)
    expect(passes(0.69, 0.7)).toBe(false)
    expect(passes(false, 0)).toBe(true)
    expect(passes('free text', 0.5)).toBeNull()
  })
})
