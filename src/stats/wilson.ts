// The Wilson score interval of a proportion.
// Reference: E. B. Wilson, "Probable Inference, the Law of Succession, and Statistical
// Inference", JASA 22 (1927) 209–212; recommended by Brown, Cai & DasGupta, "Interval
// Estimation for a Binomial Proportion", Statistical Science 16 (2001). Same bounds as
// `scipy.stats.binomtest(k, n).proportion_ci(level, method='wilson')`.
import { EvalgateError } from '../base/errors.js'
import { normalQuantile } from './distributions.js'
import type { Interval } from './interval.js'
import { checkConfidence, checkCount } from './validate.js'

/**
 * A Wilson score interval: an {@link Interval} of a proportion.
 *
 * @example
 * ```ts
 * const ci: WilsonInterval = {
 *   estimate: 0.8, stderr: 0.04, low: 0.71, high: 0.87, level: 0.95, method: 'wilson', n: 100, clusters: 100,
 * }
 * ```
 */
export interface WilsonInterval extends Interval {
  method: 'wilson'
}

/**
 * The Wilson score interval for a proportion p̂ = successes / n, with z = Φ⁻¹((1 + level)/2):
 *
 *     centre = (p̂ + z²/(2n)) / (1 + z²/n)
 *     half   = z / (1 + z²/n) · √( p̂(1 − p̂)/n + z²/(4n²) )
 *
 * Unlike p̂ ± z·SE it stays inside [0, 1] and does not collapse to a point at 0 or n successes
 * (0/20 gives [0, 0.161], not [0, 0]). `stderr` is the binomial √(p̂(1 − p̂)/n), which is 0 at
 * p̂ = 0 or 1 while the interval is not. Use it for pass rates of single-trial rows, where every
 * value is an independent Bernoulli trial.
 *
 * Throws an EvalgateError unless n ≥ 1, 0 ≤ successes ≤ n (integers) and 0 < level < 1.
 *
 * @example
 * ```ts
 * wilsonCI(8, 10, 0.95) // { estimate: 0.8, low: 0.4901624..., high: 0.9433178..., ... }
 * ```
 */
export function wilsonCI(successes: number, n: number, confidence = 0.95): WilsonInterval {
  checkCount('wilsonCI', 'n', n, 1)
  checkCount('wilsonCI', 'successes', successes)
  if (successes > n) {
    throw new EvalgateError(`wilsonCI: successes must be <= n (${n}), received ${successes}`)
  }
  const level = checkConfidence('wilsonCI', confidence)
  const z = normalQuantile((1 + level) / 2)
  const p = successes / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return {
    estimate: p,
    stderr: Math.sqrt((p * (1 - p)) / n),
    // The bounds are exactly 0 and 1 at 0 and n successes; clamping only removes rounding.
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
    level,
    method: 'wilson',
    n,
    clusters: n,
  }
}
