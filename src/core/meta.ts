import type { EvalSummary } from './evaluate.js'
import type { RowResult } from './run.js'
import type { Statistics } from './statistics.js'
import type { Gate } from './thresholds.js'

/**
 * What an eval attaches to its suite's task meta (`meta.evalgate`): enough for a reporter to
 * print and write the eval without re-running anything. JSON-serialisable, so it survives
 * `--reporter=blob` and `--merge-reports`.
 */
export interface EvalSuiteMeta {
  kind: 'eval'
  name: string
  /** The test file, relative to the project root, with '/' separators. */
  file: string
  hasTask: boolean
  /** Metric names known before any row ran (declared, plus `latency_ms` with a task). */
  metrics: string[]
  gates: Gate[]
  maxErrors: number
  /** Row count of the dataset (rows filtered out by `-t` included). */
  datasetRows: number
  /** Runs of each row. */
  trials: number
  /** The share of a row's trials that must pass each metric (unit-test mode). */
  trialPassRate?: number
  /** How the eval's confidence intervals were computed (so a merge recomputes the same). */
  statistics?: Statistics
  /** The eval-level outcome over the rows that ran; `null` when no row ran. */
  summary: EvalSummary | null
}

/** What one row test attaches to its task meta (`meta.evalgate`). */
export interface EvalRowMeta {
  kind: 'row'
  /** The eval (suite) name. */
  eval: string
  /** The row's result, one per trial. */
  rows: RowResult[]
  /**
   * For `evalTest` (a single case outside any eval suite): the one-row eval it forms, so the
   * reporter lists it like any eval.
   */
  standalone?: EvalSuiteMeta
}

/** `meta.evalgate` of a task: an eval suite, a row test, or nothing of evalgate's. */
export type EvalgateMeta = EvalSuiteMeta | EvalRowMeta
