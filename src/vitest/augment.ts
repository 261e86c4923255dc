/**
 * The types of the evalgate matchers on Vitest's `expect(x)`, for Vitest 4 and Vitest 5 alike.
 *
 * Vitest 4 declares `interface Assertion<T = any>` and `interface Matchers<T = any>`; Vitest 5
 * declares `interface Assertion<R extends void | Promise<void> = void, T = unknown>` and
 * `interface Matchers<R ..., T = unknown>`. Each version's documented augmentation
 * (`Matchers<T = any>`, resp. `Matchers<R, T>`) is error TS2428 ("All declarations of 'Matchers'
 * must have identical type parameters") under the other. TypeScript lets a merging declaration
 * omit type parameters that have defaults, and every parameter of `Assertion` has one in both
 * versions, so a declaration with no type parameters merges into either. The members do not need
 * `T` or `R`: the matchers are always async and return `Promise<void>`.
 *
 * `Assertion`, not `Matchers`: augmenting `Matchers` would also type `expect.toPassScorer(...)`
 * as an asymmetric matcher, and an async matcher cannot be one (asymmetric matching is
 * synchronous).
 *
 * @packageDocumentation
 */
import type { Scorer } from '../core/scorer.js'
import type { ScorerMatcherOptions } from '../matchers/shared.js'

export type { ScorerMatcherOptions }

declare module 'vitest' {
  interface Assertion {
    /**
     * Passes when the output passes every metric the scorer returns (score >= threshold; 1 for
     * boolean and yes/no values). Async: `await` it. `.not` holds only when a metric failed.
     *
     * @example
     * ```ts
     * await expect('Paris').toPassScorer(exactMatch, { expectations: { expected_response: 'Paris' } })
     * await expect(answer).not.toPassScorer(mentionsCompetitor)
     * ```
     */
    toPassScorer<I, E>(
      scorer: Scorer<I, unknown, E>,
      options?: ScorerMatcherOptions<I, E>,
    ): Promise<void>
    /**
     * Passes when the output passes every metric of every scorer. Async: `await` it.
     *
     * @example
     * ```ts
     * await expect(answer).toPassScorers([safety(), isShort], { inputs: { question } })
     * ```
     */
    toPassScorers(
      scorers: readonly Scorer<unknown, unknown, unknown>[],
      options?: ScorerMatcherOptions,
    ): Promise<void>
  }
}
