import { test } from '@jest/globals'
import { atSite, callSite } from '../base/call-site.js'
import { EvalRowError } from '../core/eval-errors.js'
import { DEFAULT_TIMEOUT_MS } from '../core/eval-options.js'
import { handoffSlot } from '../core/handoff.js'
import { type EvalTestOptions, runSingleCase } from '../core/single-case.js'
import { jestFile, jestRoot } from './describe.js'

export type { EvalTestOptions } from '../core/single-case.js'

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
      const run = await runSingleCase(name, options as EvalTestOptions, jestFile(jestRoot()))
      handoffSlot(process.env)?.write({ meta: run.eval, rows: run.rows })
      if (run.failure !== undefined) throw atSite(new EvalRowError(run.failure), site)
    },
    timeout + 5_000,
  )
}
