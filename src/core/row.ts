// The dataset row type, in a module of its own so that every loader (csv.ts) shares it
// without importing the dataset module that loads it.

/**
 * One dataset row, with MLflow's field names. Only `inputs` is required; `outputs` holds a stored
 * answer to re-score without running a task, `expectations` the ground truth scorers compare with,
 * `trace` a stored trace (`trace.toJSON()`, e.g. from an earlier report) for trace-aware scorers.
 * In a dataset, a row with a stored trace may omit `inputs` and `outputs`: they are taken from
 * the trace's root span (as MLflow does), so a loaded row always has `inputs`.
 *
 * `I` and `E` may be interfaces as well as type aliases (an interface is not assignable to
 * `Record<string, unknown>`, so the constraint is `object`); the defaults are what a row read
 * from a file holds.
 *
 * @example
 * ```ts
 * const row: Row<{ question: string }, { expected_response: string }> = {
 *   id: 'capital-fr',
 *   inputs: { question: 'What is the capital of France?' },
 *   expectations: { expected_response: 'Paris' },
 * }
 * ```
 */
export interface Row<
  I extends object = Record<string, unknown>,
  E extends object = Record<string, unknown>,
> {
  inputs: I
  outputs?: unknown
  expectations?: E
  trace?: unknown
  id?: string | number
  metadata?: Record<string, unknown>
}
