import { formatMetricValue, formatNumber, MISSING } from '../base/format.js'
import { BUILTIN_AGGREGATIONS } from '../core/aggregate.js'
import { gateReason, gateTarget, levelPercent } from '../core/gate-text.js'
import type { EvalReport } from '../core/report.js'

export { formatMetricValue, formatNumber, MISSING } from '../base/format.js'

/**
 * The aggregations the tables always show, in order, after `count` and `errors`; see
 * {@link metricColumns} for the ones added when an eval needs them.
 *
 * @example
 * ```ts
 * const header = ['metric', 'count', 'errors', ...SHOWN_AGGREGATIONS]
 * ```
 */
export const SHOWN_AGGREGATIONS = ['mean', 'p50', 'p90', 'min', 'max', 'passRate'] as const

/**
 * The metric a gate key `<metric>/<aggregation>` reads (metric names may contain '/').
 *
 * @example
 * ```ts
 * gateMetric('latency_ms/p90') // 'latency_ms'
 * ```
 */
export function gateMetric(key: string): string {
  const slash = key.lastIndexOf('/')
  return slash === -1 ? key : key.slice(0, slash)
}

/**
 * The aggregation a gate key `<metric>/<aggregation>` reads.
 *
 * @example
 * ```ts
 * gateAggregation('latency_ms/p90') // 'p90'
 * ```
 */
export function gateAggregation(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1)
}

/** Keys of a metric that are counts or statistics, not aggregations a table column shows. */
const NOT_AGGREGATIONS: ReadonlySet<string> = new Set([
  'unscored',
  'skipped',
  'aggregationErrors',
  'stderr',
  'ci',
  'flaky',
])
const BUILTIN: ReadonlySet<string> = new Set(BUILTIN_AGGREGATIONS)
/** Columns whose values are counts or rates, never in a metric's unit (latency in ms). */
const UNITLESS: ReadonlySet<string> = new Set(['count', 'errors', 'skipped', 'passRate', 'flaky'])
/** `pass@3`, `pass^5`: shown as columns only when a gate reads them (there are 2 per trial). */
const PASS_AT_K = /^pass[@^][1-9]\d*$/

/**
 * The column of a metric's confidence interval (`[low, high]`), headed by its level
 * (`95% CI`, see {@link columnHeader}).
 *
 * @example
 * ```ts
 * metricColumns(evalReport).includes(CI_COLUMN) // true when some metric has an interval
 * ```
 */
export const CI_COLUMN = 'ci'
/** The column of a metric's flaky rows (trials that disagree), shown with several trials. */
export const FLAKY_COLUMN = 'flaky'

type MetricReport = EvalReport['metrics'][string]

/**
 * The columns of an eval's metric table: `count`, `errors`, `skipped` when some metric has
 * skipped rows (abstentions), the {@link SHOWN_AGGREGATIONS} with the mean's confidence
 * interval ({@link CI_COLUMN}) after `mean` when some metric has one, `flaky` when the eval
 * ran several trials, then every other aggregation a gate reads or that failed (builtin order,
 * then `pass@k` / `pass^k`), then every custom aggregation (first seen first).
 *
 * @example
 * ```ts
 * metricColumns(evalReport)
 * // ['count', 'errors', 'mean', 'ci', 'p50', 'p90', 'min', 'max', 'passRate', 'p99', 'trimmed_mean']
 * ```
 */
export function metricColumns(e: EvalReport): string[] {
  const metrics = Object.values(e.metrics)
  const columns: string[] = ['count', 'errors']
  if (metrics.some((m) => m.skipped > 0)) columns.push('skipped')
  for (const agg of SHOWN_AGGREGATIONS) {
    columns.push(agg)
    if (agg === 'mean' && metrics.some((m) => m.ci !== undefined && m.ci !== null)) {
      columns.push(CI_COLUMN)
    }
  }
  if (e.trials > 1) columns.push(FLAKY_COLUMN)
  const wanted = new Set<string>()
  const gated = new Set(e.thresholds.map((g) => gateAggregation(g.key)))
  for (const agg of gated) wanted.add(agg)
  for (const m of metrics) {
    for (const agg of Object.keys(m.aggregationErrors ?? {})) wanted.add(agg)
  }
  const custom: string[] = []
  // Agreement figures (kappa, accuracy, corrected) get a column only when gated:
  // agreementLines shows them all.
  for (const m of metrics) {
    for (const [key, value] of Object.entries(m)) {
      if (BUILTIN.has(key) || NOT_AGGREGATIONS.has(key) || PASS_AT_K.test(key)) continue
      if (AGREEMENT_FIGURES.has(key) && !gated.has(key)) continue
      if (typeof value === 'number' || value === null) custom.push(key)
    }
  }
  const shown = new Set(columns)
  for (const agg of BUILTIN_AGGREGATIONS) {
    if (wanted.has(agg) && !shown.has(agg)) {
      columns.push(agg)
      shown.add(agg)
    }
  }
  for (const agg of [...wanted, ...custom]) {
    if (shown.has(agg) || NOT_AGGREGATIONS.has(agg)) continue
    columns.push(agg)
    shown.add(agg)
  }
  return columns
}

