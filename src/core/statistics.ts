// What the statistics of src/stats/ mean for an eval: each metric's standard error and
// confidence interval, pass@k and pass^k over trials, flaky rows, and the interval a gate with
// `confidence` compares. The numerics are stats/'s; the choices (which interval for which
// metric, how rows are grouped) are made here, once, for every host.
import { describeValue, EvalgateError } from '../base/errors.js'
import {
  bootstrapCI,
  type Interval,
  meanCI,
  meanPassAtK,
  meanPassHatK,
  passAtK,
  passHatK,
  type RowTrials,
  wilsonCI,
} from '../stats/index.js'

/**
 * How an eval computes its confidence intervals: `t` (mean ± t·SE clustered by dataset row;
 * Wilson's interval for the pass rate of single-trial rows), or `bootstrap` (percentile
 * interval over `resamples` resamplings of whole rows, from a generator seeded with `seed`).
 *
 * @example
 * ```ts
 * const statistics: StatisticsOptions = { confidence: 0.9, method: 'bootstrap', resamples: 5000, seed: 7 }
 * ```
 */
export interface StatisticsOptions {
  /** The level of every metric's `ci`, strictly between 0 and 1. Default 0.95. */
  confidence?: number
  /** Default `'t'`. */
  method?: 't' | 'bootstrap'
  /** Bootstrap resamplings (100 and up). Default 2000. */
  resamples?: number
  /** Bootstrap seed (0 to 2³² − 1). Default 0. */
  seed?: number
}

/** {@link StatisticsOptions} with every default filled in. */
export interface Statistics {
  confidence: number
  method: 't' | 'bootstrap'
  resamples: number
  seed: number
}

const STATISTICS_KEYS = new Set(['confidence', 'method', 'resamples', 'seed'])

/**
 * Checks an eval's `statistics` option and fills in the defaults; a bad value is an
 * {@link EvalgateError} naming the field, what was expected and what was received.
 *
 * @example
 * ```ts
 * resolveStatistics(undefined) // { confidence: 0.95, method: 't', resamples: 2000, seed: 0 }
 * ```
 */
export function resolveStatistics(options: unknown): Statistics {
  const out: Statistics = { confidence: 0.95, method: 't', resamples: 2000, seed: 0 }
  if (options === undefined) return out
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new EvalgateError(
      `"statistics": expected { confidence?, method?, resamples?, seed? }, received ${describeValue(options)}`,
    )
  }
  const o = options as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!STATISTICS_KEYS.has(key)) {
      throw new EvalgateError(
        `"statistics": unknown option "${key}" (allowed: ${[...STATISTICS_KEYS].join(', ')})`,
      )
    }
  }
  if (o.confidence !== undefined)
    out.confidence = checkLevel('"statistics.confidence"', o.confidence)
  if (o.method !== undefined) {
    if (o.method !== 't' && o.method !== 'bootstrap') {
      throw new EvalgateError(
        `"statistics.method": expected 't' or 'bootstrap', received ${describeValue(o.method)}`,
      )
    }
    out.method = o.method
  }
  if (o.resamples !== undefined) {
    if (!(Number.isInteger(o.resamples) && (o.resamples as number) >= 100)) {
      throw new EvalgateError(
        `"statistics.resamples": expected a whole number from 100 up, received ${describeValue(o.resamples)}`,
      )
    }
    out.resamples = o.resamples as number
  }
  if (o.seed !== undefined) {
    if (
      !(Number.isInteger(o.seed) && (o.seed as number) >= 0 && (o.seed as number) <= 0xffffffff)
    ) {
      throw new EvalgateError(
        `"statistics.seed": expected a whole number from 0 to 4294967295, received ${describeValue(o.seed)}`,
      )
    }
    out.seed = o.seed as number
  }
  return out
}

/**
 * A confidence level: a number strictly between 0 and 1 (`0.95`), else an
 * {@link EvalgateError} naming `where`.
 *
 * @example
 * ```ts
 * checkLevel('"statistics.confidence"', 0.9) // 0.9
 * ```
 */
export function checkLevel(where: string, value: unknown): number {
  if (typeof value === 'number' && value > 0 && value < 1) return value
  throw new EvalgateError(
    `${where}: expected a confidence level strictly between 0 and 1 (e.g. 0.95), received ${describeValue(value)}`,
  )
}

/** A metric's confidence interval as the artifact holds it. */
export interface MetricCI {
  level: number
  method: 't' | 'wilson' | 'bootstrap'
  low: number
  high: number
}

