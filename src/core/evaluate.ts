import pLimit from 'p-limit'
import { describeValue, EvalgateError } from '../base/errors.js'
import type { Interval, RowTrials } from '../stats/index.js'
import { asTrace } from '../trace/trace.js'
import {
  aggregateMetric,
  BUILTIN_AGGREGATIONS,
  type CustomAggregation,
  customAggregationName,
  type MetricObservations,
  type MetricSummary,
} from './aggregate.js'
import {
  AGREEMENT_AGGREGATIONS,
  type AgreementOption,
  agreementOf,
  checkAgreement,
} from './agreement.js'
import { type DataSource, loadDataset, type Row } from './dataset.js'
import type { EvalSummary, PreparedEval } from './eval-types.js'
import {
  aggregationInterval,
  type MetricSample,
  metricStatistics,
  passAggregations,
  resolveStatistics,
  type StatisticsOptions,
} from './statistics.js'

export type { EvalSummary, PreparedEval } from './eval-types.js'

import { LATENCY_METRIC } from './latency.js'
import { type RowResult, runRow, type Task } from './run.js'
import { metricNamesOf, type Scorer, validateScorer } from './scorer.js'
import { evaluateGates, type MetricKind, parseThresholds, type Thresholds } from './thresholds.js'
import { rowErrored, rowTrialsVerdict } from './verdict.js'

export { LATENCY_METRIC }

/** What defines an eval, independent of any test framework. */
export interface EvalConfig {
  scorers: readonly Scorer[]
  thresholds?: Thresholds | undefined
  /** Errored rows tolerated before the eval fails. Default 0. */
  maxErrors?: number | undefined
  /** Whether a task runs (then `latency_ms` is a metric). */
  hasTask: boolean
  /** Runs of each row. Default 1. */
  trials?: number | undefined
  /** In unit-test mode, the share of a row's trials that must pass each metric. Default 1. */
  trialPassRate?: number | undefined
  /** How confidence intervals are computed (see {@link StatisticsOptions}). */
  statistics?: StatisticsOptions | undefined
  /** Where rows hold human labels of judged metrics (see {@link AgreementOption}). */
  agreement?: AgreementOption | undefined
}

/**
 * Validates an eval before any row runs: at least one scorer (an eval without one would pass
 * vacuously), every scorer's shape, distinct metric names across scorers (a clash names both
 * scorers), aggregations, `maxErrors`, and every threshold key against the metrics and
 * aggregations that exist (a key on an undeclared name says how to declare it) and the range its
 * aggregation can take.
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
  if (scorers.length === 0) {
    throw new EvalgateError('"scorers": expected at least one Scorer, received an empty array')
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
  const trials = config.trials ?? 1
  if (!Number.isInteger(trials) || trials < 1) {
    throw new EvalgateError(
      `"trials": expected a whole number from 1 and up, received ${describeValue(config.trials)}`,
    )
  }
  const trialPassRate = config.trialPassRate ?? 1
  if (!(typeof trialPassRate === 'number' && trialPassRate > 0 && trialPassRate <= 1)) {
    throw new EvalgateError(
      `"trialPassRate": expected a share of trials above 0 and at most 1, received ${describeValue(config.trialPassRate)}`,
    )
  }
  const statistics = resolveStatistics(config.statistics)
  const metrics = [...owner.keys()]
  if (hasTask) metrics.push(LATENCY_METRIC)
  const available = new Map<string, readonly string[]>()
  for (const metric of metrics) {
    const names = (custom.get(metric) ?? []).map(customAggregationName)
    // pass@k and pass^k for k up to the trials: a gate on pass^5 with 3 trials is refused.
    const judged =
      metric === LATENCY_METRIC ? [] : [...passAggregations(trials), ...AGREEMENT_AGGREGATIONS]
    available.set(metric, [...BUILTIN_AGGREGATIONS, ...judged, ...names])
  }
  const gates = parseThresholds(thresholds, available, (metric) =>
    undeclaredHint(metric, scorers, hasTask),
  )
  return {
    scorers,
    metrics,
    custom,
    gates,
    maxErrors,
    hasTask,
    trials,
    trialPassRate,
    statistics,
    agreement: checkAgreement(config.agreement, metrics),
  }
}

/** How a threshold's unknown metric could come to exist: a task, or a `metrics` declaration. */
function undeclaredHint(
  metric: string,
  scorers: readonly Scorer[],
  hasTask: boolean,
): string | undefined {
  if (metric === LATENCY_METRIC && !hasTask) {
    return `${LATENCY_METRIC} is recorded only when the eval has a task`
  }
  // Only a scorer without declared metrics may return Feedback under a name nobody declared.
  const undeclared = scorers.filter((s) => s.metrics === undefined).map((s) => s.name)
  if (undeclared.length === 0) return undefined
  const name = JSON.stringify(metric)
  return `If a scorer returns Feedback named ${name}, declare it: scorer(${JSON.stringify(undeclared[0])}, fn, { metrics: [${name}, ...] }) (scorers that may return named Feedback: ${undeclared.join(', ')})`
}

