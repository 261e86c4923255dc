import {
  checkOptions,
  checkScorers,
  type MatcherContext,
  runScorerMatcher,
  type ScorerMatcherResult,
} from './shared.js'

/**
 * `expect(output).toPassScorers([a, b], options?)`: the output passes every metric of every
 * scorer, all scored concurrently as one describeEval row (so two scorers writing the same metric
 * name is an error, as in an eval). Same rules, options and errors as `toPassScorer`; an empty
 * array, or an array holding a non-scorer, rejects with a `TypeError` naming the matcher and the
 * index.
 *
 * @example
 * ```ts
 * import { toPassScorers } from './matchers/index.js'
 * expect.extend({ toPassScorers })
 *
 * await expect(answer).toPassScorers([safety(), isShort], { inputs: { question } })
 * ```
 */
export async function toPassScorers(
  this: MatcherContext,
  received: unknown,
  scorers: unknown,
  options?: unknown,
): Promise<ScorerMatcherResult> {
  const checked = checkScorers('toPassScorers', scorers)
  const opts = checkOptions('toPassScorers', options)
  return runScorerMatcher(this, 'toPassScorers', received, checked, opts, {
    expected: 'scorers',
    withOptions: options !== undefined,
  })
}
