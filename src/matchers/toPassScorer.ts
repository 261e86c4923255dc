import {
  checkOptions,
  checkScorer,
  type MatcherContext,
  runScorerMatcher,
  type ScorerMatcherResult,
} from './shared.js'

/**
 * `expect(output).toPassScorer(scorer, options?)`: the output passes every metric the scorer
 * returns, by describeEval's row rule (score >= threshold; 1 for boolean and yes/no values).
 * Async: await it. Host-neutral: register it with Vitest's or Jest's `expect.extend`.
 *
 * Fails on a failing metric, on a scorer error, and when no metric has a pass rule (a number
 * without threshold). With `.not` it holds only when a metric conclusively failed: a scorer error
 * fails `.not` too. A first argument that is not a Scorer, or bad options, reject with a
 * `TypeError` that names the matcher.
 *
 * @example
 * ```ts
 * import { toPassScorer } from './matchers/index.js'
 * expect.extend({ toPassScorer })
 *
 * await expect('Paris').toPassScorer(exactMatch, { expectations: { expected_response: 'Paris' } })
 * await expect('Lyon').not.toPassScorer(exactMatch, { expectations: { expected_response: 'Paris' } })
 * await expect(answer).toPassScorer(relevance, { inputs: { question }, threshold: 0.7 })
 * ```
 */
export async function toPassScorer(
  this: MatcherContext,
  received: unknown,
  scorer: unknown,
  options?: unknown,
): Promise<ScorerMatcherResult> {
  const checked = checkScorer('toPassScorer', scorer)
  const opts = checkOptions('toPassScorer', options)
  return runScorerMatcher(this, 'toPassScorer', received, [checked], opts, {
    expected: 'scorer',
    withOptions: options !== undefined,
  })
}
