// The shape every confidence interval of src/stats/ returns, so core maps each one onto the
// artifact's `stderr` and `ci { level, method, low, high }` the same way.

/**
 * How an interval was computed: `'t'` (mean ± t·clustered SE), `'wilson'` (Wilson score
 * interval of a proportion) or `'bootstrap'` (percentile interval over resampled rows).
 *
 * @example
 * ```ts
 * const method: IntervalMethod = 'wilson'
 * ```
 */
export type IntervalMethod = 't' | 'wilson' | 'bootstrap'

/**
 * A point estimate with its standard error and a confidence interval.
 *
 * @example
 * ```ts
 * const ci: Interval = {
 *   estimate: 0.8, stderr: 0.04, low: 0.72, high: 0.88, level: 0.95, method: 't', n: 100, clusters: 100,
 * }
 * ```
 */
export interface Interval {
  /** The point estimate the interval surrounds (the mean of all values, or the statistic). */
  estimate: number
  /** Its standard error (clustered by row for `'t'`, of the bootstrap replicates for `'bootstrap'`). */
  stderr: number
  low: number
  high: number
  /** The confidence level, e.g. 0.95. */
  level: number
  method: IntervalMethod
  /** How many values (row × trial results) went in. */
  n: number
  /** How many independent units (dataset rows) they came from. */
  clusters: number
}
