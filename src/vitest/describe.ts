import path from 'node:path'
import * as vitestApi from 'vitest'
import { describe, expect, type TestContext, test } from 'vitest'
import { atSite, callSite } from '../base/call-site.js'
import { EvalgateError } from '../base/errors.js'
import { setHostRoot } from '../base/host-root.js'
import { type DataSource, loadDataset } from '../core/dataset.js'
import { EvalRowError, EvalThresholdError } from '../core/eval-errors.js'
import type { DescribeEval } from '../core/eval-options.js'
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type DescribeEvalOptions,
  evalShard,
  prepareDescribedEval,
  THRESHOLDS_TEST,
} from '../core/eval-options.js'
import { requireOutputs } from '../core/evaluate.js'
import type { Task } from '../core/run.js'
import { EvalSchedule } from '../core/schedule.js'
import { evalVerdict } from '../core/verdict.js'

export { EvalRowError, EvalThresholdError } from '../core/eval-errors.js'
export type { DescribeEval } from '../core/eval-options.js'
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type DescribeEvalOptions,
  rowTestName,
  rowTestNames,
} from '../core/eval-options.js'

/**
 * The Vitest root, for resolving dataset paths: the worker's config root, else the working
 * directory. (Vitest gives a running file no public accessor for its root.)
 */
export function vitestRoot(): string {
  const worker = (globalThis as { __vitest_worker__?: { config?: { root?: unknown } } })
    .__vitest_worker__
  const root = worker?.config?.root
  return typeof root === 'string' ? root : process.cwd()
}

type CollectingSuite = { meta: Record<string, unknown>; mode?: string }

/**
 * The suite Vitest is collecting, through `TestRunner.getCurrentSuite()` (Vitest 4.1 and up;
 * older 4.x has no such entry point, and an eval is then recorded when its first row runs).
 */
function currentSuite(): CollectingSuite | undefined {
  const runner = (vitestApi as { TestRunner?: { getCurrentSuite?: () => { suite?: unknown } } })
    .TestRunner
  const suite = runner?.getCurrentSuite?.().suite
  return typeof suite === 'object' && suite !== null ? (suite as CollectingSuite) : undefined
}

/**
 * An eval as a Vitest suite: one test per row (named by `id` or a short rendering of
 * `inputs`, so `vitest -t` picks rows), plus a final `thresholds` test with the eval's own
 * verdict (its gates, its error budget, and whether any row produced a scored value). The dataset, scorers and thresholds are validated before any row
 * runs; a bad one fails the suite with the core's error. Rows run with at most `concurrency`
 * in flight, each within `timeout`. Every RowResult rides in its test's `meta.evalgate`, and
 * the eval's summary in the suite's, for the reporter and for `--merge-reports`.
 * `describeEval.skip`, `.only` and `.todo` behave as Vitest's `describe.skip/only/todo`.
 *
 * @example
 * ```ts
 * import { describeEval } from 'evalgate/vitest'
 * import { scorer } from 'evalgate'
 *
 * const exactMatch = scorer('exact_match', ({ outputs, expectations }) =>
 *   outputs === expectations.expected_response)
 *
 * describeEval('capitals', {
 *   data: 'fixtures/capitals.jsonl',
 *   task: async (inputs) => answer(String(inputs.question)),
 *   scorers: [exactMatch],
 *   thresholds: { 'exact_match/mean': 0.9, 'latency_ms/p90': { max: 2000 } },
 * })
 * ```
 */
export const describeEval: DescribeEval = Object.assign(
  function describeEval<I extends object = Record<string, unknown>, O = unknown>(
    name: string,
    options: DescribeEvalOptions<I, O>,
  ): void {
    defineEval(describe, name, options as DescribeEvalOptions, callSite(describeEval))
  },
  {
    skip<I extends object = Record<string, unknown>, O = unknown>(
      name: string,
      options: DescribeEvalOptions<I, O>,
    ): void {
      defineEval(describe.skip, name, options as DescribeEvalOptions, callSite(describeEval.skip))
    },
    only<I extends object = Record<string, unknown>, O = unknown>(
      name: string,
      options: DescribeEvalOptions<I, O>,
    ): void {
      defineEval(describe.only, name, options as DescribeEvalOptions, callSite(describeEval.only))
    },
    todo(name: string): void {
      describe.todo(name)
    },
  },
)

