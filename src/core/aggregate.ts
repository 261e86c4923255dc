import { describeValue, EvalgateError } from '../base/errors.js'

/**
 * The builtin aggregations, in the order reports show them. Values follow numpy: `variance` is
 * the population variance (`np.var`, ddof=0), percentiles use `np.percentile`'s default linear
 * interpolation, `median` equals `p50`.
 *
 * @example
 * ```ts
 * BUILTIN_AGGREGATIONS.includes('p90') // true
 * ```
 */
export const BUILTIN_AGGREGATIONS = [
  'count',
  'errors',
  'mean',
  'min',
  'max',
  'median',
  'variance',
  'stdev',
  'p50',
  'p90',
  'p95',
  'p99',
  'passRate',
] as const

/**
 * The name of one builtin aggregation.
 *
 * @example
 * ```ts
 * const agg: BuiltinAggregation = 'p90'
 * ```
 */
export type BuiltinAggregation = (typeof BUILTIN_AGGREGATIONS)[number]

/**
 * A custom aggregation: named by its function name. It receives a copy of the metric's scored
 * values (never an empty array) and must return a finite number.
 *
 * @example
 * ```ts
 * const trimmed_mean: CustomAggregation = (scores) => {
 *   const s = [...scores].sort((a, b) => a - b).slice(1, -1)
 *   return s.reduce((a, b) => a + b, 0) / s.length
 * }
 * ```
 */
export type CustomAggregation = (scores: number[]) => number

/**
 * What a scorer's `aggregations` option accepts: a builtin name or a named custom function.
 *
 * @example
 * ```ts
 * const specs: AggregationSpec[] = ['mean', 'p90', function trimmed_mean(s) { return s[0] ?? 0 }]
 * ```
 */
export type AggregationSpec = BuiltinAggregation | CustomAggregation

/**
 * What one metric saw over the rows of an eval.
 *
 * @example
 * ```ts
 * const obs: MetricObservations = {
 *   scores: [1, 0, 1], passes: 2, withRule: 3, errors: 1, unscored: 0, skipped: 1, binary: true,
 * }
 * ```
 */
export interface MetricObservations {
  /** Scored values only (finite numbers), in row order. */
  scores: number[]
  /** How many scored values passed their pass rule. */
  passes: number
  /** How many scored values had a pass rule at all (a numeric value without threshold has none). */
  withRule: number
  /** Rows where this metric errored (or could not be produced because the row errored). */
  errors: number
  /** Values kept but not scorable (free strings, objects). */
  unscored: number
  /** Rows where the scorer abstained (returned `null` or `[]`): never a score nor an error. */
  skipped: number
  /**
   * Every scored value was a boolean or a yes/no string, and there was at least one: the value
   * aggregations then lie in known ranges (mean in [0, 1], ...), which the gates check.
   * `aggregateMetric` does not read it.
   */
  binary: boolean
}

/**
 * Every builtin aggregation (`count`, `errors`, `unscored`, `skipped` always numbers; the rest
 * `null` when `count` is 0) plus custom ones by name. An aggregation that could not be computed
 * (a custom one threw or returned a non-finite number; a variance beyond the largest double) is
 * `null`, with the reason under its name in `aggregationErrors`, the one key that is not an
 * aggregation; it is present only when some aggregation failed.
 *
 * @example
 * ```ts
 * const s: MetricSummary = aggregateMetric({
 *   scores: [1, 2], passes: 0, withRule: 0, errors: 0, unscored: 0, skipped: 0, binary: false,
 * })
 * s.mean // 1.5
 * s.passRate // null: no value had a pass rule
 * s.aggregationErrors // undefined: every aggregation has its value
 * ```
 */
export type MetricSummary = {
  count: number
  errors: number
  unscored: number
  skipped: number
  /** Aggregation name → why it has no value. Absent when every aggregation was computed. */
  aggregationErrors?: Record<string, string>
} & Record<string, number | null>

