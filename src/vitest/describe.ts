import path from 'node:path'
import pLimit from 'p-limit'
import * as vitestApi from 'vitest'
import { describe, expect, type TestContext, test } from 'vitest'
import { describeValue, EvalgateError } from '../base/errors.js'
import { type DataSource, loadDataset, type Row } from '../core/dataset.js'
import {
  type EvalSummary,
  type PreparedEval,
  prepareEval,
  requireOutputs,
  summarizeEval,
} from '../core/evaluate.js'
import type { EvalSuiteMeta } from '../core/meta.js'
import { type RowResult, runRow, type Task } from '../core/run.js'
import type { Scorer } from '../core/scorer.js'
import type { Thresholds } from '../core/thresholds.js'
import { evalVerdict, rowErrored, rowVerdict } from '../core/verdict.js'

/** Rows in flight at once when `concurrency` is not given. */
export const DEFAULT_CONCURRENCY = 4
/** Per-row timeout (task and scorers together) when `timeout` is not given. */
export const DEFAULT_TIMEOUT_MS = 60_000

/**
 * Options of {@link describeEval}.
 *
 * @typeParam I - the shape of each row's `inputs`.
 * @typeParam O - what the task returns.
 */
export interface DescribeEvalOptions<
  I extends Record<string, unknown> = Record<string, unknown>,
  O = unknown,
> {
  /** Rows, or a `.jsonl` / `.json` / `.csv` path relative to the Vitest root. */
  data: DataSource<Row<I>>
  /** The application under test. Without it, each row's stored `outputs` are scored. */
  task?: Task<I, O>
  scorers: readonly Scorer[]
  /** `'<metric>/<aggregation>'` gates. Without them every row is gated on its metrics. */
  thresholds?: Thresholds
  /** Errored rows tolerated before the eval fails. Default 0. */
  maxErrors?: number
  /** Rows in flight at once, whatever Vitest's own `maxConcurrency` is. Default 4. */
  concurrency?: number
  /** Per row, task and scorers together, in ms. Default 60 000. */
  timeout?: number
}

const OPTION_KEYS = new Set([
  'data',
  'task',
  'scorers',
  'thresholds',
  'maxErrors',
  'concurrency',
  'timeout',
])

function checkOptions(name: unknown, options: unknown): asserts options is DescribeEvalOptions {
  if (typeof name !== 'string' || name.length === 0) {
    throw new EvalgateError(
      `describeEval: expected a non-empty eval name as the first argument, received ${describeValue(name)}`,
    )
  }
  if (typeof options !== 'object' || options === null) {
    throw new EvalgateError(
      `describeEval "${name}": expected options { data, scorers, task?, thresholds?, ... }, received ${describeValue(options)}`,
    )
  }
  const o = options as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) {
      throw new EvalgateError(
        `describeEval "${name}": unknown option "${key}" (allowed: ${[...OPTION_KEYS].join(', ')})`,
      )
    }
  }
  if (o.data === undefined) throw new EvalgateError(`describeEval "${name}": "data" is required`)
  if (o.task !== undefined && typeof o.task !== 'function') {
    throw new EvalgateError(
      `describeEval "${name}": expected "task" to be a function, received ${describeValue(o.task)}`,
    )
  }
  for (const key of ['concurrency', 'timeout'] as const) {
    const v = o[key]
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
      throw new EvalgateError(
        `describeEval "${name}": expected "${key}" to be a whole number from 1 and up, received ${describeValue(v)}`,
      )
    }
  }
}

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

/** A short, single-line name for a row's test: its `id`, else a rendering of its inputs. */
export function rowTestName(row: Row, index: number): string {
  if (row.id !== undefined) return String(row.id)
  const values = Object.values(row.inputs)
  const raw =
    values.length === 1 && typeof values[0] === 'string' ? values[0] : JSON.stringify(row.inputs)
  const flat = raw.replace(/\s+/g, ' ').trim()
  const short = flat.length > 60 ? `${flat.slice(0, 59)}…` : flat
  return `[${index}] ${short}`
}

type CollectingSuite = { meta: Record<string, unknown> }

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

/** The name of an eval's final test, which gates on the aggregates. */
const THRESHOLDS_TEST = 'thresholds'

/**
 * Test names for the rows, each distinct and none named like the `thresholds` test: a row
 * whose name is taken gets its index appended (`q1 #4`), so `-t` and reports tell them apart.
 */
export function rowTestNames(rows: readonly Row[]): string[] {
  const used = new Set<string>([THRESHOLDS_TEST])
  return rows.map((row, index) => {
    const base = rowTestName(row, index)
    let name = base
    for (let k = 0; used.has(name); k++)
      name = k === 0 ? `${base} #${index}` : `${base} #${index}.${k}`
    used.add(name)
    return name
  })
}

