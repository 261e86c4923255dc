import { test } from '@jest/globals'
import { atSite, callSite } from '../base/call-site.js'
import { describeValue, EvalgateError } from '../base/errors.js'
import { EvalRowError } from '../core/eval-errors.js'
import { DEFAULT_TIMEOUT_MS } from '../core/eval-options.js'
import { prepareEval, summarizeEval } from '../core/evaluate.js'
import { handoffSlot } from '../core/handoff.js'
import { runRow, type Task } from '../core/run.js'
import type { Scorer } from '../core/scorer.js'
import { evalVerdict, rowVerdict } from '../core/verdict.js'
import { jestFile, jestRoot } from './describe.js'

/** Options of {@link evalTest}: one case, with `outputs` to score or a `task` to run. */
export type EvalTestOptions<I extends object = Record<string, unknown>, O = unknown> = {
  /** The case's inputs: an interface or a type alias. */
  inputs: I
  expectations?: object
  /** Typed scorers (`Scorer<I, O, E>`, interfaces too) and the built-ins, side by side. */
  scorers: readonly Scorer<unknown, unknown, unknown>[]
  /** Task and scorers together, in ms. Default 60 000. */
  timeout?: number
} & ({ outputs: O; task?: never } | { task: Task<I, O>; outputs?: never })

/**
 * The single-case form of {@link describeEval}: one Jest test that scores one output (or runs a
 * task on one input and scores its output). It fails like a row of an eval without thresholds:
 * on any failing metric or error, with a message naming metric, value, threshold and rationale.
 * `evalgate/jest-reporter` lists it as a one-row eval.
 *
 * @example
 * ```ts
 * import { evalTest } from 'evalgate/jest'
 *
 * evalTest('greets politely', {
 *   inputs: { message: 'hi' },
 *   task: async (inputs) => bot(inputs.message),
 *   scorers: [isPolite],
 * })
 * ```
 */
export function evalTest<I extends object = Record<string, unknown>, O = unknown>(
  name: string,
  options: EvalTestOptions<I, O>,
): void {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS
  const site = callSite(evalTest)
  test(
    name,
    async () => {
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
      const prepared = prepareEval({ scorers: o.scorers, hasTask: o.task !== undefined })
      const row = {
        id: name,
        inputs: o.inputs,
        ...(hasOutputs ? { outputs: o.outputs } : {}),
        ...(o.expectations ? { expectations: o.expectations } : {}),
      }
      const result = await runRow({
        row,
        index: 0,
        scorers: prepared.scorers,
        task: o.task,
        timeoutMs: timeout,
      })
      const summary = summarizeEval(prepared, [result])
      handoffSlot(process.env)?.write({
        meta: {
          kind: 'eval',
          name,
          file: jestFile(jestRoot()),
          hasTask: prepared.hasTask,
          metrics: [...prepared.metrics],
          gates: [],
          maxErrors: 0,
          datasetRows: 1,
          trials: 1,
          summary,
        },
        rows: [result],
      })
      const verdict = rowVerdict(prepared, result)
      if (verdict.failed) throw atSite(new EvalRowError(verdict.message), site)
      // A case judged by nothing (every scorer abstained) is no pass.
      const overall = evalVerdict(name, prepared, summary, [result])
      if (overall.failed) throw atSite(new EvalRowError(overall.message), site)
    },
    timeout + 5_000,
  )
}
