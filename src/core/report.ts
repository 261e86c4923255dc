import { z } from 'zod'
import type { EvalSuiteMeta } from './meta.js'
import type { RowResult } from './run.js'

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

const FeedbackErrorSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  stack: z.string().optional(),
})

const FeedbackSourceSchema = z.strictObject({
  type: z.enum(['CODE', 'LLM_JUDGE', 'HUMAN']),
  id: z.string().optional(),
})

const FeedbackValueSchema = z.union([
  z.boolean(),
  z.number(),
  z.string(),
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
])

const FeedbackSchema = z.strictObject({
  name: z.string(),
  scorer: z.string(),
  value: FeedbackValueSchema.nullable(),
  score: z.number().nullable(),
  /** `null`: no pass rule applies (numeric without threshold, or an unscored value). */
  passed: z.boolean().nullable(),
  rationale: z.string().nullable(),
  error: FeedbackErrorSchema.nullable(),
  source: FeedbackSourceSchema.nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
})

/** One row of an eval in the artifact (validated row by row as results arrive). */
export const ReportRowSchema = z.strictObject({
  index: z.int().nonnegative(),
  id: z.union([z.string(), z.number()]).nullable(),
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.unknown(),
  expectations: z.record(z.string(), z.unknown()).nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  feedback: z.array(FeedbackSchema),
  error: FeedbackErrorSchema.nullable(),
  passed: z.boolean(),
  trace: z.unknown(),
})

const MetricSchema = z
  .object({
    count: z.int().nonnegative(),
    errors: z.int().nonnegative(),
    unscored: z.int().nonnegative(),
  })
  // Every builtin aggregation and each custom one by name: a number, or null without a value.
  .catchall(z.number().nullable())

const GateSchema = z.strictObject({
  key: z.string(),
  min: z.number().optional(),
  max: z.number().optional(),
  actual: z.number().nullable(),
  passed: z.boolean(),
  reason: z.string().optional(),
})

const UsageCountsSchema = z.strictObject({
  requests: z.int().nonnegative(),
  cacheHits: z.int().nonnegative(),
  inputTokens: z.int().nonnegative(),
  outputTokens: z.int().nonnegative(),
  /** `null` when the price of a model used is unknown: never an invented cost. */
  costUsd: z.number().nonnegative().nullable(),
})

const UsageSchema = UsageCountsSchema.extend({
  judges: z.record(z.string(), UsageCountsSchema),
})

const EvalSchema = z.strictObject({
  name: z.string(),
  /** The test file, relative to the project root, with '/' separators. */
  file: z.string(),
  /** `skipped`: no row of the eval ran (e.g. all filtered out by `-t`). */
  status: z.enum(['passed', 'failed', 'skipped']),
  rows: z.array(ReportRowSchema),
  metrics: z.record(z.string(), MetricSchema),
  thresholds: z.array(GateSchema),
  maxErrors: z.int().nonnegative(),
  erroredRows: z.int().nonnegative(),
  /** Rows in the dataset, including rows that did not run (filtered by `-t`). */
  datasetRows: z.int().nonnegative(),
  /** Why the eval failed, one line each (empty when it passed). */
  failures: z.array(z.string()),
  /** LLM judge usage of this eval's rows. */
  usage: UsageSchema,
})

/**
 * The zod schema of the JSON artifact (`evalgate-report.json`, schema version 1). The reporter
 * validates every report against it before writing, and `evalgate/schema.json` is generated
 * from it, so the two never disagree.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * const report = ReportSchema.parse(JSON.parse(readFileSync('evalgate-report.json', 'utf8')))
 * for (const e of report.evals) console.log(e.name, e.status)
 * ```
 */
export const ReportSchema = z
  .strictObject({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    tool: z.strictObject({ name: z.literal('evalgate'), version: z.string() }),
    /** ISO 8601 (UTC) time the run started. */
    startedAt: z.iso.datetime(),
    durationMs: z.number().nonnegative(),
    /** `failed` when any eval failed, or a test file failed outside its rows (see `errors`). */
    status: z.enum(['passed', 'failed']),
    evals: z.array(EvalSchema),
    /**
     * Test files that failed before or outside their rows (a bad dataset or threshold, a syntax
     * error): such an eval has no rows to report, and is listed here so it is never lost.
     */
    errors: z.array(z.strictObject({ file: z.string(), message: z.string() })),
    usage: UsageSchema,
  })
  .meta({
    title: 'evalgate report',
    description:
      'The JSON artifact written by the evalgate reporter: per eval, every row with its feedback, per-metric aggregates and threshold gates.',
  })

/**
 * A whole evalgate report, as written to the JSON artifact.
 *
 * @example
 * ```ts
 * const failed: string[] = report.evals.filter((e) => e.status === 'failed').map((e) => e.name)
 * ```
 */
export type Report = z.infer<typeof ReportSchema>

/**
 * One eval of a {@link Report}.
 *
 * @example
 * ```ts
 * const gates: EvalReport['thresholds'] = evalReport.thresholds.filter((g) => !g.passed)
 * ```
 */
export type EvalReport = Report['evals'][number]

/**
 * Judge usage of a run (requests, cache hits, tokens, cost) in total and per judge.
 *
 * @example
 * ```ts
 * const usage: ReportUsage = emptyUsage()
 * usage.requests // 0
 * ```
 */
export type ReportUsage = Report['usage']

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
  evals: ReadonlyArray<{ meta: EvalSuiteMeta; rows: ReadonlyArray<RowResult | ReportRow> }>
  startedAt: Date
  durationMs: number
  /** evalgate's version, for `tool.version`. */
  version: string
  /** Rows already made by {@link toReportRow} (during the run): used as they are. */
  prepared?: { has(row: object): boolean } | undefined
  /** Test files that failed outside their rows (collection errors), relative to the root. */
  errors?: ReadonlyArray<{ file: string; message: string }> | undefined
}

/** One row of an eval in the artifact. */
export type ReportRow = EvalReport['rows'][number]

/**
 * A RowResult as the artifact holds it: exactly the artifact's fields, so extra fields on a
 * RowResult never leak into it.
 *
 * @example
 * ```ts
 * ReportRowSchema.parse(toReportRow(rowResult))
 * ```
 */
export function toReportRow(row: RowResult): ReportRow {
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

function toEvalReport(
  meta: EvalSuiteMeta,
  rows: ReadonlyArray<RowResult | ReportRow>,
  prepared: { has(row: object): boolean } | undefined,
): EvalReport {
  const summary = meta.summary
  return {
    name: meta.name,
    file: meta.file,
    status: summary === null ? 'skipped' : summary.passed ? 'passed' : 'failed',
    rows: [...rows]
      .sort((a, b) => a.index - b.index)
      .map((r) => (prepared?.has(r) ? (r as ReportRow) : toReportRow(r as RowResult))),
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
    .map(({ meta, rows }) => toEvalReport(meta, rows, input.prepared))
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

/**
 * The JSON Schema (draft 2020-12) of the artifact, generated from {@link ReportSchema}; the
 * build writes it to `dist/schema.json` (`evalgate/schema.json`).
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs'
 * writeFileSync('schema.json', JSON.stringify(toJSONSchema(), null, 2))
 * ```
 */
export function toJSONSchema(): Record<string, unknown> {
  return z.toJSONSchema(ReportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>
}
