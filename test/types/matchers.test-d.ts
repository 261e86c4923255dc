import { describe, expect, expectTypeOf, test } from 'vitest'
import {
  type Feedback,
  type Scorer,
  type ScorerContext,
  type ScorerMatcherOptions,
  type ScorerReturn,
  scorer,
} from './subject.js'

const exactMatch = scorer('exact_match', ({ outputs, expectations }) => {
  return outputs === expectations.expected_response
})

interface QaInputs {
  question: string
}
interface QaExpectations {
  expected_response: string
}
const typedExact = scorer(
  'typed_exact',
  ({ outputs, expectations }: ScorerContext<QaInputs, string, QaExpectations>) =>
    outputs === expectations.expected_response,
)

describe('toPassScorer / toPassScorers on expect(x)', () => {
  test('exist and return Promise<void>', () => {
    expectTypeOf(expect('Paris').toPassScorer(exactMatch)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect('Paris').toPassScorers([exactMatch])).toEqualTypeOf<Promise<void>>()
    expectTypeOf(
      expect('Paris').toPassScorer(exactMatch, { expectations: { expected_response: 'Paris' } }),
    ).toEqualTypeOf<Promise<void>>()
  })

  test('exist on .not and return Promise<void>', () => {
    expectTypeOf(expect('Lyon').not.toPassScorer(exactMatch)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect('Lyon').not.toPassScorers([exactMatch], { threshold: 1 })).toEqualTypeOf<
      Promise<void>
    >()
  })

  test('accept every option', () => {
    const options: ScorerMatcherOptions = {
      inputs: { question: 'Capital of France?' },
      expectations: { expected_response: 'Paris' },
      trace: { traceId: 't-1' },
      threshold: 0.7,
    }
    expectTypeOf(expect('Paris').toPassScorer(exactMatch, options)).toEqualTypeOf<Promise<void>>()
    expectTypeOf<ScorerMatcherOptions>().toEqualTypeOf<{
      inputs?: Record<string, unknown> | undefined
      expectations?: Record<string, unknown> | undefined
      trace?: unknown
      threshold?: number | undefined
    }>()
  })

  test('accept hand-written and typed scorers', () => {
    const byHand: Scorer = { name: 'non_empty', score: ({ outputs }) => String(outputs).length > 0 }
    expectTypeOf(expect('x').toPassScorer(byHand)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect('x').toPassScorers([byHand, typedExact, exactMatch])).toEqualTypeOf<
      Promise<void>
    >()
    expectTypeOf(
      expect('Paris').toPassScorer(typedExact, {
        inputs: { question: 'Capital of France?' },
        expectations: { expected_response: 'Paris' },
      }),
    ).toEqualTypeOf<Promise<void>>()
  })

  test('reject wrong arguments and options', () => {
    // @ts-expect-error a scorer is required
    void expect('x').toPassScorer()
    // @ts-expect-error a number is not a Scorer
    void expect('x').toPassScorer(42)
    // @ts-expect-error a scorer factory is not a Scorer: call it
    void expect('x').toPassScorer(() => exactMatch)
    // @ts-expect-error toPassScorers takes an array
    void expect('x').toPassScorers(exactMatch)
    // @ts-expect-error threshold is a number
    void expect('x').toPassScorer(exactMatch, { threshold: '0.7' })
    // @ts-expect-error unknown option (a typo)
    void expect('x').toPassScorer(exactMatch, { expectation: { expected_response: 'Paris' } })
    // @ts-expect-error inputs is an object
    void expect('x').not.toPassScorers([exactMatch], { inputs: 'Capital of France?' })
    // @ts-expect-error the typed scorer's expectations need expected_response
    void expect('x').toPassScorer(typedExact, { expectations: { expected: 'Paris' } })
  })

  test('are not typed as asymmetric matchers (async matchers cannot be)', () => {
    // @ts-expect-error expect.toPassScorer does not exist
    void expect.toPassScorer
    // @ts-expect-error expect.not.toPassScorers does not exist
    void expect.not.toPassScorers
  })
})

describe('scorer() and Scorer', () => {
  test('scorer() infers the context types from the function', () => {
    expectTypeOf(exactMatch).toEqualTypeOf<
      Scorer<Record<string, unknown>, unknown, Record<string, unknown>>
    >()
    expectTypeOf(typedExact).toEqualTypeOf<Scorer<QaInputs, string, QaExpectations>>()
    scorer('uses_context', ({ inputs, outputs, expectations, trace, metadata }) => {
      expectTypeOf(metadata).toEqualTypeOf<Record<string, unknown>>()
      expectTypeOf(inputs).toEqualTypeOf<Record<string, unknown>>()
      expectTypeOf(outputs).toBeUnknown()
      expectTypeOf(expectations).toEqualTypeOf<Record<string, unknown>>()
      expectTypeOf(trace).toBeUnknown()
      return true
    })
  })

  test('a scorer returns a primitive, Feedback or Feedback[], or null to abstain, sync or async', () => {
    expectTypeOf<ScorerReturn>().toEqualTypeOf<
      boolean | number | string | Feedback | readonly Feedback[] | null
    >()
    scorer('abstains', () => null)
    expectTypeOf(scorer('async', async () => ({ value: 'yes', rationale: 'ok' }))).toEqualTypeOf<
      Scorer<Record<string, unknown>, unknown, Record<string, unknown>>
    >()
    // @ts-expect-error undefined is not a scorer result
    scorer('bad', () => undefined)
    // @ts-expect-error a Feedback value must be a FeedbackValue, not a function
    scorer('bad_value', () => ({ value: () => 1 }))
  })

  test('Scorer is a plain object { name, score(context), ...options }', () => {
    expectTypeOf<Scorer>().toHaveProperty('name').toEqualTypeOf<string>()
    expectTypeOf<Scorer['threshold']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<Scorer['description']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<Scorer['score']>().parameters.toEqualTypeOf<[ScorerContext]>()
    expectTypeOf<Scorer['score']>().returns.toEqualTypeOf<ScorerReturn | Promise<ScorerReturn>>()
    // @ts-expect-error a Scorer needs a name
    const nameless: Scorer = { score: () => true }
    void nameless
  })
})
