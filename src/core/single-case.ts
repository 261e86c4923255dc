import { describeValue, EvalgateError } from '../base/errors.js'
import { DEFAULT_TIMEOUT_MS } from './eval-options.js'
import { prepareEval, summarizeEval } from './evaluate.js'
import type { EvalSuiteMeta } from './meta.js'
import { type RowResult, runRow, type Task } from './run.js'
import type { Scorer } from './scorer.js'
import { evalVerdict, rowTrialsVerdict } from './verdict.js'

/**
 * Options of `evalTest` (every host): one case, with `outputs` to score or a `task` to run.
 *
 * @example
 * ```ts
 * const options: EvalTestOptions<{ message: string }, string> = {
 *   inputs: { message: 'hi' },
 *   task: async (inputs) => bot(inputs.message),
 *   scorers: [isPolite],
 *   trials: 5,
 *   trialPassRate: 0.8,
 * }
 * ```
 */
export type EvalTestOptions<I extends object = Record<string, unknown>, O = unknown> = {
  /** The case's inputs: an interface or a type alias. */
  inputs: I
  expectations?: object
  /** Typed scorers (`Scorer<I, O, E>`, interfaces too) and the built-ins, side by side. */
  scorers: readonly Scorer<unknown, unknown, unknown>[]
  /** Task and scorers together (all trials run at once), in ms. Default 60 000. */
  timeout?: number
  /**
   * Runs of the case (task and scorers), each its own result, with its own judge calls: LLM
   * output is a sample. Default 1.
   */
  trials?: number
  /** The share of the trials that must pass each metric for the test to pass. Default 1. */
  trialPassRate?: number
} & ({ outputs: O; task?: never } | { task: Task<I, O>; outputs?: never })

/** What a host does with one case it ran: attach `rows` and `eval`, throw `failure` if any. */
export interface SingleCaseRun {
  /** One result per trial. */
  rows: RowResult[]
  /** The one-row eval the case forms in the artifact. */
  eval: EvalSuiteMeta
  /** Why the test fails (its message), or undefined when it passes. */
  failure: string | undefined
}

/**
 * Runs `evalTest`'s case, framework-free: checks the options, runs every trial at once, and
 * decides the test as a row of an eval without thresholds (each metric must pass in
 * `trialPassRate` of the trials; a case judged by nothing is no pass).
 *
 * @example
 * ```ts
 * const run = await runSingleCase('greets politely', options, 'greet.eval.ts')
 * if (run.failure !== undefined) throw new Error(run.failure)
 * ```
 */
export async function runSingleCase(
  name: string,
  options: EvalTestOptions,
  file: string,
): Promise<SingleCaseRun> {
  const o = options as EvalTestOptions & {
    expectations?: Record<string, unknown>
    outputs?: unknown
    task?: Task
  }
  if (typeof o !== 'object' || o === null) {
    throw new EvalgateError(
      `evalTest "${name}": expected options { inputs, outputs | task, scorers }, received ${describeValue(o)}`,
    )
  }
  const hasOutputs = 'outputs' in o && o.outputs !== undefined
  if (hasOutputs === (o.task !== undefined)) {
    throw new EvalgateError(
      `evalTest "${name}": give exactly one of "outputs" (to score) or "task" (to run)`,
    )
  }
  const prepared = prepareEval({
    scorers: o.scorers,
    hasTask: o.task !== undefined,
    trials: o.trials,
    trialPassRate: o.trialPassRate,
  })
  const row = {
    id: name,
    inputs: o.inputs as Record<string, unknown>,
    ...(hasOutputs ? { outputs: o.outputs } : {}),
    ...(o.expectations ? { expectations: o.expectations } : {}),
  }
  // Every trial at once, as describeEval runs a row's trials (judges keep their own limit).
  const rows = await Promise.all(
    Array.from({ length: prepared.trials }, (_, trial) =>
      runRow({
        row,
        index: 0,
        trial,
        scorers: prepared.scorers,
        task: o.task,
        timeoutMs: o.timeout ?? DEFAULT_TIMEOUT_MS,
      }),
    ),
  )
  const summary = summarizeEval(prepared, rows)
  const verdict = rowTrialsVerdict(prepared, rows)
  // A case judged by nothing (every scorer abstained) is no pass either.
  const overall = verdict.failed ? verdict : evalVerdict(name, prepared, summary, rows)
  return {
    rows,
    eval: {
      kind: 'eval',
      name,
      file,
      hasTask: prepared.hasTask,
      metrics: [...prepared.metrics],
      gates: [],
      maxErrors: 0,
      datasetRows: 1,
      trials: prepared.trials,
      trialPassRate: prepared.trialPassRate,
      statistics: prepared.statistics,
      summary,
    },
    failure: overall.failed ? overall.message : undefined,
  }
}
