import pLimit from 'p-limit'
import type { Row } from './dataset.js'
import { rowTestNames } from './eval-options.js'
import type { EvalSummary, PreparedEval } from './eval-types.js'
import { summarizeEval } from './evaluate.js'
import type { EvalSuiteMeta } from './meta.js'
import { type RowResult, runRow, type Task } from './run.js'
import { inShard, type Shard } from './shard.js'
import { type RowVerdict, rowErrored, rowTrialsVerdict } from './verdict.js'

/** Options of {@link EvalSchedule}. */
export interface EvalScheduleOptions {
  /** The eval's name. */
  name: string
  /** Its test file, relative to the host's root, with '/' separators. */
  file: string
  prepared: PreparedEval
  /** Every row of the dataset, loaded and validated. */
  rows: readonly Row[]
  task?: Task | undefined
  /** Per row and trial, task and scorers together. */
  timeoutMs: number
  /** Row runs in flight at once. */
  concurrency: number
  /**
   * Run only this shard's rows (`EVALGATE_SHARD=i/n`, or describeEval's `shard`): the rest of
   * the dataset is left to the other shards' jobs, and `evalgate merge` joins them.
   */
  shard?: Shard | undefined
  /**
   * Called with the eval's meta once every selected row is in (and its summary is computed):
   * the host attaches it where its reporter reads it.
   */
  onSummary?: ((meta: EvalSuiteMeta) => void) | undefined
}

/** The verdict of one row's test over its trials, and what a tolerated error says. */
export interface RowTestVerdict extends RowVerdict {
  /** Set when the row errored within `maxErrors`: the host marks the test (never a plain pass). */
  tolerated: string | undefined
}

const PASSED: RowTestVerdict = Object.freeze({ failed: false, message: '', tolerated: undefined })

/**
 * The rows of one eval in one process, framework-free: the host says which rows its test
 * filter selected (`-t`, `.only`), the schedule runs them (every trial of each) under its own
 * concurrency limit as soon as they are selected, each row test awaits only its own row, and
 * the eval is summarised once the last selected row is in. Vitest and Jest are both glue over
 * this class.
 *
 * @example
 * ```ts
 * const schedule = new EvalSchedule({ name: 'qa', file: 'qa.eval.ts', prepared, rows, timeoutMs: 60_000, concurrency: 4 })
 * schedule.select([0, 1, 2])
 * const trials = await schedule.row(0)
 * const verdict = schedule.verdict(trials)
 * const { summary } = await schedule.summary()
 * ```
 */
export class EvalSchedule {
  /** One test name per dataset row, distinct, none named `thresholds`. */
  readonly testNames: readonly string[]
  /** The dataset rows this process defines tests for: every row, or its shard's. */
  readonly rowIndices: readonly number[]
  readonly trials: number
  readonly #options: EvalScheduleOptions
  readonly #indexByName = new Map<string, number>()
  readonly #limit: ReturnType<typeof pLimit>
  readonly #results = new Map<number, Promise<RowResult[]>>()
  #selected = false
  readonly #chosen = new Set<number>()
  #remaining = 0
  #summary: Promise<{ summary: EvalSummary; rows: RowResult[] }> | undefined

  constructor(options: EvalScheduleOptions) {
    this.#options = options
    this.trials = options.prepared.trials
    this.testNames = rowTestNames(options.rows)
    const shard = options.shard
    const indices: number[] = []
    for (let index = 0; index < options.rows.length; index++) {
      if (shard === undefined || inShard({ id: options.rows[index]!.id, index }, shard)) {
        indices.push(index)
      }
    }
    this.rowIndices = indices
    this.testNames.forEach((name, index) => {
      this.#indexByName.set(name, index)
    })
    this.#limit = pLimit(options.concurrency)
  }

  /** The dataset row a row test's name stands for. */
  indexOf(testName: string): number | undefined {
    return this.#indexByName.get(testName)
  }

  /** Whether the host has said which rows run. */
  get selected(): boolean {
    return this.#selected
  }

