// The cluster (row) bootstrap percentile interval, from a seeded generator.
// Reference: B. Efron & R. Tibshirani, "An Introduction to the Bootstrap" (1993), ch. 13 (the
// percentile interval); resampling whole clusters: Davison & Hinkley, "Bootstrap Methods and
// their Application" (1997), section 3.8, and Field & Welsh, "Bootstrapping clustered data",
// JRSS B 69 (2007). Percentiles interpolate linearly, as numpy's `percentile` default.
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { describeValue, EvalgateError } from '../base/errors.js'
import type { Interval } from './interval.js'
import {
  type ClusterId,
  checkConfidence,
  checkCount,
  checkValues,
  indexClusters,
} from './validate.js'

/**
 * A bootstrap percentile interval: an {@link Interval} with the resampling it came from.
 *
 * @example
 * ```ts
 * const ci: BootstrapInterval = {
 *   estimate: 0.8, stderr: 0.04, low: 0.72, high: 0.88, level: 0.95, method: 'bootstrap',
 *   n: 300, clusters: 100, resamples: 2000, seed: 0,
 * }
 * ```
 */
export interface BootstrapInterval extends Interval {
  method: 'bootstrap'
  resamples: number
  seed: number
}

/**
 * Options of {@link bootstrapCI}.
 *
 * @example
 * ```ts
 * const options: BootstrapOptions = { clusters: [0, 0, 1, 1], resamples: 2000, seed: 7 }
 * ```
 */
export interface BootstrapOptions {
  /** Confidence level, strictly between 0 and 1. Default 0.95. */
  confidence?: number
  /** `clusters[i]` is the dataset row of `values[i]`; default: one row per value. */
  clusters?: readonly ClusterId[]
  /** How many resamplings (an integer >= 100). Default 2000. */
  resamples?: number
  /** Seed of the generator, an integer from 0 to 2³² − 1. Default 0. */
  seed?: number
  /**
   * The statistic, computed on the original values and on each resample (the values of the
   * drawn rows, all their trials, in draw order). Default: the mean, computed from per-row sums
   * without copying any value. It must return a finite number.
   */
  statistic?: (values: Float64Array) => number
}

/**
 * The bootstrap percentile interval of a statistic (default: the mean), resampling whole rows:
 * each of `resamples` replicates draws C of the C rows uniformly with replacement, keeps all
 * their trials, and computes the statistic; the interval is the (1 − level)/2 and (1 + level)/2
 * percentiles of the replicates (linear interpolation between order statistics), `stderr` their
 * standard deviation (n − 1 denominator), `estimate` the statistic of the original values.
 * Resampling rows, not values, keeps the correlation of a row's trials (the bootstrap analogue
 * of the clustered SE).
 *
 * The generator is xoroshiro128+ (pure-rand) seeded with `seed`, drawing row numbers by
 * rejection sampling (exactly uniform): the same values, rows, options give the same interval
 * bit for bit, on every run and platform.
 *
 * Returns `null` with fewer than 2 rows (every resample would be the one row: no interval).
 * Throws an EvalgateError for empty or non-finite values, a `clusters` array of another length,
 * a bad option, or a statistic that returns a non-finite number.
 *
 * @example
 * ```ts
 * bootstrapCI([1, 1, 0, 1, 0, 0, 1, 1], { clusters: [0, 0, 1, 1, 2, 2, 3, 3], seed: 1 })
 * // { estimate: 0.625, low: ..., high: ..., method: 'bootstrap', resamples: 2000, seed: 1, ... }
 * ```
 */