const BUILTIN_SET: ReadonlySet<string> = new Set(BUILTIN_AGGREGATIONS)
/** Names a custom aggregation may not take: they are already keys of every MetricSummary. */
const RESERVED_SET: ReadonlySet<string> = new Set([
  ...BUILTIN_AGGREGATIONS,
  'unscored',
  'skipped',
  'aggregationErrors',
])

function anonymousError(where: string): EvalgateError {
  return new EvalgateError(
    `${where}custom aggregation has no name; pass a named function (e.g. \`function trimmed_mean(scores) { ... }\` or \`const trimmed_mean = (scores) => ...\`), its name is how it is reported and gated`,
  )
}

/**
 * The name a custom aggregation is reported and gated under: its function name.
 * Throws an `EvalgateError` for an anonymous function.
 *
 * @example
 * ```ts
 * const trimmed_mean = (scores: number[]) => scores[0] ?? 0
 * customAggregationName(trimmed_mean) // 'trimmed_mean'
 * customAggregationName((s) => s[0] ?? 0) // throws: custom aggregation has no name
 * ```
 */
export function customAggregationName(fn: CustomAggregation): string {
  return nameOf(fn, '')
}

function nameOf(fn: CustomAggregation, where: string): string {
  const name: unknown = fn.name
  if (typeof name !== 'string' || name === '') throw anonymousError(where)
  return name
}

/**
 * Checks a scorer's `aggregations` option: each entry is a builtin name or a named function, and
 * custom names collide neither with a builtin nor with each other. Throws an `EvalgateError`
 * naming the metric and the bad entry.
 *
 * @example
 * ```ts
 * validateAggregations('latency_ms', ['mean', 'p90']) // ok
 * validateAggregations('latency_ms', ['p91']) // throws: unknown aggregation "p91"; builtin aggregations: count, ...
 * ```
 */
export function validateAggregations(
  metric: string,
  specs: readonly AggregationSpec[] | undefined,
): void {
  if (specs === undefined) return
  const where = `aggregations of "${metric}": `
  if (!Array.isArray(specs)) {
    throw new EvalgateError(
      `${where}expected an array of builtin names or named functions; received ${describeValue(specs)}`,
    )
  }
  const custom: CustomAggregation[] = []
  specs.forEach((spec: unknown, index) => {
    if (typeof spec === 'function') {
      custom.push(spec as CustomAggregation)
    } else if (typeof spec !== 'string') {
      throw new EvalgateError(
        `${where}entry ${index} must be a builtin aggregation name or a named function \`(scores: number[]) => number\`; received ${describeValue(spec)}`,
      )
    } else if (!BUILTIN_SET.has(spec)) {
      throw new EvalgateError(
        `${where}unknown aggregation ${describeValue(spec)} at index ${index}; builtin aggregations: ${BUILTIN_AGGREGATIONS.join(', ')} (or pass a named function for a custom one)`,
      )
    }
  })
  customNames(custom, where)
}

/** The names of custom aggregations, checked: named, not a summary key, not taken twice. */
function customNames(fns: readonly CustomAggregation[], where: string): string[] {
  const byName = new Map<string, CustomAggregation>()
  return fns.map((fn) => {
    const name = nameOf(fn, where)
    if (RESERVED_SET.has(name)) {
      throw new EvalgateError(
        `${where}custom aggregation "${name}" has the name of a builtin aggregation; rename the function`,
      )
    }
    const seen = byName.get(name)
    // The same function listed twice is harmless; two different functions under one name are not.
    if (seen !== undefined && seen !== fn) {
      throw new EvalgateError(
        `${where}two different custom aggregations are named "${name}"; give each function its own name`,
      )
    }
    byName.set(name, fn)
    return name
  })
}

/**
 * numpy's `_lerp`: exact at both ends and never outside [a, b], so percentiles stay monotone.
 * When b − a overflows (a and b of opposite signs near the largest double), the weighted sum
 * a·(1 − t) + b·t cannot: its two terms have opposite signs and are no larger than a and b.
 */
