import path from 'node:path'
import { afterAll, describe, expect, test } from '@jest/globals'
import { atSite, callSite } from '../base/call-site.js'
import { EvalgateError } from '../base/errors.js'
import { setHostRoot } from '../base/host-root.js'
import type { DataSource } from '../core/dataset.js'
import { loadDatasetSync } from '../core/dataset-sync.js'
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
import { handoffSlot } from '../core/handoff.js'
import type { Task } from '../core/run.js'
import { EvalSchedule } from '../core/schedule.js'
import { evalVerdict } from '../core/verdict.js'
import { circusBlock, selectedTests } from './circus.js'

/**
 * Jest's root directory, for resolving dataset paths and naming eval files: the `rootDir` Jest
 * gave the file's snapshot state, else the working directory. (Jest gives a running test file no
 * public accessor for it.)
 */
export function jestRoot(): string {
  const snapshot = (expect.getState() as { snapshotState?: { _rootDir?: unknown } }).snapshotState
  const root = snapshot?._rootDir
  return typeof root === 'string' && root !== '' ? root : process.cwd()
}

/** The running test file, relative to Jest's root, with '/' separators ('' when unknown). */
export function jestFile(root: string): string {
  const testPath = expect.getState().testPath
  return typeof testPath === 'string' ? path.relative(root, testPath).split(path.sep).join('/') : ''
}

/**
 * An eval as a Jest `describe` block: one test per row (named by `id` or a short rendering of
 * `inputs`, so `jest -t` picks rows), plus a final `thresholds` test with the eval's own verdict
 * (its gates, its error budget, and whether any row produced a scored value). The options,
 * scorers, thresholds and dataset are checked while Jest collects the file, before any row runs;
 * a bad one fails the file with core's error, pointing at this call. The rows Jest will run
 * (after `-t`, `.only` and `.skip`) start together when the first of them does, at most
 * `concurrency` in flight, each within `timeout`; rows Jest will not run never start. Results go
 * to `evalgate/jest-reporter` for the table and the artifact. `describeEval.skip`, `.only` and
 * `.todo` behave as Jest's `describe.skip`, `describe.only` and `test.todo`.
 *
 * Jest's `describe` callbacks are synchronous, so the dataset is loaded synchronously: a file
 * path, an array, or a function returning an array. Load an async source first (with
 * `await loadDataset(...)` at the top level of an ESM test file) and pass the rows.
 *
 * @example
 * ```ts
 * import { describeEval } from 'evalgate/jest'
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
      // Jest has no describe.todo: an eval yet to be written is a todo test of its name.
      test.todo(name)
    },
  },
)

function defineEval(
  suite: typeof describe | typeof describe.skip,
  name: string,
  options: DescribeEvalOptions,
  site: string,
): void {
  suite(name, () => {
    try {
      collectEval(name, options, site, suite === describe.skip)
    } catch (error) {
      // A configuration error (options, scorers, thresholds, dataset) fails the file while Jest
      // collects it, before any row runs, pointing at the eval's call site.
      throw error instanceof EvalgateError ? atSite(error, site) : error
    }
  })
}

function collectEval(
  name: string,
  options: DescribeEvalOptions,
  site: string,
  skipped: boolean,
): void {
  const root = jestRoot()
  // Judges resolve their cache against the same root as the dataset and the report (and a
  // judge's prepare hook looks for its recordings there).
  setHostRoot(root)
  const prepared = prepareDescribedEval(name, options, { skipped })
  const task = options.task as Task | undefined
  const rows = loadDatasetSync(options.data as DataSource, { root })
  if (task === undefined) requireOutputs(rows)
  const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  const schedule = new EvalSchedule({
    name,
    file: jestFile(root),
    prepared,
    rows,
    task,
    timeoutMs,
    concurrency,
    shard: evalShard(options, process.env),
  })
  // Known from collection on: an eval none of whose rows runs (`-t`, `.skip`) is still in the
  // artifact, as skipped, so the run is reported as partial.
  const slot = handoffSlot(process.env)
  slot?.write({ meta: schedule.meta(null), rows: [] })
  const circus = circusBlock(name)

  // Called by whichever of the eval's tests starts first: the row tests Jest will run start
  // together, under the eval's own limit. Without jest-circus's state, each row starts when its
  // own test does (schedule.row), one at a time.
  const select = (current: string): void => {
    if (schedule.selected || circus === undefined) return
    const names = selectedTests(circus, current)
    if (names === undefined) return
    const toRun: number[] = []
    for (const testName of names) {
      const index = schedule.indexOf(testName)
      if (index !== undefined) toRun.push(index)
    }
    schedule.select(toRun)
  }

  for (const index of schedule.rowIndices) {
    const testName = schedule.testNames[index]!
    test(
      testName,
      async () => {
        select(testName)
        const results = await schedule.row(index)
        const verdict = schedule.verdict(results)
        if (verdict.failed) {
          // A task that threw points at its own code; anything else at the eval's call site.
          const taskStack = results.find((r) => r.error?.code === 'TASK_ERROR')?.error?.stack
          const nl = taskStack?.indexOf('\n    at ') ?? -1
          const where = taskStack !== undefined && nl !== -1 ? taskStack.slice(nl + 1) : site
          throw atSite(new EvalRowError(verdict.message), where)
        }
        if (verdict.tolerated !== undefined) {
          // Tolerated (within maxErrors): never a plain green tick. Jest has no annotations; its
          // console output is shown with the file's results.
          console.warn(
            `${name} > ${testName}: errored (tolerated by maxErrors): ${verdict.tolerated}`,
          )
        }
      },
      // The test's own timeout leaves the row's timeout room to fire first and report itself.
      timeoutMs * schedule.trials + 5_000,
    )
  }
  // Every eval ends with its own verdict: the gates, the error budget, and an eval in which
  // no row produced a scored value (which no row test shows).
  const waves = Math.ceil((rows.length * schedule.trials) / concurrency)
  test(
    THRESHOLDS_TEST,
    async () => {
      select(THRESHOLDS_TEST)
      const { summary, rows: results } = await schedule.summary()
      const verdict = evalVerdict(name, prepared, summary, results)
      if (verdict.failed) throw atSite(new EvalThresholdError(verdict.message), site)
    },
    timeoutMs * waves + 10_000,
  )
  // Jest runs a block's afterAll only when one of its tests ran: the eval's results, summarised
  // over the rows that ran, go to the reporter before the file ends.
  afterAll(
    async () => {
      const { summary, rows: results } = await schedule.summary()
      slot?.write({ meta: schedule.meta(summary), rows: results })
    },
    timeoutMs * waves + 10_000,
  )
}
