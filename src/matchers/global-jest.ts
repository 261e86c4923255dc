/**
 * The matchers on the global `jest.Matchers<R>` (declared by @types/jest, and extended by
 * Vitest 4's `Assertion`), in one declaration that both hosts' type entries import. The members
 * are declared here rather than by `extends ScorerMatchers`: a program that sees two copies of
 * evalgate's types (the sources and the built `.d.ts`, or two installed versions) merges two
 * method declarations as overloads, where two `extends` of distinct copies are an error.
 *
 * @packageDocumentation
 */
import type { Scorer } from '../core/scorer.js'
import type { CaseValue, ScorerMatcherOptions } from './shared.js'

declare global {
  namespace jest {
    interface Matchers<R> {
      /** See `ScorerMatchers.toPassScorer`: async, `await` it. */
      toPassScorer<I, E>(
        scorer: Scorer<I, unknown, E>,
        options?: ScorerMatcherOptions<CaseValue<I>, CaseValue<E>>,
      ): Promise<void>
      /** See `ScorerMatchers.toPassScorers`: async, `await` it. */
      toPassScorers(
        scorers: readonly Scorer<unknown, unknown, unknown>[],
        options?: ScorerMatcherOptions<object, object>,
      ): Promise<void>
    }
  }
}