/**
 * What one metric saw, grouped for statistics: each scored value's dataset row (parallel to
 * the scores), and per row how many of its trials had a pass verdict and how many passed.
 */
export interface MetricSample {
  scores: readonly number[]
  /** `rows[i]` is the dataset row of `scores[i]`. */
  rows: readonly number[]
  /** Per dataset row with a pass verdict: n trials judged, c passed. */
  verdicts: ReadonlyMap<number, RowTrials>
  /** Every scored value was a boolean or yes/no (so the mean is a pass rate in [0, 1]). */
  binary: boolean
  /** The values cannot be negative (latency), so neither can an interval's low end. */
  nonNegative?: boolean
}

/** The names of the pass@k and pass^k aggregations for k from 1 to `trials`. */
export function passAggregations(trials: number): string[] {
  const out: string[] = []
  for (let k = 1; k <= trials; k++) out.push(`pass@${k}`, `pass^${k}`)
  return out
}

/** `pass@3` → { kind: 'at', k: 3 }; `pass^5` → { kind: 'hat', k: 5 }; anything else undefined. */
export function parsePassAggregation(name: string): { kind: 'at' | 'hat'; k: number } | undefined {
  const m = /^pass([@^])([1-9]\d*)$/.exec(name)
  if (m === null) return undefined
  return { kind: m[1] === '@' ? 'at' : 'hat', k: Number(m[2]) }
}

/** The aggregations a gate with `confidence` can be given: those whose interval is known. */
export function supportsConfidence(aggregation: string): boolean {
  return (
    aggregation === 'mean' ||
    aggregation === 'passRate' ||
    parsePassAggregation(aggregation) !== undefined
  )
}

/** Rows judged at least k times, with their n and c. */
function rowsWithAtLeast(verdicts: ReadonlyMap<number, RowTrials>, k: number): RowTrials[] {
  const out: RowTrials[] = []
  for (const r of verdicts.values()) if (r.n >= k) out.push(r)
  return out
}

/**
 * pass@k or pass^k of a metric: the mean over rows (judged at least k times) of each row's
 * unbiased estimate; `null` when no row was judged k times.
 */
export function passValue(sample: MetricSample, kind: 'at' | 'hat', k: number): number | null {
  const rows = rowsWithAtLeast(sample.verdicts, k)
  if (rows.length === 0) return null
  return kind === 'at' ? meanPassAtK(rows, k) : meanPassHatK(rows, k)
}

/** Rows whose trials disagree on the metric: some passed, some failed. */
export function flakyCount(sample: MetricSample): number {
  let n = 0
  for (const r of sample.verdicts.values()) if (r.c > 0 && r.c < r.n) n++
  return n
}

/**
 * An interval kept within what the values can be: [0, 1] for a pass rate, from 0 up for a
 * metric that is never negative (latency). A symmetric t interval can reach past both.
 */
function clipped(
  interval: Interval | null,
  sample: Pick<MetricSample, 'binary'> & { nonNegative?: boolean },
): Interval | null {
  if (interval === null) return null
  const floor = sample.binary || sample.nonNegative === true ? 0 : Number.NEGATIVE_INFINITY
  const ceiling = sample.binary ? 1 : Number.POSITIVE_INFINITY
  return {
    ...interval,
    low: Math.max(floor, interval.low),
    high: Math.min(ceiling, interval.high),
  }
}

function clip(interval: Interval, sample: MetricSample): MetricCI {
  const c = clipped(interval, sample)!
  return { level: c.level, method: c.method, low: c.low, high: c.high }
}

/**
 * An interval only when every number of it is finite: scores near the largest double can
 * overflow a standard error, and an infinite or NaN bound is no interval (never written, never
 * compared).
 */
function finite<T extends Interval>(interval: T | null): T | null {
  if (interval === null) return null
  const { estimate, stderr, low, high } = interval
  return Number.isFinite(estimate) &&
    Number.isFinite(stderr) &&
    Number.isFinite(low) &&
    Number.isFinite(high)
    ? interval
    : null
}

/**
 * The interval of a metric's mean at `level`: Wilson's for a pass rate of single-trial rows
 * (method `t`), else the t interval with the SE clustered by row, or the row bootstrap.
 * `null` with fewer than 2 rows (no interval can be had).
 */
export function meanInterval(
  sample: MetricSample,
  statistics: Statistics,
  level = statistics.confidence,
): Interval | null {
  return finite(rawMeanInterval(sample, statistics, level))
}

