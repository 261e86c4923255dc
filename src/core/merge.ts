// `evalgate merge`: artifacts of one run split across machines (Vitest or Jest `--shard`, row
// shards) joined into the artifact the unsharded run would have written. Nothing is averaged
// from the shards' aggregates: every metric, interval and gate is recomputed from the merged
// rows by the very code a run uses (summarizeEval, buildReport).
import { EvalgateError } from '../base/errors.js'
import { BUILTIN_AGGREGATIONS, type CustomAggregation } from './aggregate.js'
import { AGREEMENT_AGGREGATIONS } from './agreement.js'
import type { EvalSummary, PreparedEval } from './eval-types.js'
import { LATENCY_METRIC, summarizeEval } from './evaluate.js'
import type { EvalSuiteMeta } from './meta.js'
import { buildReport, type EvalReport, type Report } from './report.js'
import type { RowResult } from './run.js'
import type { Statistics } from './statistics.js'
import { parsePassAggregation } from './statistics.js'
import { evaluateGates, type Gate, type GateResult } from './thresholds.js'

/**
 * One shard's artifact and the file it came from (named in every error).
 *
 * @example
 * ```ts
 * const shard: MergeInput = { file: 'shard-1.json', report: readReportFile('shard-1.json') }
 * ```
 */
export interface MergeInput {
  file: string
  report: Report
}

/** Keys of a metric summary that are not custom aggregations. */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  ...BUILTIN_AGGREGATIONS,
  'unscored',
  'skipped',
  'aggregationErrors',
  'stderr',
  'ci',
  'flaky',
  ...AGREEMENT_AGGREGATIONS,
])

const DEFAULT_STATISTICS: Statistics = { confidence: 0.95, method: 't', resamples: 2000, seed: 0 }

/** Thrown by the stand-in of a custom aggregation, whose function the artifact does not hold. */
const NOT_STORED = 'evalgate-merge: custom aggregation not stored'

/** Why a merged custom aggregation has no value. */
function cannotRecompute(name: string): string {
  return `a merge cannot recompute the custom aggregation "${name}": the artifact stores its name, not its function (run the eval unsharded, or gate on a builtin aggregation)`
}

/**
 * Merges the artifacts of one run split across machines into the artifact the unsharded run
 * writes (timings aside): evals are matched by file and name, their rows joined by
 * (index, trial), and each eval's metrics, statistics, gates and status recomputed from the
 * merged rows with `summarizeEval`, as the run itself computes them. `startedAt` is the
 * earliest shard's and `durationMs` the longest shard's (the wall time of a matrix whose shards
 * run side by side). The run failed when a merged eval failed, a file failed (`errors`, kept
 * from every shard), or a shard failed for a reason none of its evals shows (another test).
 * `partial` stays true only while rows are still missing.
 *
 * An eval whose rows all sit in one shard is kept as that shard recorded it. Custom
 * aggregations cannot be recomputed from an artifact (it holds their names, not their
 * functions): when rows of an eval come from several shards, each custom aggregation is `null`
 * with the reason in `aggregationErrors`, and a gate on it fails saying so.
 *
 * Throws an {@link EvalgateError} naming the files for shards of different hosts or evalgate
 * versions, and naming the eval and files for shards that overlap (the same row and trial in
 * two) or disagree (another dataset, trials, maxErrors, statistics or gates).
 *
 * @example
 * ```ts
 * const merged = mergeReports(['shard-1.json', 'shard-2.json'].map((file) => ({ file, report: readReportFile(file) })))
 * merged.partial // false once every row of every eval is in some shard
 * ```
 */
