import path from 'node:path'
import { test } from 'vitest'
import { atSite, callSite } from '../base/call-site.js'
import { EvalRowError } from '../core/eval-errors.js'
import { type EvalTestOptions, runSingleCase } from '../core/single-case.js'
import { DEFAULT_TIMEOUT_MS, vitestRoot } from './describe.js'

export type { EvalTestOptions } from '../core/single-case.js'

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
    const file = path.relative(vitestRoot(), context.task.file.filepath).split(path.sep).join('/')
    const run = await runSingleCase(name, options as EvalTestOptions, file)
    context.task.meta.evalgate = { kind: 'row', eval: name, rows: run.rows, standalone: run.eval }
    if (run.failure !== undefined) throw atSite(new EvalRowError(run.failure), site)
  })
}