/** Per metric: each scored value's dataset row, and each row's pass verdicts over its trials. */
interface Grouping {
  rows: number[]
  verdicts: Map<number, RowTrials>
}

/**
 * The row tests that fail, as the hosts decide them (one test per dataset row, over its trials):
 * how many for an error, how many for a failing metric. `ordered` is sorted by index.
 */
function failedRowTests(
  prepared: PreparedEval,
  ordered: readonly RowResult[],
): { erroredTests: number; failingTests: number } {
  let erroredTests = 0
  let failingTests = 0
  for (let i = 0; i < ordered.length; ) {
    let j = i
    while (j < ordered.length && ordered[j]!.index === ordered[i]!.index) j++
    const trials = ordered.slice(i, j)
    if (rowTrialsVerdict(prepared, trials).failed) {
      if (trials.some(rowErrored)) erroredTests++
      else failingTests++
    }
    i = j
  }
  return { erroredTests, failingTests }
}

/** Options of {@link summarizeEval}. */
export interface SummarizeOptions {
  /**
   * Rows in the dataset. When fewer distinct rows (by `index`) were given, the run is partial:
   * gates are not evaluated and only row tests decide.
   */
  datasetRows?: number | undefined
}

function observations(): MetricObservations {
  return {
    scores: [],
    passes: 0,
    withRule: 0,
    errors: 0,
    unscored: 0,
    skipped: 0,
    binary: false,
  }
}

/**
 * Whether a scored value is a boolean or a yes/no string (a string with a score is one of
 * those): the values whose score can only be 0 or 1.
 */
function isBinaryValue(value: unknown, score: number): boolean {
  return typeof value === 'boolean' || (typeof value === 'string' && (score === 0 || score === 1))
}

/** The trial of a row result (0 when it has none). */
function trialOf(row: RowResult): number {
  const trial: unknown = (row as { trial?: unknown }).trial
  return typeof trial === 'number' ? trial : 0
}

/** `every row errored, abstained or gave a value without a score`, from what the rows did. */
function noScoredValue(
  rows: number,
  errored: boolean,
  skipped: boolean,
  unscored: boolean,
): string {
  if (rows === 0) return 'no scored value: the eval has no rows'
  const what = [
    errored ? 'errored' : undefined,
    skipped ? 'abstained' : undefined,
    unscored ? 'gave a value without a score' : undefined,
  ].filter((w) => w !== undefined)
  if (what.length === 0) return 'no scored value in any row'
  const last = what.pop()!
  const list = what.length === 0 ? last : `${what.join(', ')} or ${last}`
  return `no scored value in any row: every row ${list}`
}

/**
 * Turns RowResults into per-metric aggregates (errors, unscored values and abstentions excluded
 * from the numbers and counted), evaluates the gates and decides the eval. A full run fails when
 * more rows errored than `maxErrors` allows, when no row produced a single scored value (in any
 * metric, `latency_ms` included), when a gate fails, or, with no thresholds, when any row failed
 * a metric. A partial run (`options.datasetRows` more than the distinct rows given) evaluates no
 * gate (`passed: null`, `not evaluated (partial run: 1 of 20 rows)`) and fails only when a row
 * fails its own test (`rowVerdict`), so the summary agrees with the test runner.
 * A scorer that declares no `metrics` but returned only named Feedback leaves no empty metric
 * under its own name (unless gated). Pure: the same rows always give the same summary, in any
 * order they are passed (rows are ordered by `index`, then trial), so sharded runs merge exactly.
 * Never throws for what the rows hold.
 *
 * @example
 * ```ts
 * const summary = summarizeEval(prepared, rowResults, { datasetRows: 20 })
 * summary.metrics.exact_match.mean // 0.93
 * summary.passed                    // false if a gate failed
 * ```
 */
