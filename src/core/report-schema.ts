import type { z } from 'zod'
import { lazySchema, loadZod, once } from '../base/zod.js'
import { REPORT_SCHEMA_VERSION } from './report-version.js'

// The zod schema of the artifact, in a module of its own: the reporter loads it (and zod) only
// when it validates, not when Vitest starts.

/**
 * One run of one dataset row (one trial) in the artifact. Every value is JSON-safe: inputs,
 * outputs, expectations and metadata are copies made when the row finished (the trace rules).
 */
export const ReportRowSchema = lazySchema(() => schemas().ReportRowSchema)

/**
 * The zod schema of the JSON artifact (`evalgate-report.json`, schema version 2). The reporter
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
export const ReportSchema = lazySchema(() => schemas().ReportSchema)

function buildReportSchemas() {
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

  /**
   * One metric's judgement of one row. `value` and `error` both `null`: the scorer abstained for
   * this row (it returned `null` or an empty array), and the metric counts the row as `skipped`.
   */
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

  const ReportRowSchema = z.strictObject({
    /** The dataset row. */
    index: z.int().nonnegative(),
    /** The trial of that row, from 0 (one entry per row and trial). */
    trial: z.int().nonnegative(),
    id: z.union([z.string(), z.number()]).nullable(),
    inputs: z.record(z.string(), z.unknown()),
    outputs: z.unknown(),
    expectations: z.record(z.string(), z.unknown()).nullable(),
    /** The dataset row's `metadata`, as scorers received it. */
    metadata: z.record(z.string(), z.unknown()).nullable(),
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
      /** Rows whose scorer abstained (returned `null`): counted, never a score or an error. */
      skipped: z.int().nonnegative(),
      /**
       * Aggregations that have no value because computing them failed (a custom aggregation threw
       * or returned a non-finite number, a value overflowed): name → reason. Absent when none did.
       */
      aggregationErrors: z.record(z.string(), z.string()).optional(),
      /** The standard error of the mean, clustered by dataset row; `null` with fewer than 2 rows. */
      stderr: z.number().nullable().optional(),
      /** The confidence interval of the mean at `statistics.confidence`; `null` without one. */
      ci: z
        .strictObject({
          level: z.number().gt(0).lt(1),
          method: z.enum(['t', 'wilson', 'bootstrap']),
          low: z.number(),
          high: z.number(),
        })
        .nullable()
        .optional(),
      /** Rows whose trials disagree on the metric (some passed, some failed). */
      flaky: z.int().nonnegative().optional(),
    })
    // Every builtin aggregation and each custom one by name: a number, or null without a value.
    .catchall(z.number().nullable())

  const GateSchema = z.strictObject({
    key: z.string(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** The confidence level the gate asks for (its bound is then an interval's end). */
    confidence: z.number().gt(0).lt(1).optional(),
    /** `'plausible'`: the gate fails only when the whole interval is on the wrong side. */
    require: z.literal('plausible').optional(),
    actual: z.number().nullable(),
    /** The value compared with the target when it is not `actual` (an interval's bound). */
    bound: z.number().nullable().optional(),
    /** `null`: not evaluated (a partial run: rows were left out). */
    passed: z.boolean().nullable(),
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
    /**
     * `skipped`: no row of the eval ran (e.g. all filtered out by `-t`). `partial`: some rows
     * were left out (`-t`, `.only`, a shard), so its gates were not evaluated; a row that failed
     * its test still fails the run (see the report's `status`).
     */
    status: z.enum(['passed', 'failed', 'skipped', 'partial']),
    /** Runs of each dataset row. */
    trials: z.int().positive(),
    /** The share of a row's trials that had to pass each metric (unit-test mode). */
    trialPassRate: z.number().gt(0).lte(1).optional(),
    /** How the confidence intervals were computed, so that a merge recomputes the same ones. */
    statistics: z
      .strictObject({
        confidence: z.number().gt(0).lt(1),
        method: z.enum(['t', 'bootstrap']),
        resamples: z.int().min(100),
        seed: z.int().nonnegative(),
      })
      .optional(),
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
    /** Per judged metric whose rows carry human labels: how the judge agrees with them. */
    agreement: z
      .record(
        z.string(),
        z.strictObject({
          n: z.int().positive(),
          accuracy: z.number().min(0).max(1),
          kappa: z.number().min(-1).max(1).nullable(),
          tpr: z.number().min(0).max(1).nullable(),
          tnr: z.number().min(0).max(1).nullable(),
          confusion: z.strictObject({
            tp: z.int().nonnegative(),
            fp: z.int().nonnegative(),
            fn: z.int().nonnegative(),
            tn: z.int().nonnegative(),
          }),
          corrected: z.union([
            z.strictObject({
              estimate: z.number().min(0).max(1),
              low: z.number(),
              high: z.number(),
              level: z.number().gt(0).lt(1),
              method: z.literal('delta'),
            }),
            z.strictObject({ estimate: z.null(), reason: z.string() }),
          ]),
        }),
      )
      .optional(),
  })

  const ReportSchema = z
    .strictObject({
      schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
      tool: z.strictObject({
        name: z.literal('evalgate'),
        version: z.string(),
        host: z.enum(['vitest', 'jest']),
        hostVersion: z.string(),
      }),
      /** ISO 8601 (UTC) time the run started (of a merge: the earliest shard's). */
      startedAt: z.iso.datetime(),
      /** The run's wall time (of a merge: the longest shard's). */
      durationMs: z.number().nonnegative(),
      /**
       * `failed` exactly when the test run failed (its exit code is not 0): an eval failed, a row
       * test failed, a test file failed outside its rows (see `errors`), or any other test failed.
       */
      status: z.enum(['passed', 'failed']),
      /** Some rows of some eval were left out (`-t`, `.only`, shards): its gates were not evaluated. */
      partial: z.boolean(),
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
  return { ReportRowSchema, ReportSchema }
}

const schemas = once(buildReportSchemas)

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
  return loadZod().z.toJSONSchema(schemas().ReportSchema, { target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >
}
