import path from 'node:path'
import pLimit from 'p-limit'
import { describe, expect, type TestContext, test } from 'vitest'
import { describeValue, EvalgateError } from '../base/errors.js'
import { type DataSource, loadDataset, type Row } from '../core/dataset.js'
import { type PreparedEval, prepareEval, requireOutputs, summarizeEval } from '../core/evaluate.js'
import type { EvalSuiteMeta } from '../core/meta.js'
import { type RowResult, runRow, type Task } from '../core/run.js'
import type { Scorer } from '../core/scorer.js'
import type { Thresholds } from '../core/thresholds.js'
import { describeEvalFailure, rowVerdict } from '../core/verdict.js'

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

/**
 * An eval as a Vitest suite: one test per row (named by `id` or a short rendering of
 * `inputs`, so `vitest -t` picks rows), plus a final `thresholds` test when the eval has
 * gates or tolerates errors. The dataset, scorers and thresholds are validated before any row
 * runs; a bad one fails the suite with the core's error. Rows run with at most `concurrency`
 * in flight, each within `timeout`. Every RowResult rides in its test's `meta.evalgate`, and
 * the eval's summary in the suite's, for the reporter and for `--merge-reports`.
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
export function describeEval<
  I extends Record<string, unknown> = Record<string, unknown>,
  O = unknown,
>(name: string, options: DescribeEvalOptions<I, O>): void {
  describe(name, async () => {
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

    const used = new Set<string>()
    rows.forEach((row, index) => {
      let testName = rowTestName(row, index)
      if (used.has(testName)) testName = `${testName} #${index}`
      used.add(testName)
      state.indexByName.set(testName, index)
      // The test's own timeout leaves the row's timeout room to fire first and report itself.
      test(testName, { timeout: timeoutMs + 5_000 }, async (context) => {
        const result = await state.row(context, index)
        context.task.meta.evalgate = { kind: 'row', eval: name, row: result }
        state.finished(context)
        const verdict = rowVerdict(prepared, result)
        if (verdict.failed) throw new EvalRowError(verdict.message)
      })
    })
    if (prepared.gates.length > 0 || prepared.maxErrors > 0) {
      test('thresholds', {
        timeout: timeoutMs * Math.ceil(rows.length / state.concurrency) + 10_000,
      }, async (context) => {
        const summary = await state.summary(context)
        if (!summary.passed) throw new EvalThresholdError(describeEvalFailure(name, summary))
      })
    }
  })
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
  private summaryPromise: Promise<ReturnType<typeof summarizeEval>> | undefined

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

  summary(context: Ctx) {
    if (!this.scheduled) this.schedule(context)
    this.summaryPromise ??= Promise.all(this.results.values()).then((rows) => {
      const summary = summarizeEval(this.prepared, rows)
      const suite = context.task.suite
      if (suite !== undefined) suite.meta.evalgate = this.meta(summary)
      return summary
    })
    return this.summaryPromise
  }

  private meta(summary: ReturnType<typeof summarizeEval> | null): EvalSuiteMeta {
    return {
      kind: 'eval',
      name: this.name,
      file: this.file,
      hasTask: this.prepared.hasTask,
      metrics: [...this.prepared.metrics],
      gates: [...this.prepared.gates],
      maxErrors: this.prepared.maxErrors,
      datasetRows: this.rows.length,
      summary,
    }
  }
}
