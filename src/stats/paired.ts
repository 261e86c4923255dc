// Paired comparison of two runs of one dataset: the mean paired difference with a clustered
// standard error, its t interval and p-value, and McNemar's exact test for yes/no metrics.
// References: Student's paired t-test (as `scipy.stats.ttest_rel`); clustered SE: Miller 2024,
// "Adding Error Bars to Evals", arXiv:2411.00640, section 4 (paired differences) and
// Appendix A; McNemar, "Note on the sampling error of the difference between correlated
// proportions or percentages", Psychometrika 12 (1947), in its exact (binomial) form:
// Fagerland, Lydersen & Laake, "The McNemar test for binary matched-pairs data",
// BMC Medical Research Methodology 13:91 (2013).
import { EvalgateError } from '../base/errors.js'
import { binomialCdf, tCdf, tQuantile } from './distributions.js'
import { clusteredStderr } from './mean-ci.js'
import { type ClusterId, checkConfidence, checkCount, checkValues } from './validate.js'

/**
 * The paired difference of two runs (candidate − baseline).
 *
 * @example
 * ```ts
 * const d: PairedDiff = {
 *   meanDiff: -0.1, stderr: 0.03, low: -0.16, high: -0.04, level: 0.95, df: 199,
 *   t: -3.33, pValue: 0.001, n: 200, clusters: 200,
 * }
 * ```
 */
export interface PairedDiff {
  /** Mean of b − a over the pairs: negative when the candidate `b` scores lower. */
  meanDiff: number
  /** Its standard error, clustered by row. */
  stderr: number
  /** The t interval of the mean difference at `level`. */
  low: number
  high: number
  level: number
  /** Degrees of freedom: clusters − 1. */
  df: number
  /** meanDiff / stderr; `null` when stderr is 0 (every pair differs by the same amount). */
  t: number | null
  /** Two-sided p-value of "no mean difference". */
  pValue: number
  /** How many pairs. */
  n: number
  /** How many distinct rows the pairs come from. */
  clusters: number
}

/**
 * Options of {@link pairedDiff}.
 *
 * @example
 * ```ts
 * const options: PairedDiffOptions = { confidence: 0.95, clusters: [0, 0, 1, 1] }
 * ```
 */
export interface PairedDiffOptions {
  /** Confidence level, strictly between 0 and 1. Default 0.95. */
  confidence?: number
  /** `clusters[i]` is the dataset row of pair i (trials of one row); default: one row per pair. */
  clusters?: readonly ClusterId[]
}

/**
 * The paired comparison of a baseline `a` and a candidate `b` (`a[i]` and `b[i]` are one row's
 * (or one row-trial's) scores in the two runs): with d_i = b_i − a_i,
 *
 *     meanDiff = d̄,   SE = clustered SE of d (see clusteredStderr),   df = C − 1
 *     CI = d̄ ± t_{(1+level)/2, df} · SE,   t = d̄ / SE,   p = 2 · P(T_df ≤ −|t|)
 *
 * With one pair per row it is the paired t-test: `scipy.stats.ttest_rel(b, a)` gives the same
 * t and p-value, and `.confidence_interval(level)` the same interval. Pairing removes the
 * row-to-row variation both runs share, so it finds a real change with far fewer rows than an
 * unpaired test.
 *
 * When every pair differs by the same amount the SE is 0: then `t` is `null`, the interval is
 * [d̄, d̄], and `pValue` is 1 if d̄ = 0 (the runs agree everywhere) and 0 otherwise (the limit of
 * the test; scipy reports t = ±inf, p = 0 there).
 *
 * Returns `null` with fewer than 2 rows. Throws an EvalgateError when `a` and `b` are empty,
 * not finite, or of different lengths, or for a bad option.
 *
 * @example
 * ```ts
 * pairedDiff([1, 1, 0, 1], [0, 1, 0, 0]) // { meanDiff: -0.5, t: -1.732..., pValue: 0.1817..., ... }
 * ```
 */
export function pairedDiff(
  a: readonly number[],
  b: readonly number[],
  options: PairedDiffOptions = {},
): PairedDiff | null {
  const level = checkConfidence('pairedDiff', options.confidence ?? 0.95)
  checkValues('pairedDiff', 'a (baseline)', a)
  checkValues('pairedDiff', 'b (candidate)', b)
  if (a.length !== b.length) {
    throw new EvalgateError(
      `pairedDiff: a and b must pair up one to one, received ${a.length} and ${b.length} values`,
    )
  }
  const d = new Array<number>(a.length)
  for (let i = 0; i < a.length; i++) d[i] = b[i]! - a[i]!
  const se = clusteredStderr(d, options.clusters)
  if (se === null) return null
  const df = se.clusters - 1
  const base = { meanDiff: se.mean, stderr: se.stderr, level, df, n: se.n, clusters: se.clusters }
  if (se.stderr === 0) {
    return { ...base, low: se.mean, high: se.mean, t: null, pValue: se.mean === 0 ? 1 : 0 }
  }
  const half = tQuantile((1 + level) / 2, df) * se.stderr
  const t = se.mean / se.stderr
  // 2·P(T ≤ −|t|) rather than 2·(1 − P(T ≤ |t|)): the small tail keeps its precision.
  const pValue = Math.min(1, 2 * tCdf(-Math.abs(t), df))
  return { ...base, low: se.mean - half, high: se.mean + half, t, pValue }
}

/**
 * McNemar's exact test for a yes/no metric measured twice on the same rows: of the rows that
 * flipped, `b01` went from fail (baseline) to pass (candidate) and `b10` from pass to fail.
 * Under "no change" each flip is equally likely either way, so the two-sided exact p-value is
 *
 *     p = min(1, 2 · P(X ≤ min(b01, b10))),   X ~ Binomial(b01 + b10, 1/2)
 *
 * the same as `scipy.stats.binomtest(b10, b01 + b10, 0.5).pvalue`. Rows that did not flip
 * carry no information about the change. With no flipped row at all the p-value is 1 (no
 * evidence of a change; scipy refuses n = 0).
 *
 * Throws an EvalgateError unless b01 and b10 are integers ≥ 0.
 *
 * @example
 * ```ts
 * mcnemarExact(2, 10) // 0.03857421875
 * ```
 */
export function mcnemarExact(b01: number, b10: number): number {
  checkCount('mcnemarExact', 'b01 (rows that went from fail to pass)', b01)
  checkCount('mcnemarExact', 'b10 (rows that went from pass to fail)', b10)
  const flipped = b01 + b10
  if (flipped === 0) return 1
  return Math.min(1, 2 * binomialCdf(Math.min(b01, b10), flipped, 0.5))
}
