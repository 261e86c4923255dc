/**
 * The types of the evalgate matchers on Jest's `expect(x)`, for Jest 29 and Jest 30, with either
 * `expect`:
 *
 * - the global `expect` of `@types/jest`, whose `expect(x)` is `jest.JestMatchers<T>`, built from
 *   the global `jest.Matchers<R, T = {}>`;
 * - `import { expect } from '@jest/globals'`, whose `expect(x)` is `@jest/expect`'s
 *   `JestMatchers<R, T>`, a type alias of the `expect` package's
 *   `Matchers<R extends void | Promise<void>, T = unknown>` (and `SnapshotMatchers`).
 *
 * A type alias cannot be augmented, so the matchers go where `Matchers` is declared: in the
 * `expect` package, as Jest's documentation for `expect.extend` says, and in the global `jest`
 * namespace. Not in `@jest/expect`'s re-export of `Matchers` (as jest-dom does): augmenting a
 * re-export merges into a copy of the declaration, and that copy can supersede another
 * augmentation of `expect` made the documented way, so a project's own `toBeWithinRange` would
 * vanish (test/unit/jest-matcher-types.test.ts has such a project). Augmenting the declaration
 * itself does not depend on the order in which the compiler meets files. In a `.d.ts`, an
 * augmentation of a module that is not in the program (`expect` in a project with @types/jest
 * only) is ignored without an error.
 *
 * Type parameters: a merging declaration may omit trailing type parameters that have defaults,
 * and leave out a constraint, so `Matchers<R>` merges with `jest.Matchers<R, T = {}>` and with
 * `Matchers<R extends void | Promise<void>, T = unknown>` alike. The members need neither `R`
 * nor `T`: the matchers are always async and return `Promise<void>` (see {@link ScorerMatchers}).
 * Only `Matchers` is augmented, never `AsymmetricMatchers` / `jest.Expect`: an async matcher
 * cannot be an asymmetric one (asymmetric matching is synchronous).
 *
 * Types only: src/jest/index.ts imports this file, and the matchers are registered at run time
 * by `registerMatchers()` there.
 *
 * @packageDocumentation
 */
import '../matchers/global-jest.js'
import type { ScorerMatcherOptions, ScorerMatchers } from '../matchers/shared.js'

export type { ScorerMatcherOptions, ScorerMatchers }

declare module 'expect' {
  interface Matchers<R> extends ScorerMatchers {}
}
