import type { z } from 'zod'
import { lazySchema, loadZod, once } from '../base/zod.js'
import { COMPARISON_SCHEMA_VERSION } from './compare-version.js'

// The zod schema of `evalgate compare --json`, in a module of its own (as report-schema.ts):
// compare.ts imports only its types, so comparing in a reporter loads no zod.

export { COMPARISON_SCHEMA_VERSION }

/**
 * The zod schema of a comparison of two artifacts (`evalgate compare --json`), from which
 * `evalgate/compare-schema.json` is generated.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * const diff = ComparisonSchema.parse(JSON.parse(readFileSync('compare.json', 'utf8')))
 * if (diff.regression) process.exitCode = 1
 * ```
 */
export const ComparisonSchema = lazySchema(() => schemas().ComparisonSchema)

function buildComparisonSchemas() {
  const { z } = loadZod()
  const SideSchema = z.strictObject({
    /** The artifact's path, as given. */
    file: z.string(),
    startedAt: z.string(),
    status: z.enum(['passed', 'failed']),
    /** The evalgate version that wrote it. */
    version: z.string(),
  })

  const RowRefSchema = z.strictObject({
    index: z.int().nonnegative(),
    id: z.union([z.string(), z.number()]).nullable(),
  })

  const FlipSideSchema = z.strictObject({
    /** Whether the row passed the metric: its share of passing trials ≥ the eval's trialPassRate. */
    passed: z.boolean(),
    /** Trials with a pass verdict, and how many of them passed. */
    trials: z.int().positive(),
    passes: z.int().nonnegative(),
    /** The value of the trial shown (the first that passed or failed as the row did). */
    value: z.unknown(),
    rationale: z.string().nullable(),
  })

  const FlipSchema = z.strictObject({
    metric: z.string(),
    /** `regressed`: passed in the baseline, fails in the candidate; `improved`: the reverse. */
    change: z.enum(['regressed', 'improved']),
    id: z.union([z.string(), z.number()]).nullable(),
    baselineIndex: z.int().nonnegative(),
    candidateIndex: z.int().nonnegative(),
    baseline: FlipSideSchema,
    candidate: FlipSideSchema,
  })

  const VERDICTS = [
    'regression',
    'improvement',
    'within margin',
    'no significant change',
    'not compared',
  ] as const

  const MetricComparisonSchema = z.strictObject({
    name: z.string(),
    direction: z.enum(['higher', 'lower']),
    /** What decided the direction: `--direction`, a gate's min or max, latency, or the default. */
    directionSource: z.enum(['option', 'gate', 'latency', 'default']),
    /** Every scored value on both sides was a boolean or yes/no. */
    binary: z.boolean(),
    /** Rows with a value of the metric on both sides (trials averaged per row). */
    pairs: z.int().nonnegative(),
    /** Mean over the paired rows of each row's mean over its trials. */
    baseline: z.number().nullable(),
    candidate: z.number().nullable(),
    /** candidate − baseline, the mean paired difference. */
    diff: z.number().nullable(),
    /** Its standard error (rows are the clusters: one paired difference per row). */
    stderr: z.number().nullable(),
    ci: z
      .strictObject({ level: z.number().gt(0).lt(1), low: z.number(), high: z.number() })
      .nullable(),
    df: z.int().nonnegative().nullable(),
    /** Paired t-test p-value (two-sided). */
    pValue: z.number().min(0).max(1).nullable(),
    /** McNemar's exact test on rows whose pass verdict flipped (yes/no and boolean metrics). */
    mcnemar: z
      .strictObject({
        failToPass: z.int().nonnegative(),
        passToFail: z.int().nonnegative(),
        pValue: z.number().min(0).max(1),
      })
      .nullable(),
    /** Paired rows whose row mean moved in the better direction, the worse one, or not at all. */
    rows: z.strictObject({
      improved: z.int().nonnegative(),
      regressed: z.int().nonnegative(),
      unchanged: z.int().nonnegative(),
    }),
    /** The tolerated worsening (`--margin`), in the metric's units; `null` without one. */
    margin: z.number().nonnegative().nullable(),
    verdict: z.enum(VERDICTS),
    /** Why, in words (the interval against 0 or the margin, or why nothing was compared). */
    reason: z.string(),
  })

  const EvalComparisonSchema = z.strictObject({
    name: z.string(),
    /** The candidate's test file (the baseline's when it differs is in `baselineFile`). */
    file: z.string(),
    baselineFile: z.string(),
    /** How rows were paired: by `id`, or by position when no row has one. */
    pairing: z.enum(['id', 'index']),
    pairedRows: z.int().nonnegative(),
    /** Rows only in the candidate. */
    added: z.array(RowRefSchema),
    /** Rows only in the baseline. */
    removed: z.array(RowRefSchema),
    metrics: z.array(MetricComparisonSchema),
    /** Rows whose pass verdict on a metric changed, regressions first. */
    flips: z.array(FlipSchema),
    regression: z.boolean(),
  })

  const ComparisonSchema = z
    .strictObject({
      schemaVersion: z.literal(COMPARISON_SCHEMA_VERSION),
      tool: z.strictObject({ name: z.literal('evalgate'), version: z.string() }),
      /** The confidence level of every interval. */
      confidence: z.number().gt(0).lt(1),
      baseline: SideSchema,
      candidate: SideSchema,
      /** Some metric of some eval regressed. */
      regression: z.boolean(),
      evals: z.array(EvalComparisonSchema),
      /** Evals only in the candidate, and only in the baseline. */
      addedEvals: z.array(z.string()),
      removedEvals: z.array(z.string()),
    })
    .meta({
      title: 'evalgate comparison',
      description:
        'evalgate compare --json: per eval and metric, the paired difference between a baseline and a candidate artifact, its interval, tests and verdict, and the rows that flipped.',
    })
  return { ComparisonSchema }
}

