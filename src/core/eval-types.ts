// The shapes an eval is decided with: an eval prepared before any row runs, and its summary.
// In a module of their own so that the verdict code reads them without importing the runner.

import type { CustomAggregation, MetricSummary } from './aggregate.js'
import type { MetricAgreement } from './agreement.js'
import type { Scorer } from './scorer.js'
import type { Statistics } from './statistics.js'
import type { Gate, GateResult } from './thresholds.js'

/** An eval whose scorers, metric names, aggregations and thresholds have been checked. */
export interface PreparedEval {
  readonly scorers: readonly Scorer[]
  /** Metric names known before any row runs, in scorer order (`latency_ms` last). */
  readonly metrics: readonly string[]
  readonly custom: ReadonlyMap<string, readonly CustomAggregation[]>
  readonly gates: readonly Gate[]
  readonly maxErrors: number
  readonly hasTask: boolean
  /** Runs of each row (1 and up). */
  readonly trials: number
  /** In unit-test mode, the share of a row's trials that must pass each metric (0 to 1]. */
  readonly trialPassRate: number
  /** How confidence intervals are computed. */
  readonly statistics: Statistics
  /** Metric → path of its human label in a row, where the `agreement` option names one. */
  readonly agreement: ReadonlyMap<string, readonly string[]>
}

/** The eval-level outcome: per-metric aggregates, gate results and the verdict. */
export interface EvalSummary {
  /** Rows seen (one per row and trial). */
  rows: number
  /** Rows with a row error or at least one errored Feedback. */
  erroredRows: number
  /** Rows that did not pass (errored or failing a metric). */
  failedRows: number
  metrics: Record<string, MetricSummary>
  thresholds: GateResult[]
  maxErrors: number
  /**
   * Rows of the dataset were left out (`-t`, `.only`): the gates were not evaluated (`passed:
   * null`), and `passed` says only whether every row that ran passed its test.
   */
  partial: boolean
  passed: boolean
  /** Why the eval failed, one line each (empty when it passed). */
  failures: string[]
  /** Per judged metric with human labels: the judge's agreement with them. */
  agreement?: Record<string, MetricAgreement>
}