/**
 * Where the user called describeEval or evalTest: a stack whose first frame is the user's eval
 * file, so a failing row or gate points there, not into evalgate's own code.
 */
export function callSite(fn: (...args: never[]) => unknown): string {
  const holder: { stack?: string } = {}
  Error.captureStackTrace(holder, fn)
  const stack = holder.stack ?? ''
  const nl = stack.indexOf('\n')
  return nl === -1 ? '' : stack.slice(nl + 1)
}

/** An error whose stack is `site` (the user's call site), so the host points at the eval file. */
export function atSite<E extends Error>(error: E, site: string): E {
  if (site !== '') error.stack = `${error.name}: ${error.message}\n${site}`
  return error
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
  function describeEval<I extends Record<string, unknown> = Record<string, unknown>, O = unknown>(
    name: string,
    options: DescribeEvalOptions<I, O>,
  ): void {
    defineEval(describe, name, options as DescribeEvalOptions, callSite(describeEval))
  },
  {
    skip<I extends Record<string, unknown> = Record<string, unknown>, O = unknown>(
      name: string,
      options: DescribeEvalOptions<I, O>,
    ): void {
      defineEval(describe.skip, name, options as DescribeEvalOptions, callSite(describeEval.skip))
    },
    only<I extends Record<string, unknown> = Record<string, unknown>, O = unknown>(
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

/**
 * The type of {@link describeEval}: the function and its `skip`, `only` and `todo` forms.
 *
 * @example
 * ```ts
 * const evalSuite: DescribeEval = describeEval
 * evalSuite.skip('slow eval', { data: rows, scorers: [exactMatch] })
 * ```
 */
export interface DescribeEval {
  <I extends Record<string, unknown> = Record<string, unknown>, O = unknown>(
    name: string,
    options: DescribeEvalOptions<I, O>,
  ): void
  /** Like `describe.skip`: the eval is listed, none of its rows runs. */
  skip<I extends Record<string, unknown> = Record<string, unknown>, O = unknown>(
    name: string,
    options: DescribeEvalOptions<I, O>,
  ): void
  /** Like `describe.only`: only this eval (and other `.only` suites) of the file runs. */
  only<I extends Record<string, unknown> = Record<string, unknown>, O = unknown>(
    name: string,
    options: DescribeEvalOptions<I, O>,
  ): void
  /** Like `describe.todo`: an eval yet to be written. */
  todo(name: string): void
}

function defineEval(
  suite: typeof describe | typeof describe.skip,
  name: string,
  options: DescribeEvalOptions,
  site: string,
): void {
  suite(name, async () => {
    // The eval's suite, taken while Vitest collects it (later awaits may interleave).
    const collecting = currentSuite()
    checkOptions(name, options)
    const task = options.task as Task | undefined
    const prepared = prepareEval({
      scorers: options.scorers,
      thresholds: options.thresholds,
      maxErrors: options.maxErrors,
      hasTask: task !== undefined,
    })
    const root = vitestRoot()
    const rows = await loadDataset(options.data as DataSource, { root })
    if (task === undefined) requireOutputs(rows)
    const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS
    const testPath = expect.getState().testPath
    const file =
      testPath === undefined ? '' : path.relative(root, testPath).split(path.sep).join('/')
    const state = new EvalState(
      name,
      file,
      prepared,
      rows,
      task,
      timeoutMs,
      options.concurrency ?? DEFAULT_CONCURRENCY,
    )
    // Known from collection on: an eval none of whose rows runs (`-t`, `.skip`) is still in the
    // artifact, as skipped, so the run is reported as partial.
    if (collecting !== undefined) collecting.meta.evalgate = state.meta(null)

    rowTestNames(rows).forEach((testName, index) => {
      state.indexByName.set(testName, index)
      // The test's own timeout leaves the row's timeout room to fire first and report itself.
      test(testName, { timeout: timeoutMs + 5_000 }, async (context) => {
        const result = await state.row(context, index)
        context.task.meta.evalgate = { kind: 'row', eval: name, row: result }
        state.finished(context)
        const verdict = rowVerdict(prepared, result)
        if (verdict.failed) {
          // A task that threw points at its own code; anything else at the eval's call site.
          const taskStack = result.error?.code === 'TASK_ERROR' ? result.error.stack : undefined
          const error = new EvalRowError(verdict.message)
          if (taskStack !== undefined) {
            const nl = taskStack.indexOf('\n    at ')
            throw atSite(error, nl === -1 ? site : taskStack.slice(nl + 1))
          }
          throw atSite(error, site)
        }
        if (rowErrored(result)) {
          // Tolerated (within maxErrors): never a plain green tick.
          await context.annotate(
            `errored (tolerated by maxErrors): ${verdict.message || describeRowErrors(result)}`,
            'warning',
          )
        }
      })
    })
    // Every eval ends with its own verdict: the gates, the error budget, and an eval in which
    // no row produced a scored value (which no row test shows).
    test(THRESHOLDS_TEST, {
      timeout: timeoutMs * Math.ceil(rows.length / state.concurrency) + 10_000,
    }, async (context) => {
      const { summary, rows: results } = await state.summary(context)
      const verdict = evalVerdict(name, prepared, summary, results)
      if (verdict.failed) throw atSite(new EvalThresholdError(verdict.message), site)
    })
  })
}

/** One line per error of a row: its row error, else each errored metric. */
function describeRowErrors(row: RowResult): string {
  if (row.error !== null) return `${row.error.code}: ${row.error.message}`
  return row.feedback
    .filter((fb) => fb.error !== null)
    .map((fb) => `${fb.name}: ${fb.error!.code}: ${fb.error!.message}`)
    .join('; ')
}

/** A row that failed its metrics or errored; the message says which and why. */
export class EvalRowError extends Error {
  override name = 'EvalRowError'
}
/** An eval whose gates failed; the message is the table of failing gates. */
export class EvalThresholdError extends Error {
  override name = 'EvalThresholdError'
}

type Ctx = Pick<TestContext, 'task'>

/**
 * The rows of one eval in one worker: scheduled together when the first of its tests starts
 * (only those `-t` and `.only` left to run), with our own limit on rows in flight, so a row's
 * test only awaits its row.
 */
class EvalState {
  readonly indexByName = new Map<string, number>()
  readonly concurrency: number
  private readonly limit: ReturnType<typeof pLimit>
  private readonly results = new Map<number, Promise<RowResult>>()
  private scheduled = false
  private remaining = 0
  private summaryPromise: Promise<{ summary: EvalSummary; rows: RowResult[] }> | undefined

  constructor(
    private readonly name: string,
    private readonly file: string,
    private readonly prepared: PreparedEval,
    private readonly rows: readonly Row[],
    private readonly task: Task | undefined,
    private readonly timeoutMs: number,
    concurrency: number,
  ) {
    this.concurrency = concurrency
    this.limit = pLimit(concurrency)
  }

  row(context: Ctx, index: number): Promise<RowResult> {
    if (!this.scheduled) this.schedule(context)
    return this.start(index)
  }

  private start(index: number): Promise<RowResult> {
    let p = this.results.get(index)
    if (p === undefined) {
      p = this.limit(() =>
        runRow({
          row: this.rows[index]!,
          index,
          scorers: this.prepared.scorers,
          task: this.task,
          timeoutMs: this.timeoutMs,
        }),
      )
      this.results.set(index, p)
    }
    return p
  }

  private schedule(context: Ctx): void {
    this.scheduled = true
    const suite = context.task.suite
    const toRun: number[] = []
    for (const t of suite?.tasks ?? []) {
      const index = this.indexByName.get(t.name)
      if (t.type === 'test' && t.mode === 'run' && index !== undefined) toRun.push(index)
    }
    this.remaining = toRun.length
    for (const index of toRun) this.start(index)
    if (suite !== undefined) suite.meta.evalgate = this.meta(null)
  }

  /** Called by each row test when its row is in; the last one writes the eval's summary. */
  finished(context: Ctx): void {
    this.remaining--
    if (this.remaining === 0) void this.summary(context)
  }

  summary(context: Ctx): Promise<{ summary: EvalSummary; rows: RowResult[] }> {
    if (!this.scheduled) this.schedule(context)
    this.summaryPromise ??= Promise.all(this.results.values()).then((rows) => {
      const summary = summarizeEval(this.prepared, rows, { datasetRows: this.rows.length })
      const suite = context.task.suite
      if (suite !== undefined) suite.meta.evalgate = this.meta(summary)
      return { summary, rows }
    })
    return this.summaryPromise
  }

  meta(summary: EvalSummary | null): EvalSuiteMeta {
    return {
      kind: 'eval',
      name: this.name,
      file: this.file,
      hasTask: this.prepared.hasTask,
      metrics: [...this.prepared.metrics],
      gates: [...this.prepared.gates],
      maxErrors: this.prepared.maxErrors,
      datasetRows: this.rows.length,
      trials: 1,
      summary,
    }
  }
}
