// Agreement of a judge with human labels on yes/no verdicts, and the judge-bias-corrected pass
// rate. References: J. Cohen, "A Coefficient of Agreement for Nominal Scales", Educational and
// Psychological Measurement 20 (1960); W. J. Rogan & B. Gladen, "Estimating prevalence from the
// results of a screening test", Am. J. Epidemiology 107 (1978) (the corrected rate and its
// delta-method variance); C. Lee, T. Zeng, J. Jeong, J. Sohn, K. Lee, "How to Correctly Report
// LLM-as-a-Judge Evaluations" (2025), arXiv:2511.21140 (the same correction for LLM judges,
// with uncertainty from both the test and the calibration rows).
import { describeValue, EvalgateError } from '../base/errors.js'
import { normalQuantile } from './distributions.js'
import { checkConfidence, checkCount, checkProportion } from './validate.js'

/**
 * A 2×2 confusion matrix of a judge's yes/no verdicts against human labels (positive = pass).
 *
 * @example
 * ```ts
 * const m: Confusion = { tp: 20, fp: 5, fn: 10, tn: 15 }
 * ```
 */
export interface Confusion {
  /** Judge pass, human pass. */
  tp: number
  /** Judge pass, human fail. */
  fp: number
  /** Judge fail, human pass. */
  fn: number
  /** Judge fail, human fail. */
  tn: number
}

/**
 * Counts the confusion matrix of parallel judge and human verdicts (`true` = pass).
 *
 * Throws an EvalgateError when the arrays differ in length or hold anything but booleans.
 *
 * @example
 * ```ts
 * confusionMatrix([true, true, false], [true, false, false]) // { tp: 1, fp: 1, fn: 0, tn: 1 }
 * ```
 */
export function confusionMatrix(judge: readonly boolean[], human: readonly boolean[]): Confusion {
  if (!Array.isArray(judge) || !Array.isArray(human) || judge.length !== human.length) {
    throw new EvalgateError(
      `confusionMatrix: judge and human must be parallel arrays of booleans, received ${describeValue(judge)} and ${describeValue(human)}`,
    )
  }
  const m: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 }
  for (let i = 0; i < judge.length; i++) {
    const j = judge[i]
    const h = human[i]
    if (typeof j !== 'boolean' || typeof h !== 'boolean') {
      throw new EvalgateError(
        `confusionMatrix: verdict ${i} must be booleans, received judge ${describeValue(j)} and human ${describeValue(h)}`,
      )
    }
    if (j) h ? m.tp++ : m.fp++
    else h ? m.fn++ : m.tn++
  }
  return m
}

/**
 * How well a judge agrees with human labels.
 *
 * @example
 * ```ts
 * const a: Agreement = {
 *   n: 50, accuracy: 0.7, kappa: 0.4, tpr: 0.667, tnr: 0.75, positives: 30, negatives: 20,
 *   confusion: { tp: 20, fp: 5, fn: 10, tn: 15 },
 * }
 * ```
 */
export interface Agreement {
  /** Labelled rows. */
  n: number
  /** (tp + tn) / n. */
  accuracy: number
  /** Cohen's κ; `null` when it is undefined (both judge and humans gave one same verdict to every row). */
  kappa: number | null
  /** Sensitivity q1 = tp / (tp + fn); `null` when no human label is a pass. */
  tpr: number | null
  /** Specificity q0 = tn / (tn + fp); `null` when no human label is a fail. */
  tnr: number | null
  /** Rows humans passed (tp + fn): m1, the rows q1 is measured on. */
  positives: number
  /** Rows humans failed (tn + fp): m0, the rows q0 is measured on. */
  negatives: number
  confusion: Confusion
}

/**
 * Cohen's κ and the rates of a judge against human labels, from their 2×2 confusion matrix:
 *
 *     p_o = (tp + tn) / n
 *     p_e = ((tp + fp)(tp + fn) + (fn + tn)(fp + tn)) / n²
 *     κ   = (p_o − p_e) / (1 − p_e)
 *
 * κ is 1 for perfect agreement, 0 for agreement no better than chance given each side's pass
 * rate, negative below chance. κ is `null` when p_e = 1 (judge and humans each gave the same
 * single verdict to every row: agreement is total but says nothing); the TPR (sensitivity, q1)
 * and TNR (specificity, q0) are `null` when there is no human pass, resp. no human fail, to
 * measure them on.
 *
 * Throws an EvalgateError unless the four counts are integers ≥ 0 with at least one row.
 *
 * @example
 * ```ts
 * cohensKappa({ tp: 20, fp: 5, fn: 10, tn: 15 }).kappa // 0.4 (Wikipedia's worked example)
 * ```
 */
export function cohensKappa(confusion: Confusion): Agreement {
  if (typeof confusion !== 'object' || confusion === null) {
    throw new EvalgateError(
      `cohensKappa: confusion must be { tp, fp, fn, tn }, received ${describeValue(confusion)}`,
    )
  }
  const tp = checkCount('cohensKappa', 'confusion.tp', confusion.tp)
  const fp = checkCount('cohensKappa', 'confusion.fp', confusion.fp)
  const fn = checkCount('cohensKappa', 'confusion.fn', confusion.fn)
  const tn = checkCount('cohensKappa', 'confusion.tn', confusion.tn)
  const n = tp + fp + fn + tn
  if (n === 0) {
    throw new EvalgateError(
      'cohensKappa: the confusion matrix must count at least one labelled row, received none',
    )
  }
  // κ = (n·(tp + tn) − A) / (n² − A) with A = n²·p_e: integers until the one division, so the
  // published examples come out exact (0.4, not 0.39999999999999997).
  const chance = (tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)
  const positives = tp + fn
  const negatives = tn + fp
  return {
    n,
    accuracy: (tp + tn) / n,
    kappa: chance === n * n ? null : (n * (tp + tn) - chance) / (n * n - chance),
    tpr: positives === 0 ? null : tp / positives,
    tnr: negatives === 0 ? null : tn / negatives,
    positives,
    negatives,
    confusion: { tp, fp, fn, tn },
  }
}

