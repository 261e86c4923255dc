import { isReportRowShape } from './fast-check.js'
import type { EvalSuiteMeta } from './meta.js'
import type { EvalReport, Report, ReportUsage } from './report-schema.js'
import { REPORT_SCHEMA_VERSION } from './report-version.js'
import type { RowResult } from './run.js'

export type { EvalReport, Report, ReportUsage } from './report-schema.js'

export { REPORT_SCHEMA_VERSION } from './report-version.js'

/**
 * Usage of a run that called no LLM judge: zero counts, and `costUsd: null` (no cost is known,
 * so none is claimed).
 *
 * @example
 * ```ts
 * emptyUsage() // { requests: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: null, judges: {} }
 * ```
 */
export function emptyUsage(): ReportUsage {
  return { requests: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: null, judges: {} }
}

/**
 * What {@link buildReport} assembles a report from.
 *
 * @example
 * ```ts
 * const input: BuildReportInput = { evals: [], startedAt: new Date(), durationMs: 0, version: '0.1.0' }
 * ```
 */
export interface BuildReportInput {
  /** Each eval's suite meta and the RowResults of its row tests that ran (any order). */
  evals: ReadonlyArray<{ meta: EvalSuiteMeta; rows: ReadonlyArray<RowResult> }>
  startedAt: Date
  durationMs: number
  /** evalgate's version, for `tool.version`. */
  version: string
  /** The test runner that ran the evals, and its version. */
  host: { name: 'vitest' | 'jest'; version: string }
  /**
   * Whether the host's run failed (any failing test, a file that failed to load, an unhandled
   * error): the report's status then says `failed`, so it never disagrees with the exit code.
   */
  hostFailed: boolean
  /** Test files that failed outside their rows (collection errors), relative to the root. */
  errors?: ReadonlyArray<{ file: string; message: string }> | undefined
}

/** One row of an eval in the artifact. */
export type ReportRow = EvalReport['rows'][number]

/**
 * A RowResult as the artifact holds it: exactly the artifact's fields, so extra fields on a
 * RowResult never leak into it. A RowResult that has exactly those fields already (as runRow
 * makes it) is returned as it is, not copied.
 *
 * @example
 * ```ts
 * ReportRowSchema.parse(toReportRow(rowResult))
 * ```
 */
export function toReportRow(row: RowResult): ReportRow {
  // A RowResult from runRow already has exactly the artifact's fields: no copy needed.
  if (isReportRowShape(row)) return row as ReportRow
  return {
    index: row.index,
    trial: row.trial ?? 0,
    id: row.id,
    inputs: row.inputs,
    // `undefined` does not survive JSON: a task that returned nothing is recorded as null.
    outputs: row.outputs === undefined ? null : row.outputs,
    expectations: row.expectations,
    metadata: row.metadata ?? null,
    latencyMs: row.latencyMs,
    feedback: row.feedback.map((fb) => ({
      name: fb.name,
      scorer: fb.scorer,
      value: fb.value as ReportRow['feedback'][number]['value'],
      score: fb.score,
      passed: fb.passed,
      rationale: fb.rationale,
      error: fb.error,
      source: fb.source,
      metadata: fb.metadata,
    })),
    error: row.error,
    passed: row.passed,
    trace: row.trace === undefined ? null : row.trace,
  }
}

function statusOf(summary: EvalSuiteMeta['summary']): EvalReport['status'] {
  if (summary === null) return 'skipped'
  if (summary.partial === true) return 'partial'
  return summary.passed ? 'passed' : 'failed'
}

function toEvalReport(meta: EvalSuiteMeta, rows: ReadonlyArray<RowResult>): EvalReport {
  const summary = meta.summary
  return {
    name: meta.name,
    file: meta.file,
    status: statusOf(summary),
    trials: meta.trials ?? 1,
    trialPassRate: meta.trialPassRate ?? 1,
    statistics: meta.statistics ?? { confidence: 0.95, method: 't', resamples: 2000, seed: 0 },
    rows: [...rows].sort((a, b) => a.index - b.index || a.trial - b.trial).map(toReportRow),
    metrics: summary?.metrics ?? {},
    thresholds: (summary?.thresholds ?? []).map((g) => ({ ...g })),
    maxErrors: meta.maxErrors,
    erroredRows: summary?.erroredRows ?? 0,
    datasetRows: meta.datasetRows,
    failures: summary?.failures ?? [],
    usage: usageOf(rows),
    ...(summary?.agreement === undefined ? {} : { agreement: summary.agreement }),
  }
}

type UsageCounts = ReportUsage['judges'][string]

/**
 * Usage while it is summed: money in integer micro-dollars, so a sum of many small costs is
 * exact (0.1 + 0.2 is not 0.3 in floating point); `null` once a paid request had no price.
 */
interface Tally {
  requests: number
  cacheHits: number
  inputTokens: number
  outputTokens: number
  costMicros: number | null
}

function zeroTally(): Tally {
  return { requests: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 }
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0
}

/** Dollars to integer micro-dollars (a request's cost is rounded once, to the micro-dollar). */
function toMicros(usd: number): number {
  return Math.round(usd * 1e6)
}

