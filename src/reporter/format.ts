import { formatMetricValue, formatNumber, MISSING } from '../base/format.js'
import type { EvalReport } from '../core/report.js'

export { formatMetricValue, formatNumber, MISSING } from '../base/format.js'

/**
 * The aggregations the tables show, in order, after `count` and `errors`.
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

type GateReport = EvalReport['thresholds'][number]

/**
 * A gate's target: `>= 0.9`, `<= 2000`, or `0.8..0.9` for both bounds.
 *
 * @example
 * ```ts
 * formatTarget({ key: 'latency_ms/p90', max: 2000, actual: 1500, passed: true }) // '<= 2000'
 * ```
 */
export function formatTarget(gate: GateReport): string {
  const { min, max } = gate
  if (min !== undefined && max !== undefined) return `${formatNumber(min)}..${formatNumber(max)}`
  if (min !== undefined) return `>= ${formatNumber(min)}`
  if (max !== undefined) return `<= ${formatNumber(max)}`
  return MISSING
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
  return formatMetricValue(gateMetric(gate.key), gate.actual)
}

/**
 * `PASS`, `FAIL` or `SKIP`.
 *
 * @example
 * ```ts
 * statusLabel('skipped') // 'SKIP'
 * ```
 */
export function statusLabel(status: EvalReport['status']): string {
  return status === 'passed' ? 'PASS' : status === 'failed' ? 'FAIL' : 'SKIP'
}

/**
 * `8/10 rows, 1 errored`: rows that ran (of the dataset) and how many errored.
 *
 * @example
 * ```ts
 * rowsLabel(evalReport) // '4 rows, 0 errored' when all 4 dataset rows ran
 * ```
 */
export function rowsLabel(e: EvalReport): string {
  const ran =
    e.rows.length === e.datasetRows ? `${e.rows.length}` : `${e.rows.length}/${e.datasetRows}`
  return `${ran} row${e.datasetRows === 1 ? '' : 's'}, ${e.erroredRows} errored`
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
  const gatePrefixes = e.thresholds.filter((g) => !g.passed).map((g) => `${g.key}: `)
  return e.failures.filter((f) => !gatePrefixes.some((p) => f.startsWith(p)))
}