function lerp(a: number, b: number, t: number): number {
  if (a === b || t === 0) return a
  const diff = b - a
  if (!Number.isFinite(diff)) return t === 1 ? b : a * (1 - t) + b * t
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
}

/** Linear-interpolation percentile on a non-empty ascending array, p in [0, 100]. */
function interpolate(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  // Same operation order as numpy: q = p / 100, then virtual index = q * (n - 1).
  const rank = (p / 100) * (n - 1)
  const lo = Math.floor(rank)
  const hi = Math.min(lo + 1, n - 1)
  return lerp(sorted[lo]!, sorted[hi]!, rank - lo)
}

/**
 * The `p`-th percentile of an ascending array, as numpy's `percentile` with its default
 * `'linear'` method: rank = p/100 × (n − 1), interpolated between the two neighbouring values.
 * Throws an `EvalgateError` for an empty array or `p` outside [0, 100]. The array is trusted to
 * be sorted (checking would cost a pass over it).
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 90) // 3.7
 * percentile([15, 20, 35, 40, 50], 50) // 35
 * ```
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    throw new EvalgateError(
      'percentile of an empty array has no value; expected at least one number',
    )
  }
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 100) {
    throw new EvalgateError(`percentile expects p from 0 to 100; received ${describeValue(p)}`)
  }
  return interpolate(sorted, p)
}

/** A custom aggregation's value, or why it has none (it threw, or returned a non-finite number). */
function runCustom(
  fn: CustomAggregation,
  name: string,
  scores: readonly number[],
): number | { error: string } {
  let result: unknown
  try {
    result = fn(scores.slice())
  } catch (error) {
    const message = error instanceof Error ? error.message : describeValue(error)
    return { error: `custom aggregation "${name}" threw: ${message}` }
  }
  if (typeof result !== 'number' || !Number.isFinite(result)) {
    return {
      error: `custom aggregation "${name}" returned ${describeValue(result)}; expected a finite number`,
    }
  }
  return result
}

/** The power of two nearest below `x` (> 0, finite): dividing by it is exact and scales x to [1, 2). */
function powerOfTwoBelow(x: number): number {
  let k = Math.floor(Math.log2(x))
  // log2 may round across an integer for x just below a power of two; 2^k must not exceed x.
  if (2 ** k > x) k--
  return 2 ** Math.max(k, -1074)
}

/** `m × 2^e` rounded to 3 significant digits, for a value beyond the largest double. */
function describeHuge(scaled: number, scale: number, times: number): string {
  const log10 = Math.log10(scaled) + times * Math.log10(scale)
  let exponent = Math.floor(log10)
  let mantissa = (10 ** (log10 - exponent)).toFixed(2)
  if (mantissa === '10.00') {
    mantissa = '1.00'
    exponent++
  }
  return `${mantissa}e${exponent}`
}

/**
 * Summarises one metric: `count`, `errors`, `unscored`, `skipped`, every builtin aggregation and
 * each custom aggregation under its function name. With no scored values every value aggregation
 * is `null` (custom ones are not called); `passRate` is `null` when no scored value had a pass
 * rule. Never throws for what the scores or a custom aggregation do: a custom aggregation that
 * throws or returns anything but a finite number, and a variance beyond the largest double, are
 * `null` with the reason in `aggregationErrors`; every other aggregation keeps its value.
 * Numerically stable on any finite scores: mean and variance are computed on scores scaled by a
 * power of two (exact), so nothing overflows; the mean and percentiles never leave [min, max].
 * Throws an `EvalgateError` only for a non-finite score or a bad custom aggregation name.
 * O(n log n): one sorted copy serves every percentile.
 *
 * @example
 * ```ts
 * const s = aggregateMetric(
 *   { scores: [1, 2, 3, 4], passes: 3, withRule: 4, errors: 0, unscored: 0, skipped: 0, binary: false },
 *   [function spread(xs: number[]) { return Math.max(...xs) - Math.min(...xs) }],
 * )
 * s.p90 // 3.7
 * s.variance // 1.25
 * s.passRate // 0.75
 * s.spread // 3
 * ```
 */
