/**
 * evalgate for Jest: `describeEval`, `evalTest`, and the `toPassScorer` / `toPassScorers`
 * matchers, registered when this module is loaded (so `setupFilesAfterEnv: ['evalgate/jest']`
 * works, as does importing it in a test file). Pair it with `evalgate/jest-reporter` for the
 * tables and the JSON artifact.
 *
 * @packageDocumentation
 */
import './augment.js'
import { registerMatchers } from './matchers.js'

// Loading evalgate/jest registers the matchers: this entry's one side effect.
registerMatchers()

export { EvalRowError, EvalThresholdError } from '../core/eval-errors.js'
export type { DescribeEval } from '../core/eval-options.js'
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type DescribeEvalOptions,
  rowTestName,
} from '../core/eval-options.js'
export type { ScorerMatcherOptions, ScorerMatchers } from '../matchers/shared.js'
export { describeEval } from './describe.js'
export { type EvalTestOptions, evalTest } from './eval-test.js'
export { registerMatchers } from './matchers.js'
