import { describeValue, EvalgateError } from '../base/errors.js'
import { formatMetricValue } from '../base/format.js'
import type { Interval } from '../stats/index.js'
import type { MetricSummary } from './aggregate.js'
import { parsePassAggregation, supportsConfidence } from './statistics.js'

/**
 * A threshold's target: a number `n` means `actual >= n`; `{ min?, max? }` are inclusive bounds.
 *
 * @example
 * ```ts
 * const atLeast: ThresholdValue = 0.9
 * const within: ThresholdValue = { min: 100, max: 2000 }
 * ```
 */
export type ThresholdValue =
  | number
  | {
      min?: number
      max?: number
      /**
       * Compare a bound of the aggregation's confidence interval at this level (e.g. 0.95), not
       * its point estimate: `mean`, `passRate`, `pass@k` and `pass^k` only.
       */
      confidence?: number
      /**
       * With `confidence`: `'proven'` (default) passes only when the interval proves the target
       * (its low end >= min, its high end <= max); `'plausible'` fails only when the whole
       * interval is on the wrong side (the data prove a failure).
       */
      require?: 'proven' | 'plausible'
    }

/**
 * An eval's `thresholds` option: `'<metric>/<aggregation>'` keys (as MLflow names metrics) to
 * targets.
 *
 * @example
 * ```ts
 * const thresholds: Thresholds = { 'exact_match/mean': 0.9, 'latency_ms/p90': { max: 2000 } }
 * ```
 */
export type Thresholds = Readonly<Record<string, ThresholdValue>>

/**
 * One parsed threshold: the metric and aggregation it reads and its inclusive bounds (at least
 * one of `min`/`max`).
 *
 * @example
 * ```ts
 * const gate: Gate = { key: 'latency_ms/p90', metric: 'latency_ms', aggregation: 'p90', max: 2000 }
 * ```
 */
export interface Gate {
  key: string
  metric: string
  aggregation: string
  min?: number
  max?: number
  confidence?: number
  require?: 'proven' | 'plausible'
}

/**
 * The outcome of one gate. `actual` is `null` when the aggregation has no value, and then
 * `passed` is `false` and `reason` says why; a failing bound also has a `reason`, with numbers
 * rendered as the report renders them. `passed` is `null` when the gate was not evaluated (a
 * partial run: rows were left out), and `reason` says so.
 *
 * @example
 * ```ts
 * const r: GateResult = { key: 'latency_ms/p90', max: 2000, actual: 2300, passed: false, reason: '2300 > max 2000' }
 * ```
 */
export interface GateResult {
  key: string
  min?: number
  max?: number
  /** The confidence level of a gate on an interval's bound. */
  confidence?: number
  /** `'plausible'` when the gate fails only on proof of failure. */
  require?: 'plausible'
  actual: number | null
  /** The interval's end compared with the target (a gate with `confidence`); `null` without one. */
  bound?: number | null
  /** `null`: not evaluated (a partial run). */
  passed: boolean | null
  reason?: string
}

/**
 * What the values of a metric were, as far as gates care: `binary` when every scored value was a
 * boolean or a yes/no string (so its mean, min, max, median and percentiles lie in [0, 1], its
 * variance in [0, 0.25] and its stdev in [0, 0.5]); `numeric` otherwise.
 *
 * @example
 * ```ts
 * const kinds: Record<string, MetricKind> = { safety: 'binary', latency_ms: 'numeric' }
 * ```
 */
export type MetricKind = 'binary' | 'numeric'

/** A closed range an aggregation's value lies in; `hi` may be Infinity. */
interface Range {
  lo: number
  hi: number
}

const UNIT: Range = { lo: 0, hi: 1 }
const NON_NEGATIVE: Range = { lo: 0, hi: Number.POSITIVE_INFINITY }

/** Ranges known before any row runs, whatever the values. */
const KNOWN_RANGES: Readonly<Record<string, Range>> = {
  passRate: UNIT,
  accuracy: UNIT,
  corrected: UNIT,
  kappa: { lo: -1, hi: 1 },
  count: NON_NEGATIVE,
  errors: NON_NEGATIVE,
  variance: NON_NEGATIVE,
  stdev: NON_NEGATIVE,
}