export function aggregateMetric(
  obs: MetricObservations,
  custom?: readonly CustomAggregation[],
): MetricSummary {
  const scores = obs.scores
  const n = scores.length
  const names = customNames(custom ?? [], '')
  const summary: MetricSummary = {
    count: n,
    errors: obs.errors,
    unscored: obs.unscored,
    skipped: obs.skipped,
  }
  if (n === 0) {
    for (const name of BUILTIN_AGGREGATIONS)
      if (name !== 'count' && name !== 'errors') summary[name] = null
    for (const name of names) summary[name] = null
    return summary
  }
  const failed: Record<string, string> = {}

  // A guard (one non-finite score would poison everything) and the scale of the scores.
  let maxAbs = 0
  for (let i = 0; i < n; i++) {
    const v = scores[i]!
    if (!Number.isFinite(v)) {
      throw new EvalgateError(
        `scores[${i}] is ${describeValue(v)}; aggregations expect finite numbers only`,
      )
    }
    maxAbs = Math.max(maxAbs, Math.abs(v))
  }
  // Mean and variance run on scores divided by a power of two (exact, so the results are the
  // same bits as unscaled ones), with |score| < 2: no sum or square can overflow.
  const scale = maxAbs === 0 ? 1 : powerOfTwoBelow(maxAbs)
  // First pass: a provisional mean.
  let sum = 0
  for (let i = 0; i < n; i++) sum += scores[i]! / scale
  const provisional = sum / n
  // Second pass (corrected two-pass algorithm): the sum of deviations corrects the mean's
  // rounding error and the variance's, instead of the cancellation-prone E[x²] − E[x]².
  let sumDev = 0
  let sumSq = 0
  for (let i = 0; i < n; i++) {
    const d = scores[i]! / scale - provisional
    sumDev += d
    sumSq += d * d
  }

  // A typed array sorts numerically without a comparator callback; one copy for all percentiles.
  const sorted = Float64Array.from(scores).sort()
  const min = sorted[0]!
  const max = sorted[n - 1]!
  // The true mean lies in [min, max]; clamping removes a last-ulp drift outside it (and a
  // rescaled mean that rounds past the largest double).
  const mean = Math.min(max, Math.max(min, (provisional + sumDev / n) * scale))
  const scaledVariance = min === max ? 0 : Math.max(0, (sumSq - (sumDev * sumDev) / n) / n)
  const variance = scaledVariance * scale * scale
  // A population stdev never exceeds half the range (Popoviciu); the clamp keeps rounding there.
  const stdev = Math.min(Math.sqrt(scaledVariance) * scale, max / 2 - min / 2)
  const p50 = interpolate(sorted, 50)

  summary['mean'] = mean
  summary['min'] = min
  summary['max'] = max
  summary['median'] = p50
  if (Number.isFinite(variance)) {
    summary['variance'] = variance
  } else {
    summary['variance'] = null
    failed['variance'] =
      `variance overflows: about ${describeHuge(scaledVariance, scale, 2)}, beyond the largest finite number (${describeHuge(Number.MAX_VALUE, 1, 1)}); stdev is kept`
  }
  summary['stdev'] = stdev
  summary['p50'] = p50
  summary['p90'] = interpolate(sorted, 90)
  summary['p95'] = interpolate(sorted, 95)
  summary['p99'] = interpolate(sorted, 99)
  // No pass rule means no pass rate: never invent one.
  summary['passRate'] = obs.withRule === 0 ? null : obs.passes / obs.withRule
  custom?.forEach((fn, i) => {
    const name = names[i]!
    const result = runCustom(fn, name, scores)
    if (typeof result === 'number') {
      summary[name] = result
    } else {
      summary[name] = null
      failed[name] = result.error
    }
  })
  if (Object.keys(failed).length > 0) summary.aggregationErrors = failed
  return summary
}
