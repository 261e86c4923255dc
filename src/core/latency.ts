// The name of the metric a task's latency is recorded under, in a module of its own: readers
// of artifacts (the comparison, in a worker thread) use it without loading how evals run.

/**
 * The metric every eval with a task records: the task's wall time per row.
 *
 * @example
 * ```ts
 * report.evals[0].metrics[LATENCY_METRIC]?.p90 // the 90th percentile latency, in ms
 * ```
 */
export const LATENCY_METRIC = 'latency_ms'
