import { expect } from '@jest/globals'
import { matchers } from '../matchers/index.js'

let registered = false

/**
 * Registers `toPassScorer` and `toPassScorers` on Jest's `expect` (the global one and
 * `@jest/globals`' are the same object), once: later calls do nothing. `evalgate/jest` calls it
 * when it is loaded, so `setupFilesAfterEnv: ['evalgate/jest']` in the Jest config (or importing
 * `evalgate/jest` in a test file) is all a user writes. The matchers are async: `await` them.
 *
 * @example
 * ```ts
 * import { registerMatchers } from 'evalgate/jest'
 *
 * registerMatchers() // already done when evalgate/jest is loaded; calling it again does nothing
 * await expect(answer).toPassScorer(safety())
 * ```
 */
export function registerMatchers(): void {
  if (registered) return
  expect.extend(matchers as unknown as Parameters<typeof expect.extend>[0])
  registered = true
}
