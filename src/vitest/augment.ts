/**
 * The types of the evalgate matchers on Vitest's `expect(x)`, for Vitest 4 and Vitest 5 alike,
 * whatever the order in which the compiler meets a project's files.
 *
 * Where `Assertion` is declared: Vitest 4 declares it in `@vitest/expect` and re-exports it from
 * `vitest` (`export { Assertion } from '@vitest/expect'`); Vitest 5 bundles it into a chunk of
 * `vitest` itself (there is no `@vitest/expect` any more) and re-exports it under that name too.
 *
 * Why augmenting `vitest` alone is not enough on Vitest 4 (issue 10): an augmentation of a
 * re-exported interface merges into a copy of the original declaration, and Vitest 4's own
 * augmentation of `@vitest/expect` (its snapshot matchers) makes another copy; the checker then
 * resolves `Assertion` inside `@vitest/expect`, which `expect()` returns, to whichever copy was
 * made last. When evalgate's augmentation is met first, its matchers are lost: `Property
 * 'toPassScorer' does not exist on type 'Assertion<string>'`, depending on file and import
 * order. So on Vitest 4 the matchers are declared where `Assertion` is declared, in
 * `@vitest/expect`, and in the global `jest.Matchers` that Vitest 4's `Assertion` extends
 * (`JestAssertion<T> extends jest.Matchers<void, T>`), which needs no module resolution at all:
 * it holds even where `@vitest/expect` cannot be resolved from evalgate's directory (a strict
 * package-manager layout). In a `.d.ts`, an augmentation of a module that cannot be resolved
 * (`@vitest/expect` under Vitest 5) is ignored without an error, with or without skipLibCheck.
 * The `vitest` augmentation is the one Vitest 5 uses (its `Assertion` has no other importable
 * name). On Vitest 4 it is redundant, and like any augmentation of the re-export (Vitest's
 * documented way for custom matchers) it can still, in some file orders, supersede a project's
 * own augmentation of `@vitest/expect`; evalgate's matchers survive every order either way.
 *
 * Type parameters: Vitest 4 declares `Assertion<T = any>`, Vitest 5 `Assertion<R extends void |
 * Promise<void> = void, T = unknown>`, and the global `jest.Matchers<R, T = {}>`. Each version's
 * documented augmentation is error TS2428 ("All declarations of 'Assertion' must have identical
 * type parameters") under the other. TypeScript lets a merging declaration omit trailing type
 * parameters that have defaults, and leave out a constraint, so `Assertion` with no type
 * parameters merges into either version, and `jest.Matchers<R>` into Vitest's and @types/jest's
 * alike. The members need neither `T` nor `R`: the matchers are always async and return
 * `Promise<void>` (see {@link ScorerMatchers}).
 *
 * `Assertion`, not Vitest's `Matchers`: augmenting `Matchers` would also type
 * `expect.toPassScorer(...)` as an asymmetric matcher, and an async matcher cannot be one
 * (asymmetric matching is synchronous). `jest.Matchers` types `expect(x)` only.
 *
 * @packageDocumentation
 */
import '../matchers/global-jest.js'
import type { ScorerMatcherOptions, ScorerMatchers } from '../matchers/shared.js'

export type { ScorerMatcherOptions, ScorerMatchers }

declare module 'vitest' {
  interface Assertion extends ScorerMatchers {}
}

declare module '@vitest/expect' {
  interface Assertion extends ScorerMatchers {}
}