function defineEval(
  suite: typeof describe | typeof describe.skip,
  name: string,
  options: DescribeEvalOptions,
  site: string,
): void {
  suite(name, async () => {
    // The eval's suite, taken while Vitest collects it (later awaits may interleave).
    const collecting = currentSuite()
    const skipped = suite === describe.skip || collecting?.mode === 'skip'
    try {
      await collectEval(name, options, site, collecting, skipped)
    } catch (error) {
      // A configuration error (options, scorers, thresholds, dataset) points at the eval's
      // call site, not into evalgate's own code.
      throw error instanceof EvalgateError ? atSite(error, site) : error
    }
  })
}

async function collectEval(
  name: string,
  options: DescribeEvalOptions,
  site: string,
  collecting: CollectingSuite | undefined,
  skipped: boolean,
): Promise<void> {
  const root = vitestRoot()
  // Judges resolve their cache against the same root as the dataset and the report (and a
  // judge's prepare hook looks for its recordings there).
  setHostRoot(root)
  const prepared = prepareDescribedEval(name, options, { skipped })
  const task = options.task as Task | undefined
  const rows = await loadDataset(options.data as DataSource, { root })
  if (task === undefined) requireOutputs(rows)
  const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  const testPath = expect.getState().testPath
  const file = testPath === undefined ? '' : path.relative(root, testPath).split(path.sep).join('/')
  let suiteTask: CollectingSuite | undefined = collecting
  const schedule = new EvalSchedule({
    name,
    file,
    prepared,
    rows,
    task,
    timeoutMs,
    concurrency,
    shard: evalShard(options, process.env),
    onSummary: (meta) => {
      if (suiteTask !== undefined) suiteTask.meta.evalgate = meta
    },
  })
  // Known from collection on: an eval none of whose rows runs (`-t`, `.skip`) is still in the
  // artifact, as skipped, so the run is reported as partial.
  if (collecting !== undefined) collecting.meta.evalgate = schedule.meta(null)

  // Called by whichever of the eval's tests starts first: the row tests Vitest will run (after
  // -t and .only) start together, under the eval's own limit.
  const select = (context: Ctx): void => {
    if (schedule.selected) return
    const suite = context.task.suite
    if (suite !== undefined) {
      suiteTask ??= suite as unknown as CollectingSuite
      suite.meta.evalgate ??= schedule.meta(null)
    }
    const toRun: number[] = []
    for (const t of suite?.tasks ?? []) {
      const index = schedule.indexOf(t.name)
      if (t.type === 'test' && t.mode === 'run' && index !== undefined) toRun.push(index)
    }
    schedule.select(toRun)
  }

  // The test's own timeout leaves the row's timeout room to fire first and report itself.
  const rowTestOptions = { timeout: timeoutMs * schedule.trials + 5_000 }
  for (const index of schedule.rowIndices) {
    const testName = schedule.testNames[index]!
    test(testName, rowTestOptions, async (context) => {
      select(context)
      const results = await schedule.row(index)
      context.task.meta.evalgate = { kind: 'row', eval: name, rows: results }
      const verdict = schedule.verdict(results)
      if (verdict.failed) {
        // A task that threw points at its own code; anything else at the eval's call site.
        const taskStack = results.find((r) => r.error?.code === 'TASK_ERROR')?.error?.stack
        const nl = taskStack?.indexOf('\n    at ') ?? -1
        const where = taskStack !== undefined && nl !== -1 ? taskStack.slice(nl + 1) : site
        throw atSite(new EvalRowError(verdict.message), where)
      }
      if (verdict.tolerated !== undefined) {
        // Tolerated (within maxErrors): never a plain green tick.
        await context.annotate(`errored (tolerated by maxErrors): ${verdict.tolerated}`, 'warning')
      }
    })
  }
  // Every eval ends with its own verdict: the gates, the error budget, and an eval in which
  // no row produced a scored value (which no row test shows).
  const waves = Math.ceil((rows.length * schedule.trials) / concurrency)
  test(THRESHOLDS_TEST, { timeout: timeoutMs * waves + 10_000 }, async (context) => {
    select(context)
    const { summary, rows: results } = await schedule.summary()
    const verdict = evalVerdict(name, prepared, summary, results)
    if (verdict.failed) throw atSite(new EvalThresholdError(verdict.message), site)
  })
}

type Ctx = Pick<TestContext, 'task'>
