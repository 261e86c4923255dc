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
 * const obs: MetricObservations = { scores: [1, 0, 1], passes: 2, withRule: 3, errors: 1, unscored: 0 }
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
}

/**
 * Every builtin aggregation (`count`, `errors`, `unscored` always numbers; the rest `null` when
 * `count` is 0) plus custom ones by name.
 *
 * @example
 * ```ts
 * const s: MetricSummary = aggregateMetric({ scores: [1, 2], passes: 0, withRule: 0, errors: 0, unscored: 0 })
 * s.mean // 1.5
 * s.passRate // null: no value had a pass rule
 * ```
 */
export type MetricSummary = { count: number; errors: number; unscored: number } & Record<
  string,
  number | null
>

const BUILTIN_SET: ReadonlySet<string> = new Set(BUILTIN_AGGREGATIONS)
/** Names a custom aggregation may not take: they are already keys of every MetricSummary. */
const RESERVED_SET: ReadonlySet<string> = new Set([...BUILTIN_AGGREGATIONS, 'unscored'])

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

/** numpy's `_lerp`: exact at both ends and never outside [a, b], so percentiles stay monotone. */
function lerp(a: number, b: number, t: number): number {
  if (a === b) return a
  const diff = b - a
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

function runCustom(fn: CustomAggregation, name: string, scores: readonly number[]): number {
  let result: unknown
  try {
    result = fn(scores.slice())
  } catch (error) {
    const message = error instanceof Error ? error.message : describeValue(error)
    throw new EvalgateError(`custom aggregation "${name}" threw: ${message}`, { cause: error })
  }
  if (typeof result !== 'number' || !Number.isFinite(result)) {
    throw new EvalgateError(
      `custom aggregation "${name}" returned ${describeValue(result)}; expected a finite number`,
    )
  }
  return result
}

/**
 * Summarises one metric: `count`, `errors`, `unscored`, every builtin aggregation and each
 * custom aggregation under its function name. With no scored values every value aggregation
 * is `null` (custom ones are not called); `passRate` is `null` when no scored value had a pass
 * rule. Throws an `EvalgateError` when a custom aggregation throws or returns anything but a
 * finite number. O(n log n): one sorted copy serves every percentile.
 *
 * @example
 * ```ts
 * const s = aggregateMetric(
 *   { scores: [1, 2, 3, 4], passes: 3, withRule: 4, errors: 0, unscored: 0 },
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
  const summary: MetricSummary = { count: n, errors: obs.errors, unscored: obs.unscored }
  if (n === 0) {
    for (const name of BUILTIN_AGGREGATIONS)
      if (name !== 'count' && name !== 'errors') summary[name] = null
    for (const name of names) summary[name] = null
    return summary
  }

  // First pass: a provisional mean (and a guard: one non-finite score would poison everything).
  let sum = 0
  for (let i = 0; i < n; i++) {
    const v = scores[i]!
    if (!Number.isFinite(v)) {
      throw new EvalgateError(
        `scores[${i}] is ${describeValue(v)}; aggregations expect finite numbers only`,
      )
    }
    sum += v
  }
  const provisional = sum / n
  // Second pass (corrected two-pass algorithm): the sum of deviations corrects the mean's
  // rounding error and the variance's, instead of the cancellation-prone E[x²] − E[x]².
  let sumDev = 0
  let sumSq = 0
  for (let i = 0; i < n; i++) {
    const d = scores[i]! - provisional
    sumDev += d
    sumSq += d * d
  }

  // A typed array sorts numerically without a comparator callback; one copy for all percentiles.
  const sorted = Float64Array.from(scores).sort()
  const min = sorted[0]!
  const max = sorted[n - 1]!
  // The true mean lies in [min, max]; clamping removes a last-ulp drift outside it.
  const mean = Math.min(max, Math.max(min, provisional + sumDev / n))
  const variance = min === max ? 0 : Math.max(0, (sumSq - (sumDev * sumDev) / n) / n)
  const p50 = interpolate(sorted, 50)

  summary['mean'] = mean
  summary['min'] = min
  summary['max'] = max
  summary['median'] = p50
  summary['variance'] = variance
  summary['stdev'] = Math.sqrt(variance)
  summary['p50'] = p50
  summary['p90'] = interpolate(sorted, 90)
  summary['p95'] = interpolate(sorted, 95)
  summary['p99'] = interpolate(sorted, 99)
  // No pass rule means no pass rate: never invent one.
  summary['passRate'] = obs.withRule === 0 ? null : obs.passes / obs.withRule
  custom?.forEach((fn, i) => {
    const name = names[i]!
    summary[name] = runCustom(fn, name, scores)
  })
  return summary
}
