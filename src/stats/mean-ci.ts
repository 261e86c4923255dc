// The mean with a standard error clustered by dataset row and its t interval.
// Reference: Evan Miller, "Adding Error Bars to Evals: A Statistical Approach to Language
// Model Evaluations" (2024), arXiv:2411.00640, section 2 and Appendix A (clustered standard
// errors); with the finite-cluster correction C/(C−1) of Cameron & Miller, "A Practitioner's
// Guide to Cluster-Robust Inference" (2015), as Inspect's `stderr(cluster=...)` applies it.

import { tQuantile } from './distributions.js'
import type { Interval } from './interval.js'
import { type ClusterId, checkConfidence, checkValues, indexClusters } from './validate.js'

/**
 * The mean of all values and its clustered standard error.
 *
 * @example
 * ```ts
 * const se: ClusteredStderr = { mean: 0.5, stderr: 0.1, n: 30, clusters: 10 }
 * ```
 */
export interface ClusteredStderr {
  mean: number
  stderr: number
  /** How many values. */
  n: number
  /** How many distinct clusters (rows). */
  clusters: number
}

/**
 * The mean x̄ of N values and its standard error clustered by row:
 *
 *     SE = √( C/(C−1) · Σ_c (Σ_{i∈c} (x_i − x̄))² ) / N
 *
 * over the C clusters (Miller 2024, Appendix A, with the C/(C−1) finite-cluster correction).
 * Trials of one row are correlated, so they are not counted as independent samples; clusters
 * may be unbalanced (rows with different numbers of trials). With one value per cluster it is
 * exactly the ordinary s/√n (s with n − 1 in the denominator); with k values in every cluster it
 * equals the ordinary SE of the C row means.
 *
 * `clusters[i]` is the row (index or id) of `values[i]`; without `clusters`, every value is its
 * own row. Returns `null` with fewer than 2 clusters (one row carries no information about
 * row-to-row variation). Throws an EvalgateError for an empty or non-finite `values` or a
 * `clusters` array of another length.
 *
 * @example
 * ```ts
 * // 3 rows × 2 trials
 * clusteredStderr([1, 1, 0, 1, 0, 0], [0, 0, 1, 1, 2, 2])
 * // { mean: 0.5, stderr: 0.2886751345948129, n: 6, clusters: 3 }
 * ```
 */
export function clusteredStderr(
  values: readonly number[],
  clusters?: readonly ClusterId[],
): ClusteredStderr | null {
  checkValues('clusteredStderr', 'values', values)
  const index = indexClusters('clusteredStderr', values.length, clusters)
  return stderrOf(values, index.of, index.count)
}

// Two passes (mean, then residuals summed per cluster) rather than sums of raw values, so large
// values (latencies) lose no precision to cancellation.
function stderrOf(
  values: readonly number[],
  of: Int32Array,
  count: number,
): ClusteredStderr | null {
  const n = values.length
  if (count < 2) return null
  let sum = 0
  for (let i = 0; i < n; i++) sum += values[i]!
  const mean = sum / n
  const residuals = new Float64Array(count)
  for (let i = 0; i < n; i++) residuals[of[i]!]! += values[i]! - mean
  let squares = 0
  for (let c = 0; c < count; c++) squares += residuals[c]! * residuals[c]!
  const stderr = Math.sqrt((squares * count) / (count - 1)) / n
  return { mean, stderr, n, clusters: count }
}

/**
 * A t interval: an {@link Interval} with the t distribution's degrees of freedom.
 *
 * @example
 * ```ts
 * const ci: TInterval = {
 *   estimate: 0.5, stderr: 0.1, low: 0.28, high: 0.72, level: 0.95, method: 't', n: 30, clusters: 10, df: 9,
 * }
 * ```
 */
export interface TInterval extends Interval {
  method: 't'
  /** Degrees of freedom: clusters − 1. */
  df: number
}

/**
 * Options of {@link meanCI}.
 *
 * @example
 * ```ts
 * const options: MeanCIOptions = { confidence: 0.95, clusters: [0, 0, 1, 1] }
 * ```
 */
export interface MeanCIOptions {
  /** Confidence level, strictly between 0 and 1. Default 0.95. */
  confidence?: number
  /** `clusters[i]` is the dataset row of `values[i]`; default: one row per value. */
  clusters?: readonly ClusterId[]
}

/**
 * The confidence interval of a mean: x̄ ± t_{(1+level)/2, C−1} · SE, with SE the standard error
 * clustered by row ({@link clusteredStderr}) and C − 1 degrees of freedom for C rows. With one
 * value per row it is the classic one-sample t interval (as `scipy.stats.ttest_1samp(...)
 * .confidence_interval()`).
 *
 * The interval is not clipped to the metric's range: a mean of 0/1 values near 0 or 1 can give
 * a bound outside [0, 1] (use {@link wilsonCI} for pass rates of single-trial rows).
 *
 * Returns `null` when there are fewer than 2 rows (no interval can be estimated from one row,
 * however many trials it has). Throws an EvalgateError for empty or non-finite values, a
 * `clusters` array of another length or a confidence outside (0, 1).
 *
 * @example
 * ```ts
 * meanCI([1, 0, 1, 1, 0, 1, 1, 1], { confidence: 0.95 })
 * // { estimate: 0.75, stderr: 0.1636..., low: 0.3629..., high: 1.1370..., df: 7, ... }
 * ```
 */
export function meanCI(values: readonly number[], options: MeanCIOptions = {}): TInterval | null {
  const level = checkConfidence('meanCI', options.confidence ?? 0.95)
  checkValues('meanCI', 'values', values)
  const index = indexClusters('meanCI', values.length, options.clusters)
  const se = stderrOf(values, index.of, index.count)
  if (se === null) return null
  const df = se.clusters - 1
  const half = tQuantile((1 + level) / 2, df) * se.stderr
  return {
    estimate: se.mean,
    stderr: se.stderr,
    low: se.mean - half,
    high: se.mean + half,
    level,
    method: 't',
    n: se.n,
    clusters: se.clusters,
    df,
  }
}
