import { expect, type MatcherState } from 'vitest'
import { matchers } from '../matchers/index.js'
import type { ScorerMatcherResult } from '../matchers/shared.js'

type Matcher = (
  this: MatcherState,
  received: unknown,
  ...rest: unknown[]
) => Promise<ScorerMatcherResult>

/** How long an un-awaited matcher's failure report waits for its verdict. */
const VERDICT_WAIT_MS = 1000

/**
 * Vitest (4 and 5) does not track the promise of an async custom matcher: without `await`, a
 * failing `toPassScorer` would end after its test had passed, and its verdict would be lost. This
 * wrapper makes the omission fail the test instead, as Vitest 5 does for its own async assertions.
 *
 * It relies on what `expect.extend` does with a thenable result (in both majors it returns
 * `result.then(check)` to the caller): the object our `then` returns is the one the test holds, so
 * a `then`/`catch`/`finally` call on it means the test awaited (or otherwise handled) the
 * assertion. Outside a test (no `this.task`) the matcher is returned as it is.
 */
function mustBeAwaited(name: string, matcher: Matcher): Matcher {
  return function (this: MatcherState, received: unknown, ...rest: unknown[]) {
    const verdict = matcher.call(this, received, ...rest)
    const context = this.task?.context
    if (typeof context?.onTestFinished !== 'function') return verdict
    let awaited = false
    // The assertion error once the verdict settles, or null when the assertion held.
    let outcome: Promise<unknown> = Promise.resolve(null)
    context.onTestFinished(async () => {
      if (awaited) return
      const call = `expect(...).${this.isNot ? 'not.' : ''}${name}(...)`
      let message = `evalgate: \`${call}\` was not awaited. It is asynchronous (scorers may call an LLM) and must be awaited, or its verdict cannot fail the test:\n\nawait ${call}`
      // Waited for briefly, to show the verdict; a slow judge must not become a hook timeout.
      let timer: ReturnType<typeof setTimeout> | undefined
      const failure = await Promise.race([
        outcome,
        new Promise((resolve) => {
          timer = setTimeout(resolve, VERDICT_WAIT_MS, null)
        }),
      ])
      clearTimeout(timer)
      if (failure instanceof Error) {
        message += `\n\nIts verdict, which would have failed the test:\n\n${failure.message}`
      }
      throw new Error(message)
    })
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable is the point (see above)
      then<A, B>(
        onFulfilled?: ((result: ScorerMatcherResult) => A | PromiseLike<A>) | null,
        onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
      ) {
        const asserted = Promise.resolve(verdict).then(onFulfilled, onRejected)
        // Handled here, so an un-awaited failure is reported by the hook, not as an unhandled rejection.
        outcome = asserted.then(
          () => null,
          (error: unknown) => error,
        )
        return {
          // biome-ignore lint/suspicious/noThenProperty: what the test awaits
          then: (f?: (value: A | B) => unknown, r?: (reason: unknown) => unknown) => {
            awaited = true
            return asserted.then(f, r)
          },
          catch: (r?: (reason: unknown) => unknown) => {
            awaited = true
            return asserted.catch(r)
          },
          finally: (f?: () => void) => {
            awaited = true
            return asserted.finally(f)
          },
          [Symbol.toStringTag]: 'Promise',
        } as unknown as Promise<A | B>
      },
    }
    // A thenable, not a Promise: `expect.extend` only calls `then` on it.
    return thenable as unknown as Promise<ScorerMatcherResult>
  }
}

let registered = false

/**
 * Registers `toPassScorer` and `toPassScorers` on Vitest's `expect`, once: later calls do
 * nothing. `evalgate/vitest` calls it on import, so `import 'evalgate/vitest'` in a test file or
 * `setupFiles: ['evalgate/vitest']` in the config is all a user writes. A matcher that is not
 * awaited fails its test (its verdict could otherwise be lost).
 *
 * @example
 * ```ts
 * import { registerMatchers } from 'evalgate/vitest'
 *
 * registerMatchers() // already done by the import; calling it again does nothing
 * await expect(answer).toPassScorer(safety())
 * ```
 */
export function registerMatchers(): void {
  if (registered) return
  expect.extend({
    toPassScorer: mustBeAwaited('toPassScorer', matchers.toPassScorer as Matcher),
    toPassScorers: mustBeAwaited('toPassScorers', matchers.toPassScorers as Matcher),
  })
  registered = true
}