/** Ranges of the value aggregations of a metric whose every value was 0 or 1. */
const BINARY_RANGES: Readonly<Record<string, Range>> = {
  mean: UNIT,
  min: UNIT,
  max: UNIT,
  median: UNIT,
  p50: UNIT,
  p90: UNIT,
  p95: UNIT,
  p99: UNIT,
  variance: { lo: 0, hi: 0.25 },
  stdev: { lo: 0, hi: 0.5 },
}

function showRange(r: Range): string {
  return r.hi === Number.POSITIVE_INFINITY ? `[${r.lo}, ∞)` : `[${r.lo}, ${r.hi}]`
}

/**
 * Why each bound of `bounds` lies outside `range` (a gate that could never fail, or never pass),
 * or an empty list. `what` names the aggregation, e.g. `passRate` or `mean of a yes/no metric`.
 */
function outOfRange(bounds: { min?: number; max?: number }, range: Range, what: string): string[] {
  const problems: string[] = []
  for (const side of ['min', 'max'] as const) {
    const bound = bounds[side]
    if (bound === undefined || (bound >= range.lo && bound <= range.hi)) continue
    // min below the range, or max above it, holds for every value: the gate could never fail.
    const vacuous = side === 'min' ? bound < range.lo : bound > range.hi
    problems.push(
      `bound ${side} ${bound} is outside the range ${showRange(range)} that ${what} can take; this gate could never ${vacuous ? 'fail' : 'pass'}`,
    )
  }
  return problems
}

const ACCEPTED = 'a number or { min?, max?, confidence?, require? }'
const VALUE_KEYS = new Set(['min', 'max', 'confidence', 'require'])

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** The bounds of a threshold value, or a problem (without the key) when it is not valid. */
type Bounds = Pick<Gate, 'min' | 'max' | 'confidence' | 'require'>

function parseValue(value: unknown): Bounds | string {
  const received = `received ${describeValue(value)}`
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { min: value }
      : `expected ${ACCEPTED} with finite numbers; ${received}`
  }
  if (!isPlainObject(value)) return `expected ${ACCEPTED}; ${received}`
  const unknownKeys = Object.keys(value).filter((k) => !VALUE_KEYS.has(k))
  if (unknownKeys.length > 0) {
    const list = unknownKeys.map((k) => JSON.stringify(k)).join(', ')
    return `expected ${ACCEPTED}; ${received} (unknown key${unknownKeys.length > 1 ? 's' : ''} ${list})`
  }
  const bounds: Bounds = {}
  for (const side of ['min', 'max'] as const) {
    const bound = value[side]
    // An explicit `undefined` reads as an absent bound, as `{ min: opts.min }` naturally gives.
    if (bound === undefined) continue
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      return `expected ${ACCEPTED} with finite numbers; ${received} (${side} is ${describeValue(bound)})`
    }
    bounds[side] = bound
  }
  if (bounds.min === undefined && bounds.max === undefined) {
    return `expected ${ACCEPTED} with at least one of min, max; ${received}`
  }
  if (bounds.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max) {
    return `expected ${ACCEPTED} with min <= max; ${received} (min ${bounds.min} > max ${bounds.max})`
  }
  const { confidence, require } = value
  if (confidence !== undefined) {
    if (!(typeof confidence === 'number' && confidence > 0 && confidence < 1)) {
      return `expected "confidence" to be a level strictly between 0 and 1 (e.g. 0.95); ${received}`
    }
    bounds.confidence = confidence
  }
  if (require !== undefined) {
    if (require !== 'proven' && require !== 'plausible') {
      return `expected "require" to be 'proven' or 'plausible'; ${received}`
    }
    if (confidence === undefined) {
      return `"require" needs "confidence" (the level of the interval it reads); ${received}`
    }
    bounds.require = require
  }
  return bounds
}

/** What is wrong with a key (format, metric, aggregation), or undefined when it names a value. */
function checkKey(
  key: string,
  metric: string,
  aggregation: string,
  available: ReadonlyMap<string, readonly string[]>,
  unknownMetricHint: ((metric: string) => string | undefined) | undefined,
): string | undefined {
  if (metric === '' || aggregation === '') {
    return `expected a key of the form '<metric>/<aggregation>' (e.g. 'exact_match/mean'); received ${describeValue(key)}`
  }
  const aggregations = available.get(metric)
  if (aggregations === undefined) {
    const metrics = [...available.keys()].sort()
    const near = nearest(metric, metrics)
    // A near miss is a typo: naming the metric it meant beats explaining how to declare a new one.
    const hint = near === undefined ? unknownMetricHint?.(metric) : undefined
    const typo = near === undefined ? '' : ` (did you mean "${near}"?)`
    return `no metric "${metric}"${typo}; metrics: ${metrics.length > 0 ? metrics.join(', ') : '(none)'}${hint === undefined ? '' : `. ${hint}`}`
  }
  if (!aggregations.includes(aggregation)) {
    const near = nearest(aggregation, aggregations)
    return `metric "${metric}" has no aggregation "${aggregation}"${near === undefined ? '' : ` (did you mean "${near}"?)`}; aggregations: ${aggregations.join(', ')}`
  }
  return undefined
}

