// Thin, validated wrappers over @stdlib's distribution functions: the special functions
// (incomplete beta and its inverse, inverse error function) come from a well-kept numerical
// library, never from a hand-rolled approximation here.
import binomialCdfImpl from '@stdlib/stats-base-dists-binomial-cdf'
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile'
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf'
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile'
import { describeValue, EvalgateError } from '../base/errors.js'
import { checkCount, checkOpenProbability, checkProportion } from './validate.js'

function checkDf(fn: string, df: unknown): number {
  if (typeof df !== 'number' || !(df > 0) || !Number.isFinite(df)) {
    throw new EvalgateError(
      `${fn}: degrees of freedom must be a finite number > 0, received ${describeValue(df)}`,
    )
  }
  return df
}

function finite(fn: string, value: number): number {
  // The inputs are validated, so a non-finite result would be a defect of the library: say so
  // rather than let a NaN reach a gate.
  if (!Number.isFinite(value)) {
    throw new EvalgateError(`${fn}: the distribution function returned ${String(value)}`)
  }
  return value
}

/**
 * The quantile (inverse CDF) of Student's t distribution with `df` degrees of freedom:
 * the t such that P(T ≤ t) = p. Same as `scipy.stats.t.ppf(p, df)`.
 *
 * Throws an EvalgateError unless 0 < p < 1 and df is a finite number > 0 (df need not be an
 * integer).
 *
 * @example
 * ```ts
 * tQuantile(0.975, 10) // 2.2281388519862744
 * ```
 */
export function tQuantile(p: number, df: number): number {
  checkOpenProbability('tQuantile', 'p', p)
  checkDf('tQuantile', df)
  // Reference: @stdlib/stats-base-dists-t-quantile (inverse regularised incomplete beta).
  return finite('tQuantile', tQuantileImpl(p, df))
}

/**
 * The cumulative distribution function of Student's t distribution: P(T ≤ x) with `df` degrees
 * of freedom. Same as `scipy.stats.t.cdf(x, df)`.
 *
 * Throws an EvalgateError unless x is a number (±Infinity allowed) and df a finite number > 0.
 *
 * @example
 * ```ts
 * tCdf(2, 10) // 0.9633059826146297
 * ```
 */
export function tCdf(x: number, df: number): number {
  if (typeof x !== 'number' || Number.isNaN(x)) {
    throw new EvalgateError(`tCdf: x must be a number, received ${describeValue(x)}`)
  }
  checkDf('tCdf', df)
  // Reference: @stdlib/stats-base-dists-t-cdf (regularised incomplete beta).
  return finite('tCdf', tCdfImpl(x, df))
}

/**
 * The quantile of the standard normal distribution: the z such that P(Z ≤ z) = p. Same as
 * `scipy.stats.norm.ppf(p)`.
 *
 * Accurate to ~1e-15 relative where intervals use it (p = (1 + level)/2 ≥ 0.5) and down to
 * p = 1e-3; in the far lower tail to ~2e-9 at p = 1e-10, since 2p − 1 rounds before erfinv.
 *
 * Throws an EvalgateError unless 0 < p < 1.
 *
 * @example
 * ```ts
 * normalQuantile(0.975) // 1.959963984540054
 * ```
 */
export function normalQuantile(p: number): number {
  checkOpenProbability('normalQuantile', 'p', p)
  // Reference: @stdlib/stats-base-dists-normal-quantile (μ + σ·√2·erfinv(2p − 1)).
  return finite('normalQuantile', normalQuantileImpl(p, 0, 1))
}

/**
 * The cumulative distribution function of the binomial distribution: P(X ≤ k) for X ~ B(n, p).
 * Same as `scipy.stats.binom.cdf(k, n, p)`.
 *
 * Throws an EvalgateError unless k and n are integers with 0 ≤ k ≤ n and 0 ≤ p ≤ 1.
 *
 * @example
 * ```ts
 * binomialCdf(3, 10, 0.5) // 0.171875
 * ```
 */
export function binomialCdf(k: number, n: number, p: number): number {
  checkCount('binomialCdf', 'n', n)
  checkCount('binomialCdf', 'k', k)
  if (k > n) throw new EvalgateError(`binomialCdf: k must be <= n (${n}), received ${k}`)
  checkProportion('binomialCdf', 'p', p)
  // Reference: @stdlib/stats-base-dists-binomial-cdf (regularised incomplete beta).
  return finite('binomialCdf', binomialCdfImpl(k, n, p))
}
