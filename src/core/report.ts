import { isReportRowShape } from './fast-check.js'
import type { EvalSuiteMeta } from './meta.js'
import type { EvalReport, Report, ReportUsage } from './report-schema.js'
import type { RowResult } from './run.js'

export type { EvalReport, Report, ReportUsage } from './report-schema.js'

/**
 * The artifact's format version. It changes only when a reader of version 1 could misread a
 * new artifact (a field removed, renamed or retyped); new optional fields do not bump it.
 *
 * @example
 * ```ts
 * if (report.schemaVersion !== REPORT_SCHEMA_VERSION) throw new Error('unsupported report')
 * ```
 */
export const REPORT_SCHEMA_VERSION = 1

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
    id: row.id,
    inputs: row.inputs,
    // `undefined` does not survive JSON: a task that returned nothing is recorded as null.
    outputs: row.outputs === undefined ? null : row.outputs,
    expectations: row.expectations,
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

function toEvalReport(meta: EvalSuiteMeta, rows: ReadonlyArray<RowResult>): EvalReport {
  const summary = meta.summary
  return {
    name: meta.name,
    file: meta.file,
    status: summary === null ? 'skipped' : summary.passed ? 'passed' : 'failed',
    rows: [...rows].sort((a, b) => a.index - b.index).map(toReportRow),
    metrics: summary?.metrics ?? {},
    thresholds: (summary?.thresholds ?? []).map((g) => ({ ...g })),
    maxErrors: meta.maxErrors,
    erroredRows: summary?.erroredRows ?? 0,
    datasetRows: meta.datasetRows,
    failures: summary?.failures ?? [],
    usage: usageOf(rows),
  }
}

type UsageCounts = ReportUsage['judges'][string]

function zeroCounts(): UsageCounts {
  return { requests: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0
}

/** Adds one usage record; a known cost plus an unknown one is unknown (null), never a guess. */
function addCounts(into: UsageCounts, u: Record<string, unknown>): void {
  into.requests += count(u.requests)
  into.cacheHits += count(u.cacheHits)
  into.inputTokens += count(u.inputTokens)
  into.outputTokens += count(u.outputTokens)
  const paid = count(u.requests) > 0
  const cost = typeof u.costUsd === 'number' && Number.isFinite(u.costUsd) ? u.costUsd : null
  if (into.costUsd !== null)
    into.costUsd = cost === null ? (paid ? null : into.costUsd) : into.costUsd + cost
}

function finish(usage: ReportUsage): ReportUsage {
  // No judge call at all: no cost is known, so none is claimed.
  if (usage.requests === 0 && usage.cacheHits === 0) usage.costUsd = null
  for (const j of Object.values(usage.judges))
    if (j.requests === 0 && j.cacheHits === 0) j.costUsd = null
  return usage
}

/**
 * Judge usage of some rows, summed from each judge Feedback's `metadata.usage`
 * (`{ requests, cacheHits, inputTokens, outputTokens, costUsd }`), per judge (scorer name) and
 * in total.
 */
function usageOf(rows: ReadonlyArray<RowResult | ReportRow>): ReportUsage {
  const usage: ReportUsage = { ...zeroCounts(), judges: {} }
  for (const row of rows) {
    for (const fb of row.feedback) {
      const u = fb.metadata?.usage
      if (typeof u !== 'object' || u === null) continue
      const record = u as Record<string, unknown>
      addCounts(usage, record)
      usage.judges[fb.scorer] ??= zeroCounts()
      addCounts(usage.judges[fb.scorer]!, record)
    }
  }
  return finish(usage)
}

/** The run's usage: every eval's, summed per judge and in total. */
function sumUsage(evals: readonly EvalReport[]): ReportUsage {
  const usage: ReportUsage = { ...zeroCounts(), judges: {} }
  for (const e of evals) {
    for (const [name, j] of Object.entries(e.usage.judges)) {
      const record = { ...j, costUsd: j.costUsd }
      addCounts(usage, record)
      usage.judges[name] ??= zeroCounts()
      addCounts(usage.judges[name]!, record)
    }
  }
  return finish(usage)
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
  const errors = [...(input.errors ?? [])].sort(
    (a, b) => compare(a.file, b.file) || compare(a.message, b.message),
  )
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'evalgate', version: input.version },
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    status: evals.some((e) => e.status === 'failed') || errors.length > 0 ? 'failed' : 'passed',
    evals,
    errors,
    usage: sumUsage(evals),
  }
}
