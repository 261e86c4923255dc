import type { z } from 'zod'
import { lazySchema, loadZod, once } from '../base/zod.js'

// The zod schema of version 1 of the artifact (evalgate 0.1), kept so that readers of artifacts
// (fromReport, the evalgate command) still read old ones. Writers write version 2 only.

/** The zod schema of a version-1 artifact (internal: see report-read.ts). */
export const ReportSchemaV1 = lazySchema(() => schemas().ReportSchemaV1)

function buildReportSchemaV1() {
  const { z } = loadZod()
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

  /** One row of an eval in the artifact. */
  const ReportRowSchema = z.strictObject({
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

  const ReportSchemaV1 = z
    .strictObject({
      schemaVersion: z.literal(1),
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
  return { ReportSchemaV1 }
}

const schemas = once(buildReportSchemaV1)

/** A version-1 artifact, as evalgate 0.1 wrote it. */
export type ReportV1 = z.infer<typeof ReportSchemaV1>