/** Adds one usage record; a known cost plus an unknown one is unknown (null), never a guess. */
function addUsage(into: Tally, u: Record<string, unknown>, costMicros: number | null): void {
  into.requests += count(u.requests)
  into.cacheHits += count(u.cacheHits)
  into.inputTokens += count(u.inputTokens)
  into.outputTokens += count(u.outputTokens)
  const paid = count(u.requests) > 0
  if (into.costMicros !== null) {
    into.costMicros =
      costMicros === null ? (paid ? null : into.costMicros) : into.costMicros + costMicros
  }
}

/** The tally of one judge, created on first use. */
function tallyOf(judges: Map<string, Tally>, name: string): Tally {
  let t = judges.get(name)
  if (t === undefined) {
    t = zeroTally()
    judges.set(name, t)
  }
  return t
}

function costOf(u: Record<string, unknown>): number | null {
  return typeof u.costUsd === 'number' && Number.isFinite(u.costUsd) && u.costUsd >= 0
    ? toMicros(u.costUsd)
    : null
}

function toCounts(t: Tally): UsageCounts {
  // No judge call at all: no cost is known, so none is claimed.
  const none = t.requests === 0 && t.cacheHits === 0
  return {
    requests: t.requests,
    cacheHits: t.cacheHits,
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    costUsd: none || t.costMicros === null ? null : t.costMicros / 1e6,
  }
}

function toUsage(total: Tally, judges: Map<string, Tally>): ReportUsage {
  const out: ReportUsage = { ...toCounts(total), judges: {} }
  for (const [name, t] of judges) out.judges[name] = toCounts(t)
  return out
}

/**
 * Judge usage of some rows, summed from each judge Feedback's `metadata.usage`
 * (`{ requests, cacheHits, inputTokens, outputTokens, costUsd }`), per judge (scorer name) and
 * in total.
 */
function usageOf(rows: ReadonlyArray<RowResult | ReportRow>): ReportUsage {
  const total = zeroTally()
  const judges = new Map<string, Tally>()
  for (const row of rows) {
    for (const fb of row.feedback) {
      const u = fb.metadata?.usage
      if (typeof u !== 'object' || u === null) continue
      const record = u as Record<string, unknown>
      const cost = costOf(record)
      addUsage(total, record, cost)
      addUsage(tallyOf(judges, fb.scorer), record, cost)
    }
  }
  return toUsage(total, judges)
}

/** The run's usage: every eval's, summed per judge and in total. */
function sumUsage(evals: readonly EvalReport[]): ReportUsage {
  const total = zeroTally()
  const judges = new Map<string, Tally>()
  for (const e of evals) {
    for (const [name, j] of Object.entries(e.usage.judges)) {
      const record = j as unknown as Record<string, unknown>
      const cost = costOf(record)
      addUsage(total, record, cost)
      addUsage(tallyOf(judges, name), record, cost)
    }
  }
  return toUsage(total, judges)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Assembles the JSON artifact from what each eval attached to Vitest's task meta. It decides
 * nothing: statuses, aggregates and gates come from each eval's worker-computed `summary`
 * (an eval with `summary: null`, where no row ran, is `skipped`); the run fails when any eval
 * failed. Rows are ordered by index and evals by file then name (code-unit order, independent
 * of locale), so the same results give the same artifact however they were sharded.
 *
 * @example
 * ```ts
 * const report = buildReport({
 *   evals: [{ meta: suiteMeta, rows: rowResults }],
 *   startedAt: new Date(),
 *   durationMs: 1234,
 *   version: '0.1.0',
 * })
 * report.status // 'passed' | 'failed'
 * ```
 */
export function buildReport(input: BuildReportInput): Report {
  const evals = input.evals
    .map(({ meta, rows }) => toEvalReport(meta, rows))
    .sort((a, b) => compare(a.file, b.file) || compare(a.name, b.name))
  const errors = [...(input.errors ?? []), ...duplicateNames(evals)].sort(
    (a, b) => compare(a.file, b.file) || compare(a.message, b.message),
  )
  const failed =
    input.hostFailed ||
    errors.length > 0 ||
    input.evals.some(({ meta }) => meta.summary !== null && !meta.summary.passed)
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: {
      name: 'evalgate',
      version: input.version,
      host: input.host.name,
      hostVersion: input.host.version,
    },
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    status: failed ? 'failed' : 'passed',
    partial: evals.some((e) => e.status === 'partial' || e.status === 'skipped'),
    evals,
    errors,
    usage: sumUsage(evals),
  }
}

/**
 * Evals are found by name (`fromReport`, `evalgate compare`): two evals of one name in one run
 * are an error in the report, naming both files.
 */
function duplicateNames(evals: readonly EvalReport[]): Array<{ file: string; message: string }> {
  const byName = new Map<string, string[]>()
  for (const e of evals) {
    const files = byName.get(e.name)
    if (files === undefined) byName.set(e.name, [e.file])
    else files.push(e.file)
  }
  const out: Array<{ file: string; message: string }> = []
  for (const [name, files] of byName) {
    if (files.length < 2) continue
    out.push({
      file: files[0]!,
      message: `evalgate: ${files.length} evals are named ${JSON.stringify(name)} (in ${files.join(', ')}); eval names must be unique in a run, since reports, fromReport and evalgate compare find evals by name`,
    })
  }
  return out
}
