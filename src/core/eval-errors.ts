/**
 * A row test that failed its metrics or errored; the message (core's row verdict) says which
 * and why. Thrown by every host, so a failure reads the same under Vitest and Jest.
 *
 * @example
 * ```ts
 * if (verdict.failed) throw new EvalRowError(verdict.message)
 * ```
 */
export class EvalRowError extends Error {
  override name = 'EvalRowError'
}

/**
 * An eval whose own verdict failed (its `thresholds` test): the message is the table of failing
 * gates, then the failing and errored rows.
 *
 * @example
 * ```ts
 * if (verdict.failed) throw new EvalThresholdError(verdict.message)
 * ```
 */
export class EvalThresholdError extends Error {
  override name = 'EvalThresholdError'
}