/** How many distinct rows: a scan when they are in order (as a summary gives them), else a Set. */
function distinctCount(rows: readonly number[]): number {
  let n = rows.length === 0 ? 0 : 1
  for (let i = 1; i < rows.length; i++) {
    const d = rows[i]! - rows[i - 1]!
    if (d < 0) return new Set(rows).size
    if (d > 0) n++
  }
  return n
}

function rawMeanInterval(
  sample: MetricSample,
  statistics: Statistics,
  level: number,
): Interval | null {
  const { scores, rows } = sample
  if (scores.length === 0) return null
  if (statistics.method === 'bootstrap') {
    return bootstrapCI(scores, {
      clusters: rows,
      confidence: level,
      resamples: statistics.resamples,
      seed: statistics.seed,
    })
  }
  const clusters = distinctCount(rows)
  if (sample.binary) {
    let successes = 0
    for (const s of scores) successes += s
    if (clusters === rows.length) {
      if (scores.length < 2) return null
      return wilsonCI(successes, scores.length, level)
    }
    // Every trial of every row agreed (all pass or all fail): the clustered SE is 0 and a t
    // interval would be a point, claiming certainty. Wilson's interval over the rows (the
    // independent units) says how sure that many unanimous rows make us.
    if (successes === 0 || successes === scores.length) {
      if (clusters < 2) return null
      const w = wilsonCI(successes === 0 ? 0 : clusters, clusters, level)
      return { ...w, estimate: successes === 0 ? 0 : 1, n: scores.length }
    }
  }
  return meanCI(scores, { clusters: rows, confidence: level })
}

/** The interval of pass@k or pass^k: over the rows' own estimates (one value a row). */
function passInterval(
  sample: MetricSample,
  kind: 'at' | 'hat',
  k: number,
  statistics: Statistics,
  level: number,
): Interval | null {
  const rows = rowsWithAtLeast(sample.verdicts, k)
  if (rows.length < 2) return null
  const perRow = rows.map((r) => (kind === 'at' ? passAtK(r.n, r.c, k) : passHatK(r.n, r.c, k)))
  if (statistics.method === 'bootstrap') {
    return bootstrapCI(perRow, {
      confidence: level,
      resamples: statistics.resamples,
      seed: statistics.seed,
    })
  }
  return meanCI(perRow, { confidence: level })
}

/** The pass rate per row trial, as scores: 1 passed, 0 failed, one per judged trial. */
function passSample(sample: MetricSample): MetricSample {
  const scores: number[] = []
  const rows: number[] = []
  for (const [row, r] of sample.verdicts) {
    for (let i = 0; i < r.n; i++) {
      scores.push(i < r.c ? 1 : 0)
      rows.push(row)
    }
  }
  return { scores, rows, verdicts: sample.verdicts, binary: true }
}

/**
 * The interval a gate with `confidence` compares: of the mean, the pass rate, pass@k or pass^k
 * at the gate's own level; `null` when there are too few rows for one.
 */
export function aggregationInterval(
  sample: MetricSample,
  aggregation: string,
  statistics: Statistics,
  level: number,
): Interval | null {
  if (aggregation === 'mean') return clipped(meanInterval(sample, statistics, level), sample)
  if (aggregation === 'passRate') {
    return clipped(meanInterval(passSample(sample), statistics, level), { binary: true })
  }
  const pass = parsePassAggregation(aggregation)
  if (pass !== undefined) {
    return clipped(finite(passInterval(sample, pass.kind, pass.k, statistics, level)), {
      binary: true,
    })
  }
  return null
}

/**
 * The statistics a metric's summary carries: `stderr` and `ci` of its mean (clipped to [0, 1]
 * for a pass rate), `flaky` (rows whose trials disagree), and pass@k / pass^k for every k up to
 * `trials` when there are several trials and the metric has a pass rule.
 */
export function metricStatistics(
  sample: MetricSample,
  statistics: Statistics,
  trials: number,
): {
  stderr: number | null
  ci: MetricCI | null
  flaky: number
  pass: Record<string, number | null>
} {
  const interval = meanInterval(sample, statistics)
  const pass: Record<string, number | null> = {}
  if (trials > 1 && sample.verdicts.size > 0) {
    for (let k = 1; k <= trials; k++) {
      pass[`pass@${k}`] = passValue(sample, 'at', k)
      pass[`pass^${k}`] = passValue(sample, 'hat', k)
    }
  }
  return {
    stderr: interval === null ? null : interval.stderr,
    ci: interval === null ? null : clip(interval, sample),
    flaky: flakyCount(sample),
    pass,
  }
}
