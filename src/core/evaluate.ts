import pLimit from 'p-limit'
import { describeValue, EvalgateError } from '../base/errors.js'
import { asTrace } from '../trace/trace.js'
import {
  aggregateMetric,
  BUILTIN_AGGREGATIONS,
  type CustomAggregation,
  customAggregationName,
  type MetricObservations,
  type MetricSummary,
} from './aggregate.js'
import { type DataSource, loadDataset, type Row } from './dataset.js'
import { type RowResult, runRow, type Task } from './run.js'
import { metricNamesOf, type Scorer, validateScorer } from './scorer.js'
import {
  evaluateGates,
  type Gate,
  type GateResult,
  parseThresholds,
  type Thresholds,
} from './thresholds.js'
import { rowErrored } from './verdict.js'

/** The metric every eval with a task records: the task's wall time per row. */
export const LATENCY_METRIC = 'latency_ms'

/** What defines an eval, independent of any test framework. */
export interface EvalConfig {
  scorers: readonly Scorer[]
  thresholds?: Thresholds | undefined
  /** Errored rows tolerated before the eval fails. Default 0. */
  maxErrors?: number | undefined
  /** Whether a task runs (then `latency_ms` is a metric). */
  hasTask: boolean
}

/** An eval whose scorers, metric names, aggregations and thresholds have been checked. */
export interface PreparedEval {
  readonly scorers: readonly Scorer[]
  /** Metric names known before any row runs, in scorer order (`latency_ms` last). */
  readonly metrics: readonly string[]
  readonly custom: ReadonlyMap<string, readonly CustomAggregation[]>
  readonly gates: readonly Gate[]
  readonly maxErrors: number
  readonly hasTask: boolean
}

/**
 * Validates an eval before any row runs: every scorer's shape, distinct metric names across
 * scorers (a clash names both scorers), aggregations, `maxErrors`, and every threshold key
 * against the metrics and aggregations that exist.
 *
 * @example
 * ```ts
 * const prepared = prepareEval({
 *   scorers: [exactMatch],
 *   thresholds: { 'exact_match/mean': 0.9, 'latency_ms/p90': { max: 2000 } },
 *   hasTask: true,
 * })
 * ```
 */
export function prepareEval(config: EvalConfig): PreparedEval {
  const { scorers, thresholds, hasTask } = config
  if (!Array.isArray(scorers)) {
    throw new EvalgateError(
      `"scorers": expected an array of Scorer, received ${describeValue(scorers)}`,
    )
  }
  const owner = new Map<string, string>()
  const custom = new Map<string, CustomAggregation[]>()
  scorers.forEach((s, i) => {
    validateScorer(s, `scorers[${i}]`)
    const fns = (s.aggregations ?? []).filter(
      (a): a is CustomAggregation => typeof a === 'function',
    )
    for (const metric of metricNamesOf(s)) {
      const first = owner.get(metric)
      if (first !== undefined) {
        throw new EvalgateError(
          `metric "${metric}" is produced by both scorer "${first}" and scorer "${s.name}"; metric names must be distinct within an eval (rename one with scorer(name, fn) or the "name" option)`,
        )
      }
      if (hasTask && metric === LATENCY_METRIC) {
        throw new EvalgateError(
          `scorer "${s.name}" produces metric "${LATENCY_METRIC}", which evalgate records itself for every row that runs a task; rename the scorer's metric`,
        )
      }
      owner.set(metric, s.name)
      custom.set(metric, fns)
    }
  })
  const maxErrors = config.maxErrors ?? 0
  if (!Number.isInteger(maxErrors) || maxErrors < 0) {
    throw new EvalgateError(
      `"maxErrors": expected a whole number >= 0, received ${describeValue(config.maxErrors)}`,
    )
  }
  const metrics = [...owner.keys()]
  if (hasTask) metrics.push(LATENCY_METRIC)
  const available = new Map<string, readonly string[]>()
  for (const metric of metrics) {
    const names = (custom.get(metric) ?? []).map(customAggregationName)
    available.set(metric, [...BUILTIN_AGGREGATIONS, ...names])
  }
  const gates = parseThresholds(thresholds, available)
  return { scorers, metrics, custom, gates, maxErrors, hasTask }
}

/** The eval-level outcome: per-metric aggregates, gate results and the verdict. */
export interface EvalSummary {
  /** Rows seen. */
  rows: number
  /** Rows with a row error or at least one errored Feedback. */
  erroredRows: number
  /** Rows that did not pass (errored or failing a metric). */
  failedRows: number
  metrics: Record<string, MetricSummary>
  thresholds: GateResult[]
  maxErrors: number
  passed: boolean
  /** Why the eval failed, one line each (empty when it passed). */
  failures: string[]
}

function observations(): MetricObservations {
  return { scores: [], passes: 0, withRule: 0, errors: 0, unscored: 0 }
}

/**
 * Turns RowResults into per-metric aggregates (errors and unscored values excluded from the
 * numbers and counted), evaluates the gates and decides the eval: it fails when more rows
 * errored than `maxErrors` allows, when a gate fails, or, with no thresholds, when any row
 * failed a metric. Pure: the same rows always give the same summary, in any order they are
 * passed (rows are ordered by `index` first), so sharded runs merge exactly.
 *
 * @example
 * ```ts
 * const summary = summarizeEval(prepared, rowResults)
 * summary.metrics.exact_match.mean // 0.93
 * summary.passed                    // false if a gate failed
 * ```
 */
