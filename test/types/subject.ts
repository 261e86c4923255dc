/**
 * What the type tests test: here, the sources (`npm run test:types`, Vitest 4). The compat run
 * (scripts/compat.sh) replaces this file with compat/types/subject.ts, which re-exports the built
 * package (`evalgate`, `evalgate/vitest`) as users import it, under Vitest 5.
 */
import '../../src/vitest/augment.js'

export * from '../../src/index.js'
export type { ScorerMatcherOptions } from '../../src/vitest/augment.js'
