/**
 * The matchers on the global `jest.Matchers<R>` (declared by @types/jest, and extended by
 * Vitest 4's `Assertion`), in one declaration that both hosts' type entries import: two
 * declarations of the same base in one program (a repository with both hosts) would be an error.
 *
 * @packageDocumentation
 */
import type { ScorerMatchers } from './shared.js'

declare global {
  namespace jest {
    interface Matchers<R> extends ScorerMatchers {}
  }
}
