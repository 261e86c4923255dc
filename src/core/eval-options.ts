import { describeValue, EvalgateError } from '../base/errors.js'
import type { AgreementOption } from './agreement.js'
import type { DataSourceContext, Row } from './dataset.js'
import type { PreparedEval } from './eval-types.js'
import { prepareEval } from './evaluate.js'
import type { Task } from './run.js'
import type { Scorer } from './scorer.js'
import { parseShard, type Shard, shardFromEnv } from './shard.js'
import type { StatisticsOptions } from './statistics.js'
import type { Thresholds } from './thresholds.js'

export { DEFAULT_CONCURRENCY } from './evaluate.js'
/** Per-row timeout (task and scorers together) when `timeout` is not given. */
export const DEFAULT_TIMEOUT_MS = 60_000

/**
 * Rows of `I`, in any of the forms of `DataSource` (a path, rows, a sync or async iterable, or a
 * function returning one), for inputs and expectations typed with interfaces as well as type
 * aliases. `DataSource<R>` itself requires `R extends Row`, whose `Record<string, unknown>` an
 * interface is not assignable to.
 */
type EvalData<I extends object> =
  | string
  | readonly Row<I, object>[]
  | Iterable<Row<I, object>>
  | AsyncIterable<Row<I, object>>
  | ((
      context: DataSourceContext,
    ) =>
      | readonly Row<I, object>[]
      | Iterable<Row<I, object>>
      | AsyncIterable<Row<I, object>>
      | Promise<
          readonly Row<I, object>[] | Iterable<Row<I, object>> | AsyncIterable<Row<I, object>>
        >)

/**
 * Options of `describeEval`, the same under every host (Vitest, Jest).
 *
 * @typeParam I - the shape of each row's `inputs`: an interface or a type alias.
 * @typeParam O - what the task returns.
 *
 * @example
 * ```ts
 * const options: DescribeEvalOptions<{ question: string }, string> = {
 *   data: 'fixtures/qa.jsonl',
 *   task: async (inputs) => answer(inputs.question),
 *   scorers: [exactMatch],
 *   thresholds: { 'exact_match/mean': 0.9 },
 * }
 * ```
 */
export interface DescribeEvalOptions<I extends object = Record<string, unknown>, O = unknown> {
  /** Rows, or a `.jsonl` / `.json` / `.csv` path relative to the host's root. */
  data: EvalData<I>
  /** The application under test. Without it, each row's stored `outputs` are scored. */
  task?: Task<I, O>
  /**
   * The scorers of every row: typed ones (`Scorer<I, O, E>`, interfaces too) and the built-ins
   * (`Scorer`) side by side.
   */
  scorers: readonly Scorer<unknown, unknown, unknown>[]
  /** `'<metric>/<aggregation>'` gates. Without them every row is gated on its metrics. */
  thresholds?: Thresholds
  /** Errored rows tolerated before the eval fails. Default 0. */
  maxErrors?: number
  /** Rows in flight at once, whatever the host's own concurrency settings are. Default 8. */
  concurrency?: number
  /** Per row, task and scorers together, in ms. Default 60 000. */
  timeout?: number
  /**
   * Runs of each row (task and scorers), each its own result: LLM output is a sample. Default 1.
   */
  trials?: number
  /**
   * In unit-test mode, the share of a row's trials that must pass each metric for its test to
   * pass. Default 1 (every trial).
   */
  trialPassRate?: number
  /** How confidence intervals are computed: `{ confidence, method: 't' | 'bootstrap', resamples, seed }`. */
  statistics?: StatisticsOptions
  /**
   * Where rows hold the human verdict of a judged metric (`{ correctness:
   * 'expectations.human_correctness' }`); by default `expectations.human.<metric>`. Gives the
   * metric `kappa`, `accuracy` and `corrected` (the bias-corrected pass rate).
   */
  agreement?: AgreementOption
  /**
   * Run only the rows of shard `'i/n'` (a stable hash of each row's id, else its index), to
   * spread one big eval over a CI matrix; `evalgate merge` joins the shards' artifacts. Default:
   * `$EVALGATE_SHARD`, else every row.
   */
  shard?: string | Shard
}

const OPTION_KEYS = new Set([
  'data',
  'task',
  'scorers',
  'thresholds',
  'maxErrors',
  'concurrency',
  'timeout',
  'trials',
  'trialPassRate',
  'statistics',
  'agreement',
  'shard',
])

/**
 * Checks `describeEval`'s name and options (the scorers, thresholds and data are checked by
 * `prepareEval` and the loaders), throwing an {@link EvalgateError} that names the eval, the
 * option, what was expected and what was received.
 *
 * @example
 * ```ts
 * checkEvalOptions('qa', { data: rows, scorers: [exactMatch], concurrency: 0 })
 * // throws: evalgate: describeEval "qa": expected "concurrency" to be a whole number from 1 and up, received 0
 * ```
 */
