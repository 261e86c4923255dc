import type { FeedbackError, FeedbackSource, FeedbackValue, NamedFeedback } from './scorer.js'

/**
 * The numeric score of a Feedback value: `true`→1, `false`→0, `"yes"`→1, `"no"`→0
 * (case-insensitive, surrounding space ignored), finite numbers as they are. Anything else has
 * no score (`null`): it is kept in the report but neither aggregated nor gated.
 *
 * @example
 * ```ts
 * toScore('Yes') // 1
 * toScore(0.25)  // 0.25
 * toScore('blue') // null
 * ```
 */
export function toScore(value: unknown): number | null {
  switch (typeof value) {
    case 'boolean':
      return value ? 1 : 0
    case 'number':
      return Number.isFinite(value) ? value : null
    case 'string': {
      const v = value.trim().toLowerCase()
      return v === 'yes' ? 1 : v === 'no' ? 0 : null
    }
    default:
      return null
  }
}

/** Whether a value is a boolean or yes/no: the kinds whose default pass threshold is 1. */
function isBinary(value: unknown): boolean {
  if (typeof value === 'boolean') return true
  if (typeof value !== 'string') return false
  const v = value.trim().toLowerCase()
  return v === 'yes' || v === 'no'
}

/**
 * Whether a scored value passes: score >= the scorer's threshold, else >= 1 for boolean and
 * yes/no values. A numeric value without a threshold, and a value without a score, have no pass
 * rule: `null` (recorded, never failing a row).
 *
 * @example
 * ```ts
 * passes(true, undefined)  // true
 * passes(0.6, 0.7)         // false
 * passes(150, undefined)   // null: numeric without threshold
 * ```
 */
export function passes(value: unknown, threshold: number | undefined): boolean | null {
  const score = toScore(value)
  if (score === null) return null
  if (threshold !== undefined) return score >= threshold
  return isBinary(value) ? score >= 1 : null
}

/**
 * One metric's judgement of one row, as it stands in a RowResult and in the JSON artifact:
 * every field present, `null` where there is nothing, so the artifact is regular.
 */
export interface FeedbackResult {
  name: string
  /** The scorer that produced it. */
  scorer: string
  value: FeedbackValue | null
  score: number | null
  /** `null`: no pass rule applies (numeric without threshold, or an unscored value). */
  passed: boolean | null
  rationale: string | null
  error: FeedbackError | null
  source: FeedbackSource | null
  metadata: Record<string, unknown> | null
}

/** Turns a normalised Feedback into a {@link FeedbackResult}, applying the score and pass rules. */
export function toFeedbackResult(
  fb: NamedFeedback,
  scorerName: string,
  threshold: number | undefined,
): FeedbackResult {
  const errored = fb.error !== undefined
  const value = errored ? null : (fb.value ?? null)
  const score = errored ? null : toScore(value)
  return {
    name: fb.name,
    scorer: scorerName,
    value,
    score,
    passed: errored ? false : score === null ? null : passes(value, threshold),
    rationale: fb.rationale ?? null,
    error: fb.error ?? null,
    source: fb.source ?? null,
    metadata: fb.metadata ?? null,
  }
}

/**
 * The row pass rule: a row passes when it has no error, no errored Feedback and no Feedback
 * whose pass rule says it failed.
 */
export function rowPasses(
  error: FeedbackError | null,
  feedback: readonly FeedbackResult[],
): boolean {
  if (error !== null) return false
  for (const fb of feedback) if (fb.passed === false) return false
  return true
}
