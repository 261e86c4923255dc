import path from 'node:path'
import { test } from 'vitest'
import { atSite, callSite } from '../base/call-site.js'
import { describeValue, EvalgateError } from '../base/errors.js'
import { EvalRowError } from '../core/eval-errors.js'
import { prepareEval, summarizeEval } from '../core/evaluate.js'
import { runRow, type Task } from '../core/run.js'
import type { Scorer } from '../core/scorer.js'
import { evalVerdict, rowTrialsVerdict } from '../core/verdict.js'
import { DEFAULT_TIMEOUT_MS, vitestRoot } from './describe.js'

/** Options of {@link evalTest}: one case, with `outputs` to score or a `task` to run. */
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

/**
 * The single-case form of {@link describeEval}: one Vitest test that scores one output (or
 * runs a task on one input and scores its output). It fails like a row of an eval without
 * thresholds: on any failing metric or error, with a message naming metric, value, threshold
 * and rationale. With `trials: k` the case runs k times (task and scorers, each trial its own
 * judge calls) and each metric must pass in at least `trialPassRate` of them (default 1:
 * every trial). Its RowResults (one per trial) ride in the test's `meta.evalgate`.
 *
 * @example
 * ```ts
 * evalTest('greets politely', {
 *   inputs: { message: 'hi' },
 *   task: async (inputs) => bot(inputs.message),
 *   scorers: [isPolite],
 *   trials: 5,
 *   trialPassRate: 0.8, // 4 of 5 trials polite
 * })
 * ```
 */
export function evalTest<I extends object = Record<string, unknown>, O = unknown>(
  name: string,
  options: EvalTestOptions<I, O>,
): void {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS
  const site = callSite(evalTest)
  test(name, { timeout: timeout + 5_000 }, async (context) => {
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
      inputs: o.inputs,
      ...(hasOutputs ? { outputs: o.outputs } : {}),
      ...(o.expectations ? { expectations: o.expectations } : {}),
    }
    // Every trial at once, as describeEval runs a row's trials (judges keep their own limit).
    const results = await Promise.all(
      Array.from({ length: prepared.trials }, (_, trial) =>
        runRow({
          row,
          index: 0,
          trial,
          scorers: prepared.scorers,
          task: o.task,
          timeoutMs: timeout,
        }),
      ),
    )
    const file = path.relative(vitestRoot(), context.task.file.filepath).split(path.sep).join('/')
    const summary = summarizeEval(prepared, results)
    context.task.meta.evalgate = {
      kind: 'row',
      eval: name,
      rows: results,
      standalone: {
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
    }
    const verdict = rowTrialsVerdict(prepared, results)
    if (verdict.failed) throw atSite(new EvalRowError(verdict.message), site)
    // A case judged by nothing (every scorer abstained) is no pass.
    const overall = evalVerdict(name, prepared, summary, results)
    if (overall.failed) throw atSite(new EvalRowError(overall.message), site)
  })
}
