/**
 * evalgate for Vitest: `describeEval`, `evalTest`, and the `toPassScorer` / `toPassScorers`
 * matchers, registered on import (so `setupFiles: ['evalgate/vitest']` works too).
 *
 * @packageDocumentation
 */
import type { EvalgateMeta } from '../core/meta.js'
import './augment.js'
import { registerMatchers } from './matchers.js'

// Importing evalgate/vitest registers the matchers: this entry's one side effect.
registerMatchers()

declare module 'vitest' {
  interface TaskMeta {
    /** What evalgate attached: an eval suite's summary, or one row's result. */
    evalgate?: EvalgateMeta
  }
}

export type { EvalgateMeta, EvalRowMeta, EvalSuiteMeta } from '../core/meta.js'
export type { ScorerMatcherOptions } from './augment.js'
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type DescribeEval,
  type DescribeEvalOptions,
  describeEval,
  EvalRowError,
  EvalThresholdError,
  rowTestName,
} from './describe.js'
export { type EvalTestOptions, evalTest } from './eval-test.js'
export { registerMatchers } from './matchers.js'