/** The candidate within a small edit distance of `name` (a typo of it), if exactly one is nearest. */
function nearest(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 4))
  let best: string | undefined
  let bestDistance = limit + 1
  let tie = false
  for (const c of candidates) {
    const d = editDistance(name, c, limit)
    if (d < bestDistance) {
      best = c
      bestDistance = d
      tie = false
    } else if (d === bestDistance) {
      tie = true
    }
  }
  return bestDistance <= limit && !tie ? best : undefined
}

/** Levenshtein distance (insert, delete, substitute, and swap of neighbours), capped above `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let prev2: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2]! + 1)
      }
      row.push(d)
    }
    prev2 = prev
    prev = row
  }
  return prev[b.length]!
}

/**
 * Parses and validates an eval's `thresholds` against the metrics that exist. `available` maps
 * each metric name to the aggregation names that exist for it (builtins plus its custom ones).
 * A key is split on its last `/`, so metric names may contain `/`. Every bad key (bad form,
 * unknown metric or aggregation, bad value, a bound outside the range the aggregation can take
 * whatever the values: `passRate` in [0, 1]; `count`, `errors`, `variance`, `stdev` >= 0) is
 * reported in one `EvalgateError`, one line per key. `unknownMetricHint` may add a sentence to
 * the problem of a key whose metric does not exist (e.g. how to declare it). Gates keep the
 * keys' order.
 *
 * @example
 * ```ts
 * const available = new Map([['latency_ms', ['mean', 'p90', 'errors']]])
 * parseThresholds({ 'latency_ms/p90': { max: 2000 } }, available)
 * // [{ key: 'latency_ms/p90', metric: 'latency_ms', aggregation: 'p90', max: 2000 }]
 * parseThresholds({ 'latency/p90': 2000 }, available)
 * // throws: evalgate: threshold "latency/p90": no metric "latency"; metrics: latency_ms
 * parseThresholds({ 'latency_ms/errors': { min: -1 } }, available)
 * // throws: ... bound min -1 is outside the range [0, ∞) that errors can take; this gate could never fail
 * ```
 */