  /**
   * Starts the rows the host's filter selected, all at once under the concurrency limit (a
   * row's test then only awaits its own row). Called once; later calls are ignored.
   */
  select(indices: Iterable<number>): void {
    if (this.#selected) return
    this.#selected = true
    for (const index of indices) this.#chosen.add(index)
    this.#remaining = this.#chosen.size
    for (const index of this.#chosen) this.#start(index)
  }

  /** Every trial of one row; starts the row if it was not selected before. */
  row(index: number): Promise<RowResult[]> {
    return this.#start(index)
  }

  #start(index: number): Promise<RowResult[]> {
    let p = this.#results.get(index)
    if (p !== undefined) return p
    // One promise a row (not three), and no closure: a big eval runs tens of thousands of rows.
    p =
      this.trials === 1
        ? this.#limit(this.#runSingle, index)
        : Promise.all(
            Array.from({ length: this.trials }, (_, t) => this.#limit(this.#runTrial, index, t)),
          ).then((results) => this.#settle(index, results))
    this.#results.set(index, p)
    return p
  }

  /** One run of one row. */
  readonly #runTrial = (index: number, trial: number): Promise<RowResult> => {
    const { rows, prepared, task, timeoutMs } = this.#options
    return runRow({ row: rows[index]!, index, trial, scorers: prepared.scorers, task, timeoutMs })
  }

  /** The single run of a row (no trials), settled. */
  readonly #runSingle = async (index: number): Promise<RowResult[]> =>
    this.#settle(index, [await this.#runTrial(index, 0)])

  /** A row is in: the last selected one summarises, so the host has the eval's meta at once. */
  #settle(index: number, results: RowResult[]): RowResult[] {
    if (this.#chosen.has(index) && --this.#remaining === 0) void this.summary()
    return results
  }

  /**
   * A row test's verdict over its trials (core's `rowTrialsVerdict`: `trialPassRate` in
   * unit-test mode), and what a tolerated error says.
   */
  verdict(results: readonly RowResult[]): RowTestVerdict {
    // The common case, a passing single run, decides without allocating.
    if (results.length === 1 && results[0]!.passed) return PASSED
    const verdict = rowTrialsVerdict(this.#options.prepared, results)
    const tolerated = verdict.failed
      ? []
      : results.filter((r) => rowErrored(r)).map((r) => describeErrors(r))
    return { ...verdict, tolerated: tolerated.length > 0 ? tolerated.join('; ') : undefined }
  }

  /** The eval's summary over every row that was started, once they are all in. */
  summary(): Promise<{ summary: EvalSummary; rows: RowResult[] }> {
    this.#summary ??= Promise.all(this.#results.values()).then((perRow) => {
      const rows = perRow.flat()
      const summary = summarizeEval(this.#options.prepared, rows, {
        datasetRows: this.#options.rows.length,
      })
      this.#options.onSummary?.(this.meta(summary))
      return { summary, rows }
    })
    return this.#summary
  }

  /** What the host attaches for its reporter: the eval, and its summary once there is one. */
  meta(summary: EvalSummary | null): EvalSuiteMeta {
    const { name, file, prepared, rows } = this.#options
    return {
      kind: 'eval',
      name,
      file,
      hasTask: prepared.hasTask,
      metrics: [...prepared.metrics],
      gates: [...prepared.gates],
      maxErrors: prepared.maxErrors,
      datasetRows: rows.length,
      trials: this.trials,
      trialPassRate: prepared.trialPassRate,
      statistics: prepared.statistics,
      summary,
    }
  }
}

/** One line of a row's errors: its row error, else each errored metric. */
function describeErrors(row: RowResult): string {
  if (row.error !== null) return `${row.error.code}: ${row.error.message}`
  return row.feedback
    .filter((fb) => fb.error !== null)
    .map((fb) => `${fb.name}: ${fb.error!.code}: ${fb.error!.message}`)
    .join('; ')
}
