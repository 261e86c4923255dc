/**
 * What the type tests test under `npm run test:compat`: the built package, imported as users
 * import it, with Vitest 5 (compat/node_modules). scripts/compat.sh puts this file in place of
 * test/types/subject.ts, which imports the sources instead.
 */
import 'evalgate/vitest'

export * from 'evalgate'
export {
  type DescribeEvalOptions,
  describeEval,
  type EvalTestOptions,
  evalTest,
  type ScorerMatcherOptions,
} from 'evalgate/vitest'
