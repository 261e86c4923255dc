/**
 * `evalgate/scorers`: code scorers that need no LLM. Each is a factory returning a Scorer whose
 * Feedback carries a rationale saying why it failed. Text scorers read `outputs` (non-strings as
 * their JSON text) and, where they compare, `expectations.expected_response`; trace scorers read
 * the row's trace (`toolCallTrajectory` vs `expectations.tool_calls`, `retrievedDocumentRecall`
 * vs `expectations.relevant_document_ids`, `latency`). Every factory takes `name` to rename its
 * metric.
 *
 * @packageDocumentation
 */
export { isJson, matchesSchema, type StandardSchema } from './json.js'
export { type LatencyOptions, latency } from './latency.js'
export { type NumericDiffOptions, numericDiff } from './numeric.js'
export { type RetrievedDocumentRecallOptions, retrievedDocumentRecall } from './retrieval.js'
export type { BaseScorerOptions } from './shared.js'
export {
  type ExactMatchOptions,
  exactMatch,
  type IncludesOptions,
  includes,
  type LevenshteinOptions,
  levenshtein,
  regex,
} from './text.js'
export {
  type ToolCallTrajectoryOptions,
  type TrajectoryMode,
  toolCallTrajectory,
} from './trajectory.js'