export function parseThresholds(
  thresholds: Thresholds | undefined,
  available: ReadonlyMap<string, readonly string[]>,
  unknownMetricHint?: (metric: string) => string | undefined,
): Gate[] {
  if (thresholds === undefined) return []
  if (!isPlainObject(thresholds)) {
    throw new EvalgateError(
      `thresholds: expected an object mapping '<metric>/<aggregation>' to ${ACCEPTED}; received ${describeValue(thresholds)}`,
    )
  }
  const gates: Gate[] = []
  const problems: string[] = []
  for (const [key, value] of Object.entries(thresholds)) {
    const slash = key.lastIndexOf('/')
    const metric = slash === -1 ? '' : key.slice(0, slash)
    const aggregation = slash === -1 ? '' : key.slice(slash + 1)
    const keyProblem = checkKey(key, metric, aggregation, available, unknownMetricHint)
    const bounds = parseValue(value)
    const range = Object.hasOwn(KNOWN_RANGES, aggregation)
      ? KNOWN_RANGES[aggregation]
      : parsePassAggregation(aggregation) !== undefined
        ? UNIT
        : undefined
    const valueProblem =
      typeof bounds === 'string'
        ? bounds
        : bounds.confidence !== undefined && !supportsConfidence(aggregation)
          ? `"confidence" reads a confidence interval, which mean, passRate, pass@k and pass^k have and ${aggregation} has not`
          : range === undefined
            ? undefined
            : outOfRange(bounds, range, aggregation).join('; ') || undefined
    if (keyProblem !== undefined || valueProblem !== undefined) {
      const both = [keyProblem, valueProblem].filter((p) => p !== undefined).join('; ')
      problems.push(`threshold ${JSON.stringify(key)}: ${both}`)
    } else if (typeof bounds !== 'string') {
      gates.push({ key, metric, aggregation, ...bounds })
    }
  }
  if (problems.length === 1) throw new EvalgateError(problems[0]!)
  if (problems.length > 1) {
    throw new EvalgateError(
      `${problems.length} invalid thresholds:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    )
  }
  return gates
}

function withBounds(
  gate: Gate,
  rest: Omit<GateResult, 'key' | 'min' | 'max' | 'confidence' | 'require'>,
): GateResult {
  const result: GateResult = { key: gate.key, actual: rest.actual, passed: rest.passed }
  if (gate.min !== undefined) result.min = gate.min
  if (gate.max !== undefined) result.max = gate.max
  if (gate.confidence !== undefined) {
    result.confidence = gate.confidence
    if (gate.require === 'plausible') result.require = 'plausible'
    result.bound = rest.bound ?? null
  }
  if (rest.reason !== undefined) result.reason = rest.reason
  return result
}

/** `95% CI [0.71, 0.89] (t, n = 150 in 50 rows)`: the interval a reason speaks of. */
function describeInterval(metric: string, i: Interval): string {
  const rows = i.clusters === i.n ? '' : ` in ${i.clusters} rows`
  return `${Math.round(i.level * 1000) / 10}% CI [${formatMetricValue(metric, i.low)}, ${formatMetricValue(metric, i.high)}] (${i.method}, n = ${i.n}${rows})`
}

/**
 * A gate with `confidence`: compares the interval's low end with `min` and its high end with
 * `max` (proven), or, with `require: 'plausible'`, fails only when the whole interval is on the
 * wrong side. Without an interval (fewer than 2 rows) it fails: nothing is proven.
 */
function confidenceGate(
  gate: Gate,
  actual: number,
  interval: Interval | null | undefined,
): GateResult {
  if (interval === null || interval === undefined) {
    return withBounds(gate, {
      actual,
      bound: null,
      passed: false,
      reason: `no ${Math.round((gate.confidence ?? 0) * 1000) / 10}% confidence interval for ${gate.aggregation}: it needs at least 2 rows`,
    })
  }
  const plausible = gate.require === 'plausible'
  const ci = describeInterval(gate.metric, interval)
  if (gate.min !== undefined) {
    const bound = plausible ? interval.high : interval.low
    if (bound < gate.min) {
      const end = plausible ? 'upper' : 'lower'
      return withBounds(gate, {
        actual,
        bound,
        passed: false,
        reason: `${end} bound ${compared(gate.metric, bound, '<', 'min', gate.min)} (${ci})`,
      })
    }
  }
  if (gate.max !== undefined) {
    const bound = plausible ? interval.low : interval.high
    if (bound > gate.max) {
      const end = plausible ? 'lower' : 'upper'
      return withBounds(gate, {
        actual,
        bound,
        passed: false,
        reason: `${end} bound ${compared(gate.metric, bound, '>', 'max', gate.max)} (${ci})`,
      })
    }
  }
  const bound =
    gate.min !== undefined
      ? plausible
        ? interval.high
        : interval.low
      : plausible
        ? interval.low
        : interval.high
  return withBounds(gate, { actual, bound, passed: true, reason: ci })
}

function noValueReason(gate: Gate, summary: MetricSummary): string {
  const failed = summary.aggregationErrors
  if (failed !== undefined && Object.hasOwn(failed, gate.aggregation)) {
    return failed[gate.aggregation]!
  }
  if (
    gate.aggregation === 'kappa' ||
    gate.aggregation === 'accuracy' ||
    gate.aggregation === 'corrected'
  ) {
    return `${gate.aggregation} has no value: no judged row of "${gate.metric}" carries a yes/no human label (expectations.human.${gate.metric}, or the path the "agreement" option names)${gate.aggregation === 'kappa' ? ', or both sides gave one verdict throughout' : ''}`
  }
  if (gate.aggregation === 'passRate') {
    return `passRate has no value: no scored value of "${gate.metric}" has a pass rule (numeric values need a scorer threshold)`
  }
  if (!Object.hasOwn(summary, gate.aggregation)) {
    return `no aggregation "${gate.aggregation}" was computed for "${gate.metric}"`
  }
  return `${gate.aggregation} has no value`
}

/** A number as precise as `String` gives, trimmed to 12 significant digits when that is enough. */
function precise(value: number): string {
  return String(Number(value.toPrecision(12)))
}

/**
 * `actual < min bound` (or `>`), rendered as the report renders numbers; when the two short
 * forms read equal (0.8999999 vs 0.9), more digits, so a reason never contradicts itself.
 */
function compared(metric: string, actual: number, op: '<' | '>', side: string, bound: number) {
  let a = formatMetricValue(metric, actual)
  let b = formatMetricValue(metric, bound)
  if (a === b) {
    a = precise(actual)
    b = precise(bound)
  }
  if (a === b) {
    a = String(actual)
    b = String(bound)
  }
  return `${a} ${op} ${side} ${b}`
}

/**
 * Evaluates gates against per-metric summaries, in gate order. Bounds are inclusive. A gate never
 * passes vacuously: a metric with no scored values fails with reason `'no scored values'`; an
 * aggregation without a value fails with a reason saying why (e.g. `passRate` when no value had a
 * pass rule, or the recorded reason when computing it failed); and, for a metric whose `kinds`
 * entry is `'binary'` (every scored value was boolean or yes/no), a bound outside the range the
 * aggregation can then take fails with a reason naming that range. Numbers in reasons are
 * rendered as the report renders them (`formatMetricValue`), never a raw float.
 *
 * @example
 * ```ts
 * const gates = parseThresholds({ 'latency_ms/p90': { max: 2000 } }, new Map([['latency_ms', ['p90']]]))
 * evaluateGates(gates, { latency_ms: aggregateMetric(obs) })
 * // [{ key: 'latency_ms/p90', max: 2000, actual: 2300, passed: false, reason: '2300 > max 2000' }]
 * evaluateGates(parseThresholds({ 'safety/mean': { max: 5 } }, available), metrics, { safety: 'binary' })
 * // [{ ..., passed: false, reason: 'bound max 5 is outside the range [0, 1] that mean of a yes/no metric can take; this gate could never fail' }]
 * ```
 */
export function evaluateGates(
  gates: readonly Gate[],
  metrics: Readonly<Record<string, MetricSummary>>,
  kinds?: Readonly<Record<string, MetricKind>>,
  intervals?: ReadonlyMap<string, Interval | null>,
): GateResult[] {
  return gates.map((gate) => {
    // hasOwn: a metric named like an Object.prototype member must not find the prototype's.
    const summary = Object.hasOwn(metrics, gate.metric) ? metrics[gate.metric] : undefined
    if (summary === undefined || summary.count === 0) {
      return withBounds(gate, { actual: null, passed: false, reason: 'no scored values' })
    }
    const value = Object.hasOwn(summary, gate.aggregation) ? summary[gate.aggregation] : undefined
    if (value === undefined || value === null) {
      return withBounds(gate, { actual: null, passed: false, reason: noValueReason(gate, summary) })
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      // Defensive: a NaN must never pass a gate (every comparison with it is false).
      return withBounds(gate, {
        actual: null,
        passed: false,
        reason: `${gate.aggregation} is ${describeValue(value)}, not a finite number`,
      })
    }
    const binary =
      kinds !== undefined && Object.hasOwn(kinds, gate.metric) && kinds[gate.metric] === 'binary'
    const range =
      binary && Object.hasOwn(BINARY_RANGES, gate.aggregation)
        ? BINARY_RANGES[gate.aggregation]
        : undefined
    if (range !== undefined) {
      const problems = outOfRange(gate, range, `${gate.aggregation} of a yes/no metric`)
      if (problems.length > 0) {
        return withBounds(gate, { actual: value, passed: false, reason: problems.join('; ') })
      }
    }
    if (gate.confidence !== undefined) return confidenceGate(gate, value, intervals?.get(gate.key))
    if (gate.min !== undefined && value < gate.min) {
      return withBounds(gate, {
        actual: value,
        passed: false,
        reason: compared(gate.metric, value, '<', 'min', gate.min),
      })
    }
    if (gate.max !== undefined && value > gate.max) {
      return withBounds(gate, {
        actual: value,
        passed: false,
        reason: compared(gate.metric, value, '>', 'max', gate.max),
      })
    }
    return withBounds(gate, { actual: value, passed: true })
  })
}
