/**
 * The evalgate matchers, host-neutral: each is a plain `expect.extend` matcher that uses only
 * `this.isNot`, `this.promise` and `this.utils`, so Vitest's and Jest's entry points register the
 * same objects. One matcher per file; this barrel collects them.
 *
 * @packageDocumentation
 */
import { toPassScorer } from './toPassScorer.js'
import { toPassScorers } from './toPassScorers.js'

export type { MatcherContext, ScorerMatcherOptions, ScorerMatcherResult } from './shared.js'
export { toPassScorer, toPassScorers }

/**
 * Every evalgate matcher, keyed by name: what a host entry point passes to `expect.extend`.
 *
 * @example
 * ```ts
 * import { expect } from 'vitest'
 * import { matchers } from '../matchers/index.js'
 *
 * expect.extend(matchers)
 * await expect(answer).toPassScorer(safety())
 * ```
 */
export const matchers = { toPassScorer, toPassScorers } as const
