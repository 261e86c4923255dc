// Real artifacts for the merge and compare tests, made the way a host makes them: rows run by
// core's runRow (trials included), summarised by summarizeEval over the rows a shard ran (with
// the dataset's size, so a shard is partial), assembled by buildReport. Nothing hand-written.
import type { Row } from '../../src/core/dataset.js'
import { prepareEval, summarizeEval } from '../../src/core/evaluate.js'
import type { EvalSuiteMeta } from '../../src/core/meta.js'
import { buildReport, type Report } from '../../src/core/report.js'
import { ReportSchema } from '../../src/core/report-schema.js'
import { type RowResult, runRow, type Task } from '../../src/core/run.js'
import type { Scorer } from '../../src/core/scorer.js'
import type { StatisticsOptions } from '../../src/core/statistics.js'
import type { Thresholds } from '../../src/core/thresholds.js'

/** One eval's definition and its dataset. */
export interface EvalDef {
  name: string
  file: string
  data: Row[]
  scorers: Scorer[]
  task?: Task
  thresholds?: Thresholds
  trials?: number
  maxErrors?: number
  statistics?: StatisticsOptions
  trialPassRate?: number
  agreement?: Record<string, string>
}

/** Every row × trial of an eval, run by core's runRow (the task's latency zeroed: timings aside). */
export async function runAll(def: EvalDef): Promise<RowResult[]> {
  const prepared = prepareFor(def)
  const out: RowResult[] = []
  for (let index = 0; index < def.data.length; index++) {
    for (let trial = 0; trial < prepared.trials; trial++) {
      const r = await runRow({
        row: def.data[index]!,
        index,
        trial,
        scorers: prepared.scorers,
        task: def.task,
      })
      if (r.latencyMs !== null) r.latencyMs = ((index * 7 + trial * 3) % 50) + 10
      out.push(r)
    }
  }
  return out
}

export function prepareFor(def: EvalDef) {
  return prepareEval({
    scorers: def.scorers,
    thresholds: def.thresholds,
    maxErrors: def.maxErrors,
    hasTask: def.task !== undefined,
    trials: def.trials,
    trialPassRate: def.trialPassRate,
    statistics: def.statistics,
    ...(def.agreement === undefined ? {} : { agreement: def.agreement }),
  })
}

/**
 * The artifact of a run of `evals`, each with the rows given (a subset for a shard). An eval
 * with no rows is skipped, as a host records it.
 */
export function artifactOf(
  evals: ReadonlyArray<{ def: EvalDef; rows: readonly RowResult[] }>,
  options: { startedAt?: string; durationMs?: number; hostFailed?: boolean } = {},
): Report {
  const built = buildReport({
    evals: evals.map(({ def, rows }) => {
      const prepared = prepareFor(def)
      const meta: EvalSuiteMeta = {
        kind: 'eval',
        name: def.name,
        file: def.file,
        hasTask: prepared.hasTask,
        metrics: [...prepared.metrics],
        gates: [...prepared.gates],
        maxErrors: prepared.maxErrors,
        datasetRows: def.data.length,
        trials: prepared.trials,
        trialPassRate: prepared.trialPassRate,
        statistics: prepared.statistics,
        summary:
          rows.length === 0
            ? null
            : summarizeEval(prepared, rows, { datasetRows: def.data.length }),
      }
      return { meta, rows }
    }),
    startedAt: new Date(options.startedAt ?? '2026-01-01T00:00:00.000Z'),
    durationMs: options.durationMs ?? 1000,
    version: '0.1.0',
    host: { name: 'vitest', version: '4.1.12' },
    hostFailed: options.hostFailed ?? false,
  })
  // Through JSON, as a file holds it, and checked against the schema (zod's output is not
  // kept: it orders keys as the schema lists them, which a written artifact does not).
  const copy = JSON.parse(JSON.stringify(built)) as Report
  ReportSchema.parse(copy)
  return copy
}

/** The report without its timings (a merge keeps the shards' own). */
export function withoutTimings(r: Report): Omit<Report, 'startedAt' | 'durationMs'> {
  const { startedAt: _s, durationMs: _d, ...rest } = r
  return rest
}