export function bootstrapCI(
  values: readonly number[],
  options: BootstrapOptions = {},
): BootstrapInterval | null {
  const fn = 'bootstrapCI'
  const level = checkConfidence(fn, options.confidence ?? 0.95)
  const resamples = checkCount(fn, 'resamples', options.resamples ?? 2000, 100)
  const seed = checkCount(fn, 'seed', options.seed ?? 0)
  if (seed > 0xffffffff) {
    throw new EvalgateError(`${fn}: seed must be an integer from 0 to 4294967295, received ${seed}`)
  }
  const statistic = options.statistic
  if (statistic !== undefined && typeof statistic !== 'function') {
    throw new EvalgateError(
      `${fn}: statistic must be a function of the values, received ${describeValue(statistic)}`,
    )
  }
  checkValues(fn, 'values', values)
  const index = indexClusters(fn, values.length, options.clusters)
  const count = index.count
  if (count < 2) return null

  const replicates = new Float64Array(resamples)
  const rng = xoroshiro128plus(seed)
  let estimate: number
  if (statistic === undefined) {
    // Mean: per-row sums and sizes, so a replicate is Σ sums / Σ sizes over the drawn rows.
    const sums = new Float64Array(count)
    let total = 0
    for (let i = 0; i < values.length; i++) {
      sums[index.of[i]!]! += values[i]!
      total += values[i]! // in value order, as meanCI and the aggregate mean sum
    }
    estimate = total / values.length
    const sizes = index.sizes
    for (let r = 0; r < resamples; r++) {
      let sum = 0
      let size = 0
      for (let d = 0; d < count; d++) {
        const c = uniformInt(rng, 0, count - 1)
        sum += sums[c]!
        size += sizes[c]!
      }
      replicates[r] = sum / size
    }
  } else {
    const grouped = groupValues(values, index.of, index.sizes)
    estimate = checkStatistic(statistic(Float64Array.from(values)))
    const drawn = new Int32Array(count)
    let buffer = new Float64Array(values.length)
    for (let r = 0; r < resamples; r++) {
      let size = 0
      for (let d = 0; d < count; d++) {
        const c = uniformInt(rng, 0, count - 1)
        drawn[d] = c
        size += index.sizes[c]!
      }
      if (size > buffer.length) buffer = new Float64Array(Math.max(size, buffer.length * 2))
      let at = 0
      for (let d = 0; d < count; d++) {
        const c = drawn[d]!
        const start = grouped.offsets[c]!
        const end = start + index.sizes[c]!
        for (let i = start; i < end; i++) buffer[at++] = grouped.values[i]!
      }
      replicates[r] = checkStatistic(statistic(buffer.subarray(0, size)))
    }
  }

  replicates.sort()
  const alpha = 1 - level
  return {
    estimate,
    stderr: standardDeviation(replicates),
    low: percentile(replicates, alpha / 2),
    high: percentile(replicates, 1 - alpha / 2),
    level,
    method: 'bootstrap',
    n: values.length,
    clusters: count,
    resamples,
    seed,
  }
}

function checkStatistic(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new EvalgateError(
      `bootstrapCI: statistic must return a finite number, received ${describeValue(value)}`,
    )
  }
  return value
}

/** The values reordered row by row, with each row's offset. */
function groupValues(
  values: readonly number[],
  of: Int32Array,
  sizes: Int32Array,
): { values: Float64Array; offsets: Int32Array } {
  const offsets = new Int32Array(sizes.length)
  for (let c = 1; c < sizes.length; c++) offsets[c] = offsets[c - 1]! + sizes[c - 1]!
  const next = Int32Array.from(offsets)
  const grouped = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) grouped[next[of[i]!]!++] = values[i]!
  return { values: grouped, offsets }
}

/** The q-quantile of sorted values, interpolating linearly (numpy's default `percentile`). */
function percentile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

function standardDeviation(xs: Float64Array): number {
  let sum = 0
  for (let i = 0; i < xs.length; i++) sum += xs[i]!
  const mean = sum / xs.length
  let squares = 0
  for (let i = 0; i < xs.length; i++) squares += (xs[i]! - mean) ** 2
  return Math.sqrt(squares / (xs.length - 1))
}
