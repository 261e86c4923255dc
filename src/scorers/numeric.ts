import { EvalgateError } from '../base/errors.js'
import { type Feedback, type Scorer, scorer } from '../core/scorer.js'
import {
  type BaseScorerOptions,
  checkBoolean,
  checkNumber,
  checkOptions,
  requireExpectation,
  show,
} from './shared.js'

/**
 * Options of {@link numericDiff}.
 *
 * @example
 * ```ts
 * const options: NumericDiffOptions = { tolerance: 0.01, relative: true }
 * ```
 */
export interface NumericDiffOptions extends BaseScorerOptions {
  /**
   * With it, the value is a boolean: is the difference <= tolerance? Without it, the value is
   * the difference itself (gate it with e.g. `'numeric_diff/max': { max: 0.5 }`).
   */
  tolerance?: number
  /** Measure `|outputs - expected| / |expected|` instead of the absolute difference. */
  relative?: boolean
}

/**
 * How far numeric outputs are from `expectations.expected_response` (metric `numeric_diff`).
 * Both may be numbers or numeric strings (`" 42.5 "`). Without `tolerance` the value is the
 * (absolute or relative) difference, lower is better, so it is recorded and gated with a `max`
 * threshold rather than failing rows; with `tolerance` the value is whether the difference is
 * within it. Outputs that are not a number are an errored Feedback (nothing to measure).
 *
 * @example
 * ```ts
 * import { numericDiff } from 'evalgate/scorers'
 * numericDiff({ tolerance: 0.5 })
 * // fail rationale: |41 - 42.5| = 1.5, more than the tolerance 0.5
 * ```
 */
export function numericDiff(options?: NumericDiffOptions): Scorer {
  const o = checkOptions('numericDiff', options, ['name', 'tolerance', 'relative'])
  checkNumber('numericDiff', 'tolerance', o.tolerance, true)
  checkBoolean('numericDiff', 'relative', o.relative)
  const name = (o.name as string | undefined) ?? 'numeric_diff'
  const tolerance = o.tolerance as number | undefined
  const relative = o.relative === true
  return scorer(name, ({ outputs, expectations }): Feedback => {
    const expectedRaw = requireExpectation(name, expectations, 'expected_response')
    const expected = toNumber(expectedRaw)
    if (expected === undefined) {
      throw new EvalgateError(
        `scorer "${name}": expected expectations.expected_response to be a number or a numeric string, received ${show(expectedRaw)}`,
      )
    }
    const actual = toNumber(outputs)
    if (actual === undefined) {
      throw new EvalgateError(
        `scorer "${name}": the outputs are not a number, received ${show(outputs)}`,
      )
    }
    const absolute = Math.abs(actual - expected)
    if (relative && expected === 0) {
      throw new EvalgateError(
        `scorer "${name}": a relative difference to an expected 0 is undefined; use the absolute difference`,
      )
    }
    const diff = relative ? absolute / Math.abs(expected) : absolute
    const formula = relative
      ? `|${actual} - ${expected}| / |${expected}| = ${diff}`
      : `|${actual} - ${expected}| = ${diff}`
    if (tolerance === undefined) return { value: diff, rationale: formula }
    return diff <= tolerance
      ? { value: true, rationale: `${formula}, within the tolerance ${tolerance}` }
      : { value: false, rationale: `${formula}, more than the tolerance ${tolerance}` }
  })
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const n = Number(value.trim())
  return Number.isFinite(n) ? n : undefined
}