export function summarizeEval(prepared: PreparedEval, rows: readonly RowResult[]): EvalSummary {
  const ordered = [...rows].sort((a, b) => a.index - b.index)
  const obs = new Map<string, MetricObservations>()
  for (const m of prepared.metrics) obs.set(m, observations())
  let erroredRows = 0
  let failedRows = 0
  for (const row of ordered) {
    if (rowErrored(row)) erroredRows++
    if (!row.passed) failedRows++
    if (row.error !== null) {
      // A row whose task failed produced no metric at all: each metric counts it as an error.
      for (const o of obs.values()) o.errors++
      continue
    }
    for (const fb of row.feedback) {
      let o = obs.get(fb.name)
      if (o === undefined) {
        o = observations()
        obs.set(fb.name, o)
      }
      if (fb.error !== null) o.errors++
      else if (fb.score === null) o.unscored++
      else {
        o.scores.push(fb.score)
        if (fb.passed !== null) {
          o.withRule++
          if (fb.passed) o.passes++
        }
      }
    }
    if (prepared.hasTask && row.latencyMs !== null)
      obs.get(LATENCY_METRIC)?.scores.push(row.latencyMs)
  }
  const metrics: Record<string, MetricSummary> = {}
  for (const [name, o] of obs) metrics[name] = aggregateMetric(o, prepared.custom.get(name))
  const thresholds = evaluateGates(prepared.gates, metrics)
  const failures: string[] = []
  if (erroredRows > prepared.maxErrors) {
    failures.push(`${erroredRows} errored row(s), more than maxErrors (${prepared.maxErrors})`)
  }
  for (const g of thresholds) if (!g.passed) failures.push(`${g.key}: ${g.reason ?? 'failed'}`)
  if (prepared.gates.length === 0) {
    const failing = failedRows - erroredRows
    if (failing > 0) failures.push(`${failing} row(s) failed a metric`)
  }
  return {
    rows: ordered.length,
    erroredRows,
    failedRows,
    metrics,
    thresholds,
    maxErrors: prepared.maxErrors,
    passed: failures.length === 0,
    failures,
  }
}

/** Options of {@link runEval}. */
export interface RunEvalOptions<R extends Row = Row> {
  data: DataSource<R>
  task?: Task | undefined
  scorers: readonly Scorer[]
  thresholds?: Thresholds | undefined
  maxErrors?: number | undefined
  /** Rows in flight at once. Default 4. */
  concurrency?: number | undefined
  /** Per row, task and scorers together. */
  timeoutMs?: number | undefined
  /** Where relative dataset paths resolve. Default `process.cwd()`. */
  root?: string | undefined
  signal?: AbortSignal | undefined
  /** Called as each row finishes (in completion order). */
  onRow?: ((row: RowResult) => void) | undefined
}

/** Everything one eval run produced. */
export interface EvalRun {
  rows: RowResult[]
  summary: EvalSummary
}

/**
 * Runs a whole eval without any test framework: validates the eval and loads every row first
 * (a bad row or threshold throws before any row runs), then runs rows with bounded concurrency
 * and summarises them.
 *
 * @example
 * ```ts
 * const { summary } = await runEval({
 *   data: 'fixtures/qa.jsonl',
 *   task: async (inputs) => answer(String(inputs.question)),
 *   scorers: [exactMatch],
 *   thresholds: { 'exact_match/mean': 0.9 },
 * })
 * if (!summary.passed) console.error(summary.failures.join('\n'))
 * ```
 */
export async function runEval<R extends Row = Row>(options: RunEvalOptions<R>): Promise<EvalRun> {
  const prepared = prepareEval({
    scorers: options.scorers,
    thresholds: options.thresholds,
    maxErrors: options.maxErrors,
    hasTask: options.task !== undefined,
  })
  const concurrency = options.concurrency ?? 4
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new EvalgateError(
      `"concurrency": expected a whole number from 1 and up, received ${describeValue(options.concurrency)}`,
    )
  }
  const data = await loadDataset(
    options.data,
    options.root === undefined ? {} : { root: options.root },
  )
  if (options.task === undefined) requireOutputs(data)
  const limit = pLimit(concurrency)
  const rows = await Promise.all(
    data.map((row, index) =>
      limit(async () => {
        const result = await runRow({
          row,
          index,
          scorers: prepared.scorers,
          task: options.task,
          timeoutMs: options.timeoutMs,
          signal: options.signal,
        })
        options.onRow?.(result)
        return result
      }),
    ),
  )
  return { rows, summary: summarizeEval(prepared, rows) }
}

/**
 * Without a task, every row must carry the outputs to score (`outputs`, or a stored trace whose
 * root span has outputs): checked for all rows before any row runs, so a re-score of stored
 * outputs never half-runs.
 */
export function requireOutputs(rows: readonly Row[]): void {
  const missing: number[] = []
  rows.forEach((row, i) => {
    if (row.outputs !== undefined) return
    const root = row.trace === undefined ? undefined : asTrace(row.trace)?.rootSpan
    if (root?.outputs === undefined || root.outputs === null) missing.push(i)
  })
  if (missing.length === 0) return
  const shown = missing.slice(0, 5).map((i) => {
    const id = rows[i]?.id
    return id === undefined ? `data[${i}]` : `data[${i}] (id ${JSON.stringify(id)})`
  })
  throw new EvalgateError(
    `${missing.length} row(s) have no "outputs" and the eval has no task: ${shown.join(', ')}${missing.length > 5 ? ', ...' : ''}. Give a task, or store "outputs" in each row`,
  )
}
