/**
 * What the type tests test: here, the sources (`npm run test:types`, Vitest 4), through the
 * `evalgate/vitest` entry. The compat run (scripts/compat.sh) puts compat/types/subject.ts in
 * place of this file: it imports the packed package (`evalgate`, `evalgate/vitest`) as users do,
 * under Vitest 5.
 */
import '../../src/vitest/index.js'

export * from '../../src/index.js'
export {
  type DescribeEvalOptions,
  describeEval,
  type EvalTestOptions,
  evalTest,
  type ScorerMatcherOptions,
} from '../../src/vitest/index.js'