export function checkEvalOptions(
  name: unknown,
  options: unknown,
): asserts options is DescribeEvalOptions {
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
  for (const key of ['concurrency', 'timeout', 'trials'] as const) {
    const v = o[key]
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
      throw new EvalgateError(
        `describeEval "${name}": expected "${key}" to be a whole number from 1 and up, received ${describeValue(v)}`,
      )
    }
  }
}

/**
 * The row shard an eval runs: its `shard` option, else `$EVALGATE_SHARD`, else none (every row).
 * A bad value is an {@link EvalgateError} naming where it came from.
 *
 * @example
 * ```ts
 * evalShard({ shard: '2/4' }, process.env) // { index: 2, count: 4 }
 * ```
 */
export function evalShard(
  options: Pick<DescribeEvalOptions, 'shard'>,
  env: Readonly<Record<string, string | undefined>>,
): Shard | undefined {
  if (options.shard !== undefined) return parseShard(options.shard, 'describeEval "shard"')
  return shardFromEnv(env)
}

/** The name of an eval's final test, which holds the eval's own verdict. */
export const THRESHOLDS_TEST = 'thresholds'

/**
 * A short, single-line name for a row's test: its `id`, else `[index]` and a rendering of its
 * inputs.
 *
 * @example
 * ```ts
 * rowTestName({ id: 'refund-1', inputs: {} }, 0) // 'refund-1'
 * rowTestName({ inputs: { question: 'What is 2+2?' } }, 3) // '[3] What is 2+2?'
 * ```
 */
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
 * Test names for the rows, each distinct and none named like the `thresholds` test: a row
 * whose name is taken gets its index appended (`q1 #4`), so `-t` and reports tell them apart.
 *
 * @example
 * ```ts
 * rowTestNames([{ id: 'a', inputs: {} }, { id: 'thresholds', inputs: {} }]) // ['a', 'thresholds #1']
 * ```
 */
export function rowTestNames(rows: readonly Row[]): string[] {
  const used = new Set<string>([THRESHOLDS_TEST])
  return rows.map((row, index) => {
    const base = rowTestName(row, index)
    let name = base
    for (let k = 0; used.has(name); k++) {
      name = k === 0 ? `${base} #${index}` : `${base} #${index}.${k}`
    }
    used.add(name)
    return name
  })
}

/**
 * Checks `describeEval`'s options and prepares the eval (scorers, thresholds, trials,
 * statistics), then calls each scorer's `prepare()` hook once, before any row runs (not for an
 * eval the host skips, `host.skipped`): what every host does first, in one place.
 *
 * @example
 * ```ts
 * const prepared = prepareDescribedEval('qa', { data: rows, task, scorers: [exactMatch], trials: 3 })
 * prepared.trials // 3
 * ```
 */
export function prepareDescribedEval(
  name: unknown,
  options: unknown,
  host: { skipped?: boolean } = {},
): PreparedEval {
  checkEvalOptions(name, options)
  const prepared = prepareEval({
    scorers: options.scorers,
    thresholds: options.thresholds,
    maxErrors: options.maxErrors,
    hasTask: options.task !== undefined,
    trials: options.trials,
    trialPassRate: options.trialPassRate,
    statistics: options.statistics,
    agreement: options.agreement,
  })
  // Once per eval, after every option is checked and before any row runs: a scorer that could
  // score no row at all (a judge with no key and nothing recorded) refuses the eval here. A
  // skipped eval (`describeEval.skip`) runs nothing, so nothing refuses it.
  if (host.skipped !== true) for (const s of options.scorers) s.prepare?.()
  return prepared
}

/**
 * The type of `describeEval` in every host: the function and its `skip`, `only` and `todo`
 * forms (as the host's `describe.skip/only` and its todo).
 *
 * @example
 * ```ts
 * const evalSuite: DescribeEval = describeEval
 * evalSuite.skip('slow eval', { data: rows, scorers: [exactMatch] })
 * ```
 */
export interface DescribeEval {
  <I extends object = Record<string, unknown>, O = unknown>(
    name: string,
    options: DescribeEvalOptions<I, O>,
  ): void
  /** Like `describe.skip`: the eval is listed, none of its rows runs. */
  skip<I extends object = Record<string, unknown>, O = unknown>(
    name: string,
    options: DescribeEvalOptions<I, O>,
  ): void
  /** Like `describe.only`: only this eval (and other `.only` blocks) of the file runs. */
  only<I extends object = Record<string, unknown>, O = unknown>(
    name: string,
    options: DescribeEvalOptions<I, O>,
  ): void
  /** An eval yet to be written (the host's todo). */
  todo(name: string): void
}