const schemas = once(buildComparisonSchemas)

/**
 * A comparison of a baseline and a candidate artifact.
 *
 * @example
 * ```ts
 * const regressed = comparison.evals.flatMap((e) => e.metrics.filter((m) => m.verdict === 'regression'))
 * ```
 */
export type Comparison = z.infer<typeof ComparisonSchema>

/**
 * One eval of a {@link Comparison}.
 *
 * @example
 * ```ts
 * const flips: EvalComparison['flips'] = evalComparison.flips.filter((f) => f.change === 'regressed')
 * ```
 */
export type EvalComparison = Comparison['evals'][number]

/**
 * One metric of an {@link EvalComparison}.
 *
 * @example
 * ```ts
 * const shown = `${m.name}: ${m.diff} (${m.verdict})`
 * ```
 */
export type MetricComparison = EvalComparison['metrics'][number]

/**
 * The verdict on a metric: `regression` (the whole interval of the difference is on the worse
 * side, beyond the margin), `improvement` (wholly on the better side), `within margin` (wholly
 * worse, not wholly beyond the margin), `no significant change` (the interval holds 0), or
 * `not compared` (too few paired rows, or the metric is on one side only).
 *
 * @example
 * ```ts
 * const bad: Verdict = 'regression'
 * ```
 */
export type Verdict = MetricComparison['verdict']

/**
 * The JSON Schema (draft 2020-12) of {@link ComparisonSchema}; the build writes it to
 * `dist/compare-schema.json` (`evalgate/compare-schema.json`).
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs'
 * writeFileSync('compare-schema.json', JSON.stringify(comparisonJsonSchema(), null, 2))
 * ```
 */
export function comparisonJsonSchema(): Record<string, unknown> {
  return loadZod().z.toJSONSchema(schemas().ComparisonSchema, {
    target: 'draft-2020-12',
  }) as Record<string, unknown>
}