/**
 * The header of a metric table's column: the aggregation's name, or the interval's level for
 * {@link CI_COLUMN} (`95% CI`; the eval's level, read from its metrics).
 *
 * @example
 * ```ts
 * columnHeader(evalReport, 'ci') // '95% CI'
 * columnHeader(evalReport, 'p90') // 'p90'
 * ```
 */
export function columnHeader(e: EvalReport, column: string): string {
  if (column !== CI_COLUMN) return column
  for (const m of Object.values(e.metrics)) {
    if (m.ci !== undefined && m.ci !== null) return `${levelPercent(m.ci.level)} CI`
  }
  return 'CI'
}

/**
 * One cell of a metric table: counts and rates as numbers, values in the metric's unit (whole
 * milliseconds for `latency_ms`), the confidence interval of the mean as `[low, high]`, the
 * flaky rows of a metric with a pass rule; {@link MISSING} when the aggregation has no value or
 * failed (or the metric has no interval, or no pass rule to be flaky on).
 *
 * @example
 * ```ts
 * metricCell('latency_ms', evalReport.metrics.latency_ms, 'p90') // '2101'
 * metricCell('exact_match', evalReport.metrics.exact_match, 'ci') // '[0.301, 0.954]'
 * ```
 */
export function metricCell(name: string, metric: MetricReport, column: string): string {
  if (column === CI_COLUMN) {
    const ci = metric.ci
    if (ci === undefined || ci === null) return MISSING
    return `[${formatMetricValue(name, ci.low)}, ${formatMetricValue(name, ci.high)}]`
  }
  if (column === FLAKY_COLUMN) {
    // A metric without a pass rule (latency, a number without a threshold) cannot be flaky.
    if (typeof metric.passRate !== 'number' || typeof metric.flaky !== 'number') return MISSING
    return formatNumber(metric.flaky)
  }
  if (metric.aggregationErrors?.[column] !== undefined) return MISSING
  const value = metric[column]
  if (typeof value !== 'number') return MISSING
  return UNITLESS.has(column) || PASS_AT_K.test(column)
    ? formatNumber(value)
    : formatMetricValue(name, value)
}

/**
 * The aggregations that have no value because computing them failed, as `metric/aggregation`
 * and the reason core recorded.
 *
 * @example
 * ```ts
 * aggregationErrors(evalReport) // [{ key: 'score/trimmed_mean', reason: 'returned NaN' }]
 * ```
 */
export function aggregationErrors(e: EvalReport): Array<{ key: string; reason: string }> {
  const out: Array<{ key: string; reason: string }> = []
  for (const [name, m] of Object.entries(e.metrics)) {
    for (const [agg, reason] of Object.entries(m.aggregationErrors ?? {})) {
      out.push({ key: `${name}/${agg}`, reason })
    }
  }
  return out
}

type GateReport = EvalReport['thresholds'][number]

/**
 * A gate's target: `>= 0.9`, `<= 2000`, or `0.8..0.9` for both bounds; with `confidence`, its
 * level (`>= 0.7 (95%)`, `>= 0.7 (95%, plausible)`).
 *
 * @example
 * ```ts
 * formatTarget({ key: 'latency_ms/p90', max: 2000, actual: 1500, passed: true }) // '<= 2000'
 * ```
 */
export function formatTarget(gate: GateReport): string {
  return gateTarget(gate)
}

/**
 * Why a gate passed or failed: core's reason, and for a passing gate with `confidence` the
 * bound compared as well (`lower bound 0.74 >= min 0.7 (95% CI [0.74, 0.86] (t, n = 50 in 10
 * rows))`); `undefined` for a passing gate without one.
 *
 * @example
 * ```ts
 * formatReason({ key: 'x/mean', min: 0.9, actual: 0.5, passed: false, reason: '0.5 < min 0.9' })
 * // '0.5 < min 0.9'
 * ```
 */
export function formatReason(gate: GateReport): string | undefined {
  return gateReason(gate)
}

/**
 * The gate's actual value, formatted like the metric it reads.
 *
 * @example
 * ```ts
 * formatActual({ key: 'latency_ms/p90', max: 2000, actual: 1500.4, passed: true }) // '1500'
 * ```
 */
export function formatActual(gate: GateReport): string {
  const agg = gateAggregation(gate.key)
  return UNITLESS.has(agg) || PASS_AT_K.test(agg)
    ? formatNumber(gate.actual)
    : formatMetricValue(gateMetric(gate.key), gate.actual)
}

/**
 * A gate's result: `PASS`, `FAIL`, or `N/A` when it was not evaluated (a partial run).
 *
 * @example
 * ```ts
 * gateResult({ key: 'm/mean', min: 1, actual: null, passed: null }) // 'N/A'
 * ```
 */
export function gateResult(gate: GateReport): 'PASS' | 'FAIL' | 'N/A' {
  return gate.passed === null ? 'N/A' : gate.passed ? 'PASS' : 'FAIL'
}

