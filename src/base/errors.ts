/**
 * The one error class evalgate throws for bad configuration or bad data. Its message always
 * starts with `evalgate:` and names the thing, what was expected and what was received, so a
 * CI log line is enough to fix the problem.
 *
 * @example
 * ```ts
 * try {
 *   await loadDataset('fixtures/qa.jsonl')
 * } catch (error) {
 *   if (error instanceof EvalgateError) console.error(error.message)
 *   // evalgate: fixtures/qa.jsonl line 3: "inputs" is required
 * }
 * ```
 */
export class EvalgateError extends Error {
  override name = 'EvalgateError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message.startsWith('evalgate:') ? message : `evalgate: ${message}`, options)
  }
}

/** A short, single-line rendering of any value for error messages (never throws). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (value === null) return 'null'
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value)
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`
  if (typeof value === 'symbol' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return `an array of length ${value.length}`
  try {
    const json = JSON.stringify(value)
    return `an object ${json.length > 80 ? `${json.slice(0, 77)}...` : json}`
  } catch {
    return 'an object that cannot be rendered as JSON'
  }
}

/** What went wrong when a scorer (or a task, or a judge) could not produce a value. */
export interface FeedbackError {
  /** A stable, upper-case code, e.g. `SCORER_ERROR`, `TASK_TIMEOUT`, `JUDGE_HTTP_ERROR`. */
  code: string
  message: string
  stack?: string
}

/** Turns anything thrown into a serialisable {@link FeedbackError}. */
export function toFeedbackError(code: string, error: unknown): FeedbackError {
  if (error instanceof Error) {
    const out: FeedbackError = { code, message: error.message || error.name }
    if (error.stack !== undefined) out.stack = error.stack
    return out
  }
  return {
    code,
    message: typeof error === 'string' ? error : `non-Error thrown: ${describeValue(error)}`,
  }
}
