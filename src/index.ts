/**
 * evalgate core: scorers, Feedback, the score and pass rules, aggregations, thresholds,
 * datasets and a framework-free runner. Imports nothing but zod and csv-parse.
 *
 * @packageDocumentation
 */
export {
  type AggregationSpec,
  aggregateMetric,
  BUILTIN_AGGREGATIONS,
  type BuiltinAggregation,
  type CustomAggregation,
  type MetricObservations,
  type MetricSummary,
  percentile,
} from './core/aggregate.js'
export {
  type DataSource,
  type LoadOptions,
  loadDataset,
  type Row,
  RowSchema,
} from './core/dataset.js'
export { EvalgateError } from './core/errors.js'
export {
  type EvalConfig,
  type EvalRun,
  type EvalSummary,
  LATENCY_METRIC,
  type PreparedEval,
  prepareEval,
  type RunEvalOptions,
  runEval,
  summarizeEval,
} from './core/evaluate.js'
export {
  type RowResult,
  type RunRowOptions,
  runRow,
  type Task,
  type TaskContext,
} from './core/run.js'
export { type FeedbackResult, passes, toScore } from './core/score.js'
export {
  type Feedback,
  type FeedbackError,
  type FeedbackSource,
  type FeedbackValue,
  normalizeFeedback,
  type Scorer,
  type ScorerContext,
  type ScorerOptions,
  type ScorerReturn,
  scorer,
} from './core/scorer.js'
export {
  evaluateGates,
  type Gate,
  type GateResult,
  parseThresholds,
  type Thresholds,
  type ThresholdValue,
} from './core/thresholds.js'