/**
 * `PASS`, `FAIL`, `SKIP`, or `PARTIAL` (rows were left out, gates not evaluated).
 *
 * @example
 * ```ts
 * statusLabel('skipped') // 'SKIP'
 * ```
 */
export function statusLabel(status: EvalReport['status']): string {
  switch (status) {
    case 'passed':
      return 'PASS'
    case 'failed':
      return 'FAIL'
    case 'partial':
      return 'PARTIAL'
    default:
      return 'SKIP'
  }
}

/**
 * `8/10 rows, 1 errored`: dataset rows that ran (of the dataset), the trials of each when
 * there are several, and how many results errored.
 *
 * @example
 * ```ts
 * rowsLabel(evalReport) // '4 rows, 0 errored' when all 4 dataset rows ran
 * rowsLabel(partialEval) // '1/20 rows, 0 errored'
 * rowsLabel(trialsEval) // '4 rows × 5 trials, 1 errored'
 * ```
 */
export function rowsLabel(e: EvalReport): string {
  const ran = new Set(e.rows.map((r) => r.index)).size
  const count = ran === e.datasetRows ? `${ran}` : `${ran}/${e.datasetRows}`
  const trials = e.trials > 1 ? ` × ${e.trials} trials` : ''
  return `${count} row${e.datasetRows === 1 ? '' : 's'}${trials}, ${e.erroredRows} errored`
}

/**
 * The eval's failures that no gate line already shows (e.g. too many errored rows, or rows
 * failing a metric in unit-test mode). Display only: the failures themselves come from core.
 *
 * @example
 * ```ts
 * otherFailures(evalReport) // ['2 errored row(s), more than maxErrors (0)']
 * ```
 */
export function otherFailures(e: EvalReport): string[] {
  const gatePrefixes = e.thresholds.filter((g) => g.passed === false).map((g) => `${g.key}: `)
  return e.failures.filter((f) => !gatePrefixes.some((p) => f.startsWith(p)))
}

/**
 * Money as people read it: rounded to cents (`$0.28`), `<$0.01` for a cost below a cent (never
 * `$0.0`), `$0.00` for none.
 *
 * @example
 * ```ts
 * formatUsd(0.2880000000000003) // '$0.29'
 * formatUsd(0.0004) // '<$0.01'
 * ```
 */
export function formatUsd(usd: number): string {
  if (usd > 0 && usd < 0.01) return '<$0.01'
  return `$${(Math.round(usd * 100) / 100).toFixed(2)}`
}

/**
 * One line of LLM judge usage: requests, cache hits, tokens and cost. The cost is printed only
 * when every paid request had a known price (or nothing was billed: no tokens at all).
 *
 * @example
 * ```ts
 * usageLine(evalReport.usage)
 * // 'judges: 12 requests, 3 cache hits, 4100 in / 380 out tokens, $0.01'
 * ```
 */
/** The gate aggregations that read a metric's agreement with human labels. */
const AGREEMENT_FIGURES = new Set(['kappa', 'accuracy', 'corrected'])

/**
 * One line per judged metric with human labels: its agreement with them, as
 * `correctness: agreement with human labels: n 50, accuracy 0.7, κ 0.4, TPR 0.667, TNR 0.75,
 * corrected pass rate 0.52 [0.31, 0.73]`. A figure that has no value shows `–` (the corrected
 * rate with its reason). None when the eval has no agreement.
 *
 * @example
 * ```ts
 * for (const line of agreementLines(evalReport)) console.log(line)
 * ```
 */
export function agreementLines(e: EvalReport): string[] {
  const agreement = e.agreement
  if (agreement === undefined || agreement === null) return []
  return Object.entries(agreement).map(([metric, a]) => {
    const c = a.corrected
    const corrected =
      c.estimate === null
        ? `${MISSING} (${c.reason})`
        : `${formatNumber(c.estimate)} [${formatNumber(c.low)}, ${formatNumber(c.high)}]`
    return (
      `${metric}: agreement with human labels: n ${a.n}, accuracy ${formatNumber(a.accuracy)}, ` +
      `κ ${formatNumber(a.kappa)}, TPR ${formatNumber(a.tpr)}, TNR ${formatNumber(a.tnr)}, ` +
      `corrected pass rate ${corrected}`
    )
  })
}

export function usageLine(usage: EvalReport['usage']): string | undefined {
  if (usage.requests === 0 && usage.cacheHits === 0) return undefined
  const billed = usage.inputTokens + usage.outputTokens > 0
  // Requests that all failed used no tokens: nothing was billed, whatever the price.
  const cost =
    usage.requests === 0
      ? 'no cost (all cached)'
      : !billed
        ? `${formatUsd(0)} (no tokens used)`
        : usage.costUsd === null
          ? 'cost unknown (no price for a model used)'
          : formatUsd(usage.costUsd)
  return (
    `judges: ${usage.requests} request${usage.requests === 1 ? '' : 's'}, ` +
    `${usage.cacheHits} cache hit${usage.cacheHits === 1 ? '' : 's'}, ` +
    `${usage.inputTokens} in / ${usage.outputTokens} out tokens, ${cost}`
  )
}