export function summarizeEval(
  prepared: PreparedEval,
  rows: readonly RowResult[],
  options?: SummarizeOptions,
): EvalSummary {
  // Rows usually come in order (the schedule starts them in order): sorted only when not.
  const byIndex = (a: RowResult, b: RowResult) => a.index - b.index || trialOf(a) - trialOf(b)
  let inOrder = true
  for (let i = 1; i < rows.length && inOrder; i++) inOrder = byIndex(rows[i - 1]!, rows[i]!) <= 0
  const ordered = inOrder ? rows : [...rows].sort(byIndex)
  const obs = new Map<string, MetricObservations>()
  for (const m of prepared.metrics) if (m !== LATENCY_METRIC) obs.set(m, observations())
  const latency = prepared.hasTask ? observations() : undefined
  const numeric = new Set<string>()
  // Per metric, each scored value's dataset row and each row's pass verdicts over its trials.
  const groups = new Map<string, Grouping>()
  const groupOf = (name: string): Grouping => {
    let g = groups.get(name)
    if (g === undefined) {
      g = { rows: [], verdicts: new Map() }
      groups.set(name, g)
    }
    return g
  }
  const named = new Set<string>()
  const producing = new Set<string>()
  const slots: Array<
    { name: string; scorer: string; o: MetricObservations; g?: Grouping } | undefined
  > = []
  let erroredRows = 0
  let failedRows = 0
  for (const row of ordered) {
    if (rowErrored(row)) erroredRows++
    if (!row.passed) failedRows++
    if (row.error !== null) {
      // A row whose task failed produced no metric at all: each metric counts it as an error.
      for (const o of obs.values()) o.errors++
      if (latency !== undefined) latency.errors++
      continue
    }
    const feedback = row.feedback
    for (let i = 0; i < feedback.length; i++) {
      const fb = feedback[i]!
      // Rows of one eval return their metrics in the same order: each position remembers its
      // metric, so the common row looks nothing up.
      let slot = slots[i]
      if (slot === undefined || slot.name !== fb.name || slot.scorer !== fb.scorer) {
        named.add(fb.name)
        producing.add(fb.scorer)
        let o = obs.get(fb.name)
        if (o === undefined) {
          o = observations()
          obs.set(fb.name, o)
        }
        slot = { name: fb.name, scorer: fb.scorer, o }
        slots[i] = slot
      }
      const o = slot.o
      if (fb.error !== null) o.errors++
      else if (fb.value === null) o.skipped++
      else if (fb.score === null) o.unscored++
      else {
        o.scores.push(fb.score)
        if (slot.g === undefined) slot.g = groupOf(fb.name)
        const g = slot.g
        g.rows.push(row.index)
        if (!isBinaryValue(fb.value, fb.score)) numeric.add(fb.name)
        if (fb.passed !== null) {
          o.withRule++
          if (fb.passed) o.passes++
          const v = g.verdicts.get(row.index)
          if (v === undefined) g.verdicts.set(row.index, { n: 1, c: fb.passed ? 1 : 0 })
          else {
            v.n++
            if (fb.passed) v.c++
          }
        }
      }
    }
    if (latency !== undefined && row.latencyMs !== null) {
      latency.scores.push(row.latencyMs)
      groupOf(LATENCY_METRIC).rows.push(row.index)
    }
  }
  // A scorer without declared metrics whose rows all came back under other names: its own name
  // is no metric (unless a gate reads it; then it fails for want of values).
  for (const s of prepared.scorers) {
    if (s.metrics !== undefined || named.has(s.name) || !producing.has(s.name)) continue
    if (prepared.gates.some((g) => g.metric === s.name)) continue
    obs.delete(s.name)
  }
  if (latency !== undefined) {
    obs.delete(LATENCY_METRIC)
    obs.set(LATENCY_METRIC, latency)
  }

  const metrics: Record<string, MetricSummary> = {}
  const samples = new Map<string, MetricSample>()
  const kinds: Record<string, MetricKind> = {}
  let scored = false
  let skipped = false
  let unscored = false
  for (const [name, o] of obs) {
    o.binary = o.scores.length > 0 && !numeric.has(name) && o !== latency
    kinds[name] = o.binary ? 'binary' : 'numeric'
    const summary = aggregateMetric(o, prepared.custom.get(name))
    const g = groups.get(name) ?? { rows: [], verdicts: new Map() }
    const sample: MetricSample = {
      scores: o.scores,
      ...g,
      binary: o.binary,
      nonNegative: o === latency,
    }
    samples.set(name, sample)
    const stats = metricStatistics(sample, prepared.statistics, prepared.trials)
    Object.assign(summary, stats.pass, { stderr: stats.stderr, ci: stats.ci, flaky: stats.flaky })
    metrics[name] = summary
    scored ||= o.scores.length > 0
    skipped ||= o.skipped > 0
    unscored ||= o.unscored > 0
  }
  // A gate with `confidence` compares its own interval, at its own level.
  const intervals = new Map<string, Interval | null>()
  for (const gate of prepared.gates) {
    if (gate.confidence === undefined) continue
    const sample = samples.get(gate.metric)
    intervals.set(
      gate.key,
      sample === undefined
        ? null
        : aggregationInterval(sample, gate.aggregation, prepared.statistics, gate.confidence),
    )
  }
  // A judge measured against the human labels rows carry: gateable as kappa, accuracy, corrected.
  const agreement = agreementOf(
    ordered,
    [...obs.keys()].filter((m) => m !== LATENCY_METRIC),
    prepared.agreement,
    prepared.statistics.confidence,
  )
  for (const [name, a] of Object.entries(agreement)) {
    Object.assign(metrics[name]!, {
      kappa: a.kappa,
      accuracy: a.accuracy,
      corrected: a.corrected.estimate,
    })
  }
  const evaluated = evaluateGates(prepared.gates, metrics, kinds, intervals)

  const given = new Set(ordered.map((r) => r.index)).size
  const datasetRows = options?.datasetRows
  if (datasetRows !== undefined && given < datasetRows) {
    // Partial: the gates would judge a sample the user did not choose; only row tests decide.
    const reason = `not evaluated (partial run: ${given} of ${datasetRows} rows)`
    const thresholds = evaluated.map((g) => ({ ...g, passed: null, reason }))
    const { erroredTests, failingTests } = failedRowTests(prepared, ordered)
    const failures: string[] = []
    if (erroredTests > 0) {
      failures.push(`${erroredTests} errored row(s), more than maxErrors (${prepared.maxErrors})`)
    }
    if (failingTests > 0) failures.push(`${failingTests} row(s) failed a metric`)
    return {
      rows: ordered.length,
      erroredRows,
      failedRows,
      metrics,
      thresholds,
      maxErrors: prepared.maxErrors,
      partial: true,
      passed: failures.length === 0,
      failures,
      ...(Object.keys(agreement).length > 0 ? { agreement } : {}),
    }
  }

  const failures: string[] = []
  if (erroredRows > prepared.maxErrors) {
    failures.push(`${erroredRows} errored row(s), more than maxErrors (${prepared.maxErrors})`)
  }
  if (!scored) failures.push(noScoredValue(ordered.length, erroredRows > 0, skipped, unscored))
  for (const g of evaluated)
    if (g.passed === false) failures.push(`${g.key}: ${g.reason ?? 'failed'}`)
  if (prepared.gates.length === 0) {
    // Unit-test mode: as the row tests decide, over each row's trials (trialPassRate).
    const { failingTests } = failedRowTests(prepared, ordered)
    if (failingTests > 0) failures.push(`${failingTests} row(s) failed a metric`)
  }
  return {
    rows: ordered.length,
    erroredRows,
    failedRows,
    metrics,
    thresholds: evaluated,
    maxErrors: prepared.maxErrors,
    partial: false,
    passed: failures.length === 0,
    failures,
    ...(Object.keys(agreement).length > 0 ? { agreement } : {}),
  }
}

/**
 * Rows in flight at once when `concurrency` is not given. Chosen by measurement
 * (`bench/concurrency.mjs`): a latency-bound eval (100 rows x 2 scorers waiting 100 ms) takes
 * 1.33 s at 8 against 2.54 s at 4, each within 1.03x of its ideal, while a CPU-bound eval of
 * 10,000 rows shows no cost from it; 8 is also the judges' own default of requests in flight,
 * so the rows a worker starts can keep its judges busy without queueing far past them.
 */
export const DEFAULT_CONCURRENCY = 8

/** Options of {@link runEval}. */
export interface RunEvalOptions<R extends Row = Row> {
  data: DataSource<R>
  task?: Task | undefined
  scorers: readonly Scorer[]
  thresholds?: Thresholds | undefined
  maxErrors?: number | undefined
  /** Rows in flight at once. Default 8 (`DEFAULT_CONCURRENCY`). */
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
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
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
  return { rows, summary: summarizeEval(prepared, rows, { datasetRows: data.length }) }
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
