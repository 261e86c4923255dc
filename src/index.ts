/**
 * evalgate core: scorers, Feedback, the score and pass rules, aggregations, thresholds,
 * datasets, traces and a framework-free runner. Imports nothing but zod and csv-parse.
 *
 * @packageDocumentation
 */

export { EvalgateError } from './base/errors.js'
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
export type { AgreementOption, MetricAgreement } from './core/agreement.js'
export {
  type CompareOptions,
  type CompareSide,
  type Comparison,
  compareReports,
  type EvalComparison,
  type MetricComparison,
  type Verdict,
} from './core/compare.js'
export { ComparisonSchema } from './core/compare-schema.js'
export {
  type DataSource,
  type DataSourceContext,
  type LoadOptions,
  loadDataset,
  type Row,
  RowSchema,
} from './core/dataset.js'
export {
  type EvalConfig,
  type EvalRun,
  type EvalSummary,
  LATENCY_METRIC,
  type PreparedEval,
  prepareEval,
  type RunEvalOptions,
  runEval,
  type SummarizeOptions,
  summarizeEval,
} from './core/evaluate.js'
export { type FromReportOptions, fromReport } from './core/from-report.js'
export { type MergeInput, mergeReports } from './core/merge.js'
export {
  type EvalReport,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportUsage,
} from './core/report.js'
export { readReportFile } from './core/report-file.js'
export { parseReport } from './core/report-read.js'
export { ReportSchema, toJSONSchema as reportJsonSchema } from './core/report-schema.js'
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
  isAbstention,
  normalizeFeedback,
  type Scorer,
  type ScorerContext,
  type ScorerOptions,
  type ScorerReturn,
  scorer,
} from './core/scorer.js'
export {
  inShard,
  parseShard,
  type RowKey,
  type Shard,
  shardFromEnv,
  shardOf,
} from './core/shard.js'
export type { EvalTestOptions } from './core/single-case.js'
export type { StatisticsOptions } from './core/statistics.js'
export {
  evaluateGates,
  type Gate,
  type GateResult,
  type MetricKind,
  parseThresholds,
  type Thresholds,
  type ThresholdValue,
} from './core/thresholds.js'
export {
  type CaptureTraceOptions,
  captureTrace,
  getCurrentTrace,
  type InstrumentOpenAIOptions,
  instrumentOpenAI,
  SPAN_TYPES,
  type Span,
  type SpanFilter,
  type SpanHandle,
  type SpanJSON,
  type SpanStatus,
  type SpanType,
  type StartSpanOptions,
  startSpan,
  TRACE_MAX_VALUE_BYTES,
  Trace,
  type TracedOptions,
  type TraceJSON,
  type TraceJSONOptions,
  TraceJSONSchema,
  type TruncatedValue,
  traced,
  withoutTracing,
} from './trace/index.js'