export function mergeReports(shards: readonly MergeInput[]): Report {
  if (shards.length === 0) throw new EvalgateError('merge: expected at least one artifact')
  const first = shards[0]!
  for (const s of shards.slice(1)) {
    if (s.report.tool.host !== first.report.tool.host) {
      throw new EvalgateError(
        `merge: ${first.file} was written by ${first.report.tool.host} and ${s.file} by ${s.report.tool.host}; the shards of one run come from one test runner`,
      )
    }
    if (s.report.tool.version !== first.report.tool.version) {
      throw new EvalgateError(
        `merge: ${first.file} was written by evalgate ${first.report.tool.version} and ${s.file} by evalgate ${s.report.tool.version}; merge shards of one run, written by one evalgate version`,
      )
    }
  }
  const groups = groupEvals(shards)
  const metas: Array<{ meta: EvalSuiteMeta; rows: RowResult[] }> = []
  for (const parts of groups.values()) metas.push(mergeEval(parts))
  let startedAt = Date.parse(first.report.startedAt)
  let durationMs = first.report.durationMs
  let hostFailed = false
  const errors = new Map<string, { file: string; message: string }>()
  for (const { report } of shards) {
    startedAt = Math.min(startedAt, Date.parse(report.startedAt))
    durationMs = Math.max(durationMs, report.durationMs)
    for (const e of report.errors) errors.set(`${e.file}\u0000${e.message}`, e)
    // A failed shard whose evals all passed and whose files all loaded failed for something
    // else (another test): the unsharded run fails for it as well.
    const explained = report.errors.length > 0 || report.evals.some((e) => e.status === 'failed')
    if (report.status === 'failed' && !explained) hostFailed = true
  }
  const report = buildReport({
    evals: metas,
    startedAt: new Date(startedAt),
    durationMs,
    version: first.report.tool.version,
    host: { name: first.report.tool.host, version: first.report.tool.hostVersion },
    hostFailed,
    errors: [...errors.values()],
  })
  // A duplicate eval name reported by a shard is found again by buildReport: keep it once.
  const seen = new Set<string>()
  report.errors = report.errors.filter((e) => {
    const key = `${e.file}\u0000${e.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return report
}

interface Part {
  file: string
  eval: EvalReport
}

/**
 * The evals of all shards grouped by file and name, in first-seen order. Two evals of one name
 * in one file (an error the report already lists) stay apart by their order in that file.
 */
function groupEvals(shards: readonly MergeInput[]): Map<string, Part[]> {
  const groups = new Map<string, Part[]>()
  for (const { file, report } of shards) {
    const occurrences = new Map<string, number>()
    for (const e of report.evals) {
      const base = `${e.file}\u0000${e.name}`
      const k = occurrences.get(base) ?? 0
      occurrences.set(base, k + 1)
      const key = `${base}\u0000${k}`
      const parts = groups.get(key)
      if (parts === undefined) groups.set(key, [{ file, eval: e }])
      else parts.push({ file, eval: e })
    }
  }
  return groups
}

function evalName(e: EvalReport): string {
  return `eval ${JSON.stringify(e.name)} (${e.file})`
}

/** The gates of an eval as it was configured (its results aside). */
function gatesOf(e: EvalReport): Gate[] {
  return e.thresholds.map((g) => {
    const slash = g.key.lastIndexOf('/')
    const gate: Gate = {
      key: g.key,
      metric: g.key.slice(0, slash),
      aggregation: g.key.slice(slash + 1),
    }
    if (g.min !== undefined) gate.min = g.min
    if (g.max !== undefined) gate.max = g.max
    if (g.confidence !== undefined) gate.confidence = g.confidence
    if (g.require !== undefined) gate.require = g.require
    return gate
  })
}

/** What every shard of one eval must agree on, field by field. */
function settingsOf(e: EvalReport): Array<[string, string | null]> {
  return [
    ['datasetRows (the dataset differs)', String(e.datasetRows)],
    ['trials', String(e.trials)],
    ['maxErrors', String(e.maxErrors)],
    ['trialPassRate', String(e.trialPassRate ?? 1)],
    ['statistics', JSON.stringify(e.statistics ?? DEFAULT_STATISTICS)],
    // A skipped eval (no row ran in that shard) records no gates: nothing to compare there.
    ['thresholds', e.status === 'skipped' ? null : JSON.stringify(gatesOf(e))],
  ]
}

function checkConsistent(parts: readonly Part[]): void {
  for (let j = 0; j < parts.length; j++) {
    for (let k = j + 1; k < parts.length; k++) compareSettings(parts[j]!, parts[k]!)
  }
}

function compareSettings(a: Part, b: Part): void {
  const got = settingsOf(b.eval)
  settingsOf(a.eval).forEach(([field, value], i) => {
    const other = got[i]![1]
    if (other === value || other === null || value === null) return
    throw new EvalgateError(
      `merge: ${evalName(a.eval)} has ${field} ${value} in ${a.file} but ${other} in ${b.file}; shards of one run must run the same eval on the same dataset`,
    )
  })
}

/**
 * The merged rows, in (index, trial) order when each shard's are (as evalgate writes them);
 * overlapping (index, trial) or one index with two ids is an error. A dataset row's first
 * trial is kept in plain arrays, its others (several trials) in a Map of its own.
 */
function joinRows(parts: readonly Part[]): EvalReport['rows'] {
  const slotOf = new Map<number, number>()
  const ids: Array<string | number | null> = []
  const firstTrial: number[] = []
  const firstFile: string[] = []
  const moreTrials = new Map<number, Map<number, string>>()
  const overlaps: string[] = []
  for (const { file, eval: e } of parts) {
    for (const row of e.rows) {
      const slot = slotOf.get(row.index)
      if (slot === undefined) {
        slotOf.set(row.index, ids.length)
        ids.push(row.id)
        firstTrial.push(row.trial)
        firstFile.push(file)
        continue
      }
      if (ids[slot] !== row.id) {
        throw new EvalgateError(
          `merge: ${evalName(e)}: row ${row.index} has id ${JSON.stringify(ids[slot])} in one shard and ${JSON.stringify(row.id)} in ${file}; the shards ran different datasets`,
        )
      }
      let trials = moreTrials.get(slot)
      const other = firstTrial[slot] === row.trial ? firstFile[slot] : trials?.get(row.trial)
      if (other !== undefined) {
        overlaps.push(`row ${row.index} trial ${row.trial} (in ${other} and ${file})`)
        continue
      }
      if (trials === undefined) {
        trials = new Map()
        moreTrials.set(slot, trials)
      }
      trials.set(row.trial, file)
    }
  }
  if (overlaps.length > 0) {
    const shown = overlaps.slice(0, 5).join(', ')
    const more = overlaps.length > 5 ? `, and ${overlaps.length - 5} more` : ''
    throw new EvalgateError(
      `merge: ${evalName(parts[0]!.eval)}: ${overlaps.length} row result(s) are in more than one shard: ${shown}${more}; shards must not overlap (merge each shard's artifact once)`,
    )
  }
  return inOrder(parts.map((p) => p.eval.rows))
}

type Row = EvalReport['rows'][number]

const before = (a: Row, b: Row) => a.index < b.index || (a.index === b.index && a.trial < b.trial)

/**
 * The rows of all shards: merged in (index, trial) order when each shard's are in that order
 * (the sorts that follow then find them sorted), else one shard after the other.
 */
function inOrder(lists: ReadonlyArray<readonly Row[]>): Row[] {
  const sorted = lists.every((rows) => rows.every((r, i) => i === 0 || before(rows[i - 1]!, r)))
  if (!sorted || lists.length > 16) return lists.flat()
  const out: Row[] = []
  const at = lists.map(() => 0)
  for (;;) {
    let next = -1
    for (let k = 0; k < lists.length; k++) {
      const row = lists[k]![at[k]!]
      if (row !== undefined && (next === -1 || before(row, lists[next]![at[next]!]!))) next = k
    }
    if (next === -1) return out
    out.push(lists[next]![at[next]!]!)
    at[next]!++
  }
}

/** A shard's eval as the summary it was built from (kept as it is). */
function summaryOf(e: EvalReport): EvalSummary | null {
  if (e.status === 'skipped') return null
  return {
    rows: e.rows.length,
    erroredRows: e.erroredRows,
    failedRows: e.rows.filter((r) => !r.passed).length,
    metrics: e.metrics as unknown as EvalSummary['metrics'],
    thresholds: e.thresholds as GateResult[],
    maxErrors: e.maxErrors,
    partial: e.status === 'partial',
    passed: e.status !== 'failed',
    failures: e.failures,
    ...(e.agreement === undefined ? {} : { agreement: e.agreement }),
  }
}

function metaOf(e: EvalReport, gates: Gate[], summary: EvalSummary | null): EvalSuiteMeta {
  return {
    kind: 'eval',
    name: e.name,
    file: e.file,
    hasTask: Object.hasOwn(e.metrics, LATENCY_METRIC),
    metrics: Object.keys(e.metrics),
    gates,
    maxErrors: e.maxErrors,
    datasetRows: e.datasetRows,
    trials: e.trials,
    trialPassRate: e.trialPassRate ?? 1,
    statistics: e.statistics ?? DEFAULT_STATISTICS,
    summary,
  }
}

function mergeEval(parts: readonly Part[]): { meta: EvalSuiteMeta; rows: RowResult[] } {
  checkConsistent(parts)
  // An artifact row is a RowResult read back from JSON (which holds no `undefined`).
  const rows = joinRows(parts) as unknown as RowResult[]
  const holders = parts.filter((p) => p.eval.rows.length > 0)
  const base = (holders[0] ?? parts[0]!).eval
  const gates = gatesOf(base)
  if (holders.length <= 1) {
    return { meta: metaOf(base, gates, summaryOf(base)), rows }
  }
  const prepared = prepareFromArtifact(
    holders.map((h) => h.eval),
    gates,
  )
  const summary = summarizeEval(prepared, rows, { datasetRows: base.datasetRows })
  explainCustom(summary, prepared)
  checkAgreement(
    summary,
    holders.map((h) => h.eval),
    gates,
  )
  return { meta: metaOf({ ...base, metrics: summary.metrics }, gates, summary), rows }
}

/** A stand-in for a custom aggregation: it carries the name, and cannot compute. */
function standIn(name: string): CustomAggregation {
  const fn: CustomAggregation = () => {
    throw new Error(NOT_STORED)
  }
  Object.defineProperty(fn, 'name', { value: name })
  return fn
}

/**
 * The PreparedEval an eval's artifacts imply: the metrics every shard declares (the rest are
 * found in the rows, as the run finds them), `latency_ms` when a task ran, the gates as
 * configured, and a stand-in for each custom aggregation.
 */
function prepareFromArtifact(evals: readonly EvalReport[], gates: Gate[]): PreparedEval {
  const e = evals[0]!
  const common = Object.keys(e.metrics).filter((m) =>
    evals.every((o) => Object.hasOwn(o.metrics, m)),
  )
  // A task records latency_ms for every row; without one, a scorer may use the name itself.
  const scorerLatency = evals.some((o) =>
    o.rows.some((r) => r.feedback.some((fb) => fb.name === LATENCY_METRIC)),
  )
  const hasTask = !scorerLatency && evals.some((o) => Object.hasOwn(o.metrics, LATENCY_METRIC))
  const metrics = common.filter((m) => m !== LATENCY_METRIC || !hasTask)
  if (hasTask) metrics.push(LATENCY_METRIC)
  const custom = new Map<string, CustomAggregation[]>()
  for (const o of evals) {
    for (const [metric, summary] of Object.entries(o.metrics)) {
      const names = custom.get(metric) ?? []
      for (const key of Object.keys(summary)) {
        if (KNOWN_KEYS.has(key) || parsePassAggregation(key) !== undefined) continue
        if (!names.some((fn) => fn.name === key)) names.push(standIn(key))
      }
      custom.set(metric, names)
    }
  }
  return {
    scorers: [],
    metrics,
    custom,
    gates,
    maxErrors: e.maxErrors,
    hasTask,
    trials: e.trials,
    trialPassRate: e.trialPassRate ?? 1,
    statistics: e.statistics ?? DEFAULT_STATISTICS,
    // The artifact does not record where the `agreement` option read the human labels: the
    // default place is assumed, and checkAgreement verifies it.
    agreement: new Map(),
  }
}

/**
 * Agreement with human labels is recomputed from the rows at the labels' default place
 * (`expectations.human.<metric>`); the artifact does not record another place an `agreement`
 * option named. The confusion matrices of disjoint shards add up, so the merged one must be
 * their sum: where it is not, the labels were elsewhere, and kappa, accuracy and corrected have
 * no merged value (a gate on them fails, saying why) rather than a wrong one.
 */
function checkAgreement(summary: EvalSummary, evals: readonly EvalReport[], gates: Gate[]): void {
  const expected = new Map<string, { tp: number; fp: number; fn: number; tn: number }>()
  for (const e of evals) {
    for (const [metric, a] of Object.entries(e.agreement ?? {})) {
      const sum = expected.get(metric) ?? { tp: 0, fp: 0, fn: 0, tn: 0 }
      sum.tp += a.confusion.tp
      sum.fp += a.confusion.fp
      sum.fn += a.confusion.fn
      sum.tn += a.confusion.tn
      expected.set(metric, sum)
    }
  }
  const lost = new Set<string>()
  for (const [metric, sum] of expected) {
    const got = summary.agreement?.[metric]?.confusion
    if (
      got !== undefined &&
      got.tp === sum.tp &&
      got.fp === sum.fp &&
      got.fn === sum.fn &&
      got.tn === sum.tn
    ) {
      continue
    }
    lost.add(metric)
    if (summary.agreement !== undefined) delete summary.agreement[metric]
    const m = summary.metrics[metric]
    if (m === undefined) continue
    const reason = `a merge cannot recompute agreement with human labels for "${metric}": they are not at expectations.human.${metric}, and the artifact does not record where the "agreement" option read them`
    m.aggregationErrors = { ...m.aggregationErrors }
    for (const agg of AGREEMENT_AGGREGATIONS) {
      m[agg] = null
      m.aggregationErrors[agg] = reason
    }
  }
  if (summary.agreement !== undefined && Object.keys(summary.agreement).length === 0) {
    delete summary.agreement
  }
  if (lost.size === 0 || summary.partial) return
  const again = gates.filter(
    (g) =>
      lost.has(g.metric) && (AGREEMENT_AGGREGATIONS as readonly string[]).includes(g.aggregation),
  )
  const results = evaluateGates(again, summary.metrics)
  results.forEach((r) => {
    const i = summary.thresholds.findIndex((g) => g.key === r.key)
    if (i !== -1) summary.thresholds[i] = r
    summary.failures = summary.failures.filter((f) => !f.startsWith(`${r.key}: `))
    if (r.passed === false) summary.failures.push(`${r.key}: ${r.reason ?? 'failed'}`)
  })
  summary.passed = summary.failures.length === 0
}

/** Replaces the stand-ins' "threw" with why a merge has no value for them, wherever it shows. */
function explainCustom(summary: EvalSummary, prepared: PreparedEval): void {
  const replacements: Array<[string, string]> = []
  for (const fns of prepared.custom.values()) {
    for (const fn of fns) {
      replacements.push([
        `custom aggregation "${fn.name}" threw: ${NOT_STORED}`,
        cannotRecompute(fn.name),
      ])
    }
  }
  if (replacements.length === 0) return
  const fix = (text: string): string => {
    let out = text
    for (const [from, to] of replacements) out = out.split(from).join(to)
    return out
  }
  for (const m of Object.values(summary.metrics)) {
    const failed = m.aggregationErrors
    if (failed === undefined) continue
    for (const key of Object.keys(failed)) failed[key] = fix(failed[key]!)
  }
  for (const g of summary.thresholds) if (g.reason !== undefined) g.reason = fix(g.reason)
  summary.failures = summary.failures.map(fix)
}