/**
 * What {@link correctedPassRate} needs: the judge's pass rate on the eval and its
 * specificity and sensitivity on the labelled rows, each with the count it was measured on.
 *
 * @example
 * ```ts
 * const input: CorrectedPassRateInput = { p: 0.75, n: 500, q0: 0.85, m0: 40, q1: 0.9, m1: 60 }
 * ```
 */
export interface CorrectedPassRateInput {
  /** The share of rows the judge passed. */
  p: number
  /** How many rows p is measured on. */
  n: number
  /** Specificity: the share of human fails the judge also failed (TNR). */
  q0: number
  /** How many human-failed rows q0 is measured on. */
  m0: number
  /** Sensitivity: the share of human passes the judge also passed (TPR). */
  q1: number
  /** How many human-passed rows q1 is measured on. */
  m1: number
}

/**
 * The bias-corrected pass rate and its interval, or why there is none.
 *
 * @example
 * ```ts
 * const r: CorrectedPassRate = { estimate: null, reason: 'the judge is no better than chance' }
 * ```
 */
export type CorrectedPassRate =
  | {
      /** θ clamped to [0, 1]. */
      estimate: number
      /** θ before clamping (outside [0, 1] when the judge's rates and p disagree). */
      unclamped: number
      /** Delta-method standard error of θ. */
      stderr: number
      /** θ ± z·stderr, clipped to [0, 1]. */
      low: number
      high: number
      level: number
      method: 'delta'
    }
  | { estimate: null; reason: string }

/**
 * The true pass rate θ estimated from a judge's pass rate p, corrected for the judge's errors
 * (q0 its specificity, q1 its sensitivity, measured on human-labelled rows):
 *
 *     θ = (p + q0 − 1) / (q0 + q1 − 1)                         (Rogan & Gladen 1978; Lee et al. 2025)
 *     Var θ ≈ [ p(1−p)/n + (1−θ)² q0(1−q0)/m0 + θ² q1(1−q1)/m1 ] / (q0 + q1 − 1)²
 *
 * The variance is the delta method's (first-order Taylor expansion in p, q0, q1, each an
 * independent binomial proportion), so the interval carries the uncertainty of the eval's rows
 * and of the labelled rows alike; the interval is θ ± z·√Var with z = Φ⁻¹((1 + level)/2),
 * computed around the unclamped θ and clipped to [0, 1]; `estimate` is θ clamped to [0, 1].
 * No small-sample adjustment is applied: with few labelled rows, or q0 or q1 at exactly 0 or 1
 * (their binomial variance is then 0), the interval is too narrow. When the labelled rows are
 * also rows of the eval, p and q0, q1 are not independent, which the variance ignores.
 *
 * When q0 + q1 − 1 ≤ 0 the judge is no better than chance (its verdicts carry no information
 * about the truth): there is no estimate, and `reason` says so.
 *
 * Throws an EvalgateError unless p, q0, q1 are in [0, 1], n, m0, m1 are integers ≥ 1 and
 * 0 < level < 1.
 *
 * @example
 * ```ts
 * correctedPassRate({ p: 0.7, n: 1000, q0: 0.9, m0: 100, q1: 0.8, m1: 100 })
 * // { estimate: 0.8571..., low: ..., high: ..., method: 'delta', ... }
 * ```
 */
export function correctedPassRate(
  input: CorrectedPassRateInput,
  options: { confidence?: number } = {},
): CorrectedPassRate {
  const fn = 'correctedPassRate'
  if (typeof input !== 'object' || input === null) {
    throw new EvalgateError(
      `${fn}: input must be { p, n, q0, m0, q1, m1 }, received ${describeValue(input)}`,
    )
  }
  const level = checkConfidence(fn, options.confidence ?? 0.95)
  const p = checkProportion(fn, 'p (judge pass rate)', input.p)
  const q0 = checkProportion(fn, 'q0 (specificity)', input.q0)
  const q1 = checkProportion(fn, 'q1 (sensitivity)', input.q1)
  const n = checkCount(fn, 'n (judged rows)', input.n, 1)
  const m0 = checkCount(fn, 'm0 (human-failed rows)', input.m0, 1)
  const m1 = checkCount(fn, 'm1 (human-passed rows)', input.m1, 1)
  const youden = q0 + q1 - 1
  if (!(youden > 0)) {
    return {
      estimate: null,
      reason: `the judge is no better than chance: specificity ${q0} + sensitivity ${q1} − 1 = ${youden} ≤ 0, so its verdicts say nothing about the true pass rate`,
    }
  }
  const theta = (p + q0 - 1) / youden
  const variance =
    ((p * (1 - p)) / n +
      ((1 - theta) ** 2 * q0 * (1 - q0)) / m0 +
      (theta ** 2 * q1 * (1 - q1)) / m1) /
    youden ** 2
  const stderr = Math.sqrt(variance)
  const half = normalQuantile((1 + level) / 2) * stderr
  const clamp = (x: number) => Math.min(1, Math.max(0, x))
  return {
    estimate: clamp(theta),
    unclamped: theta,
    stderr,
    low: clamp(theta - half),
    high: clamp(theta + half),
    level,
    method: 'delta',
  }
}
