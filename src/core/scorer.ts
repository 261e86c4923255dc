import type { AggregationSpec } from './aggregate.js'

export { type FeedbackError, toFeedbackError } from '../base/errors.js'

import {
  describeValue,
  EvalgateError,
  type FeedbackError,
  toFeedbackError,
} from '../base/errors.js'
import { jsonProblem } from '../base/json.js'
import { isPlainObject } from '../base/values.js'
import { validateAggregations } from './aggregate.js'

/**
 * A Feedback value. Booleans, `"yes"`/`"no"` and finite numbers have a numeric score; any other
 * string, array or object is kept in the report but has no score (it is neither aggregated nor
 * gated).
 */
export type FeedbackValue =
  | boolean
  | number
  | string
  | readonly unknown[]
  | { readonly [key: string]: unknown }

/** Who produced a Feedback: code, an LLM judge (with the model as `id`) or a person. */
export interface FeedbackSource {
  type: 'CODE' | 'LLM_JUDGE' | 'HUMAN'
  id?: string
}

/**
 * One judgement of one row, as MLflow's `Feedback`. It has a `value` or an `error`, never
 * neither. Unnamed Feedback takes the name of the scorer that returned it.
 *
 * @example
 * ```ts
 * const fb: Feedback = { value: 'yes', rationale: 'The answer cites the source.' }
 * const many: Feedback[] = [{ name: 'relevance', value: true }, { name: 'length', value: 150 }]
 * ```
 */
export interface Feedback {
  name?: string
  value?: FeedbackValue
  rationale?: string
  error?: FeedbackError
  source?: FeedbackSource
  metadata?: Record<string, unknown>
}

/**
 * Everything a scorer may return, sync or async. `null` (or an empty array) abstains: the row
 * does not apply to this scorer, and its metrics count the row as `skipped`.
 */
export type ScorerReturn = boolean | number | string | Feedback | readonly Feedback[] | null

/**
 * The one argument a scorer receives. Declare only the fields you need.
 * `trace` is the row's trace when one exists (see "Traces"), else `undefined`.
 */
export interface ScorerContext<
  I = Record<string, unknown>,
  O = unknown,
  E = Record<string, unknown>,
> {
  inputs: I
  outputs: O
  expectations: E
  trace: unknown
  /** The row's `metadata` (`{}` when it has none). */
  metadata: Record<string, unknown>
  /**
   * Which run of the row is being scored, from 0 (see `trials`): an eval always sets it, and
   * `scoreCase` and the matchers score trial 0. Absent only when a scorer is called by hand;
   * read that as trial 0. LLM judges key their cache on it, so trials are independent samples.
   */
  trial?: number
  /**
   * The row's signal, aborted when the row times out or the run is cancelled (set when the
   * eval has a task): a scorer that calls a service (an LLM judge) stops its requests then.
   */
  signal?: AbortSignal
}

/**
 * A scorer: a plain object anyone may write by hand; `scorer()` builds one from a function.
 *
 * `metrics` declares the metric names a scorer returns when it returns named Feedback; without
 * it, the scorer's metric is its own `name`. Declared names are what thresholds may refer to
 * before any row runs.
 *
 * @example
 * ```ts
 * const nonEmpty: Scorer = {
 *   name: 'non_empty',
 *   score: ({ outputs }) => String(outputs).trim().length > 0,
 * }
 * ```
 */
export interface Scorer<I = Record<string, unknown>, O = unknown, E = Record<string, unknown>> {
  readonly name: string
  readonly description?: string
  readonly aggregations?: readonly AggregationSpec[]
  readonly threshold?: number
  readonly metrics?: readonly string[]
  score(context: ScorerContext<I, O, E>): ScorerReturn | Promise<ScorerReturn>
  /**
   * Optional. Called once per eval, synchronously, while the host collects it: before any row's
   * task runs. It refuses an eval this scorer cannot score at all by throwing an
   * {@link EvalgateError} that names the scorer, what it needs and what it found; the host reports
   * it as the eval's configuration error at the `describeEval` call. Keep it cheap (no network,
   * no per-row work): an eval it lets through is scored row by row as usual, so it should refuse
   * only when every row would fail. The LLM judges use it to refuse an eval they could only
   * answer from an empty cache (no API key, nothing recorded).
   *
   * @example
   * ```ts
   * const lookup: Scorer = {
   *   name: 'in_catalogue',
   *   prepare() {
   *     if (!existsSync('catalogue.json')) {
   *       throw new EvalgateError('scorer "in_catalogue": expected catalogue.json, found no such file')
   *     }
   *   },
   *   score: ({ outputs }) => catalogue().includes(String(outputs)),
   * }
   * ```
   */
  prepare?(): void
}

/** Options of {@link scorer}. */
export interface ScorerOptions {
  name?: string
  description?: string
  /** Builtin aggregation names to show, and custom `(scores) => number` functions to add. */
  aggregations?: readonly AggregationSpec[]
  /** A row passes this scorer's metrics when their score is >= threshold. */
  threshold?: number
  /** The metric names this scorer returns as named Feedback (see {@link Scorer}). */
  metrics?: readonly string[]
}

type ScoreFn<I, O, E> = (context: ScorerContext<I, O, E>) => ScorerReturn | Promise<ScorerReturn>

/**
 * Builds a {@link Scorer} from a function. The name comes from the first argument, the
 * `name` option, or the function's own name, in that order.
 *
 * @example
 * ```ts
 * const exactMatch = scorer('exact_match', ({ outputs, expectations }) =>
 *   outputs === expectations.expected_response)
 *
 * const isShort = scorer(function is_short({ outputs }) {
 *   const words = String(outputs).split(/\s+/).length
 *   return { value: words <= 50, rationale: `${words} words` }
 * })
 * ```
 */
export function scorer<I = Record<string, unknown>, O = unknown, E = Record<string, unknown>>(
  name: string,
  fn: ScoreFn<I, O, E>,
  options?: ScorerOptions,
): Scorer<I, O, E>
export function scorer<I = Record<string, unknown>, O = unknown, E = Record<string, unknown>>(
  fn: ScoreFn<I, O, E>,
  options?: ScorerOptions,
): Scorer<I, O, E>
export function scorer<I, O, E>(
  nameOrFn: string | ScoreFn<I, O, E>,
  fnOrOptions?: ScoreFn<I, O, E> | ScorerOptions,
  maybeOptions?: ScorerOptions,
): Scorer<I, O, E> {
  const named = typeof nameOrFn === 'string'
  const fn = named ? fnOrOptions : nameOrFn
  const options = (named ? maybeOptions : fnOrOptions) ?? {}
  if (typeof fn !== 'function') {
    throw new EvalgateError(
      `scorer(): expected a scoring function ${named ? 'as the second argument' : 'as the first argument'}, received ${describeValue(fn)}`,
    )
  }
  if (typeof options !== 'object' || options === null) {
    throw new EvalgateError(
      `scorer(): expected options to be an object, received ${describeValue(options)}`,
    )
  }
  const opts = options as ScorerOptions
  const name = named ? nameOrFn : (opts.name ?? fn.name)
  const built: { -readonly [K in keyof Scorer<I, O, E>]: Scorer<I, O, E>[K] } = {
    name,
    score: fn as ScoreFn<I, O, E>,
  }
  if (opts.description !== undefined) built.description = opts.description
  if (opts.aggregations !== undefined) built.aggregations = opts.aggregations
  if (opts.threshold !== undefined) built.threshold = opts.threshold
  if (opts.metrics !== undefined) built.metrics = opts.metrics
  validateScorer(built)
  return built
}

const METRIC_NAME = /^[^\s/][^\n]*$/

/**
 * Checks a scorer's shape (hand-written ones too) and throws an {@link EvalgateError} that names
 * the scorer, what was expected and what was received.
 */
export function validateScorer(candidate: unknown, where = 'scorer'): asserts candidate is Scorer {
  if (typeof candidate !== 'object' || candidate === null) {
    throw new EvalgateError(
      `${where}: expected a Scorer { name, score(context) }, received ${describeValue(candidate)}`,
    )
  }
  const s = candidate as Partial<Scorer>
  if (typeof s.name !== 'string' || !METRIC_NAME.test(s.name)) {
    throw new EvalgateError(
      `${where}: expected "name" to be a non-empty string (no leading "/" or space); received ${describeValue(s.name)}. ` +
        'Pass a name, e.g. scorer("exact_match", fn), or use a named function',
    )
  }
  const label = `scorer "${s.name}"`
  if (typeof s.score !== 'function') {
    throw new EvalgateError(
      `${label}: expected "score" to be a function, received ${describeValue(s.score)}`,
    )
  }
  if (
    s.threshold !== undefined &&
    !(typeof s.threshold === 'number' && Number.isFinite(s.threshold))
  ) {
    throw new EvalgateError(
      `${label}: expected "threshold" to be a finite number, received ${describeValue(s.threshold)}`,
    )
  }
  if (s.metrics !== undefined) {
    if (!Array.isArray(s.metrics) || s.metrics.length === 0) {
      throw new EvalgateError(
        `${label}: expected "metrics" to be a non-empty array of names, received ${describeValue(s.metrics)}`,
      )
    }
    const seen = new Set<string>()
    for (const m of s.metrics) {
      if (typeof m !== 'string' || !METRIC_NAME.test(m)) {
        throw new EvalgateError(
          `${label}: expected every entry of "metrics" to be a non-empty name, received ${describeValue(m)}`,
        )
      }
      if (seen.has(m))
        throw new EvalgateError(`${label}: metric "${m}" is declared twice in "metrics"`)
      seen.add(m)
    }
  }
  if (s.prepare !== undefined && typeof s.prepare !== 'function') {
    throw new EvalgateError(
      `${label}: expected "prepare" to be a function, received ${describeValue(s.prepare)}`,
    )
  }
  validateAggregations(s.name, s.aggregations)
}

/** The metric names a scorer produces: its declared `metrics`, else its own name. */
export function metricNamesOf(s: Scorer): readonly string[] {
  return s.metrics ?? [s.name]
}

/**
 * A Feedback after normalisation: it always has a `name`, and exactly one of `value` / `error`,
 * or neither when the scorer abstained (see {@link isAbstention}).
 */
export interface NamedFeedback extends Feedback {
  name: string
}

// One frozen source object per scorer: Feedback of every row shares it (it is only read and
// serialised), which keeps 100k-row evals from allocating one per value.
const sources = new WeakMap<Scorer, FeedbackSource>()
function codeSource(s: Scorer): FeedbackSource {
  let source = sources.get(s)
  if (source === undefined || source.id !== s.name) {
    source = Object.freeze({ type: 'CODE', id: s.name })
    sources.set(s, source)
  }
  return source
}

const FEEDBACK_KEYS = new Set(['name', 'value', 'rationale', 'error', 'source', 'metadata'])
const SOURCE_TYPES = new Set(['CODE', 'LLM_JUDGE', 'HUMAN'])
const ACCEPTED =
  'expected a boolean, a finite number, a string, a Feedback ({ value, rationale? } or { error: { code, message } }) or an array of Feedback'

/** Why `v` is not a Feedback, or `undefined` when it is one. */
function feedbackProblem(v: Record<string, unknown>): string | undefined {
  for (const key in v) {
    if (!FEEDBACK_KEYS.has(key)) return `unknown key "${key}"`
  }
  if (v.name !== undefined && (typeof v.name !== 'string' || !METRIC_NAME.test(v.name))) {
    return `"name" must be a non-empty string, received ${describeValue(v.name)}`
  }
  if (v.rationale !== undefined && typeof v.rationale !== 'string') {
    return `"rationale" must be a string, received ${describeValue(v.rationale)}`
  }
  if (v.error !== undefined) {
    const problem = errorProblem(v.error)
    if (problem !== undefined) return problem
  } else if (v.value === undefined || v.value === null) {
    return 'it has neither "value" nor "error"'
  }
  if (v.value !== undefined && v.value !== null) {
    const problem = valueProblem(v.value)
    if (problem !== undefined) return problem
  }
  if (v.source !== undefined) {
    const s = v.source
    if (
      !isPlainObject(s) ||
      typeof s.type !== 'string' ||
      !SOURCE_TYPES.has(s.type) ||
      (s.id !== undefined && typeof s.id !== 'string') ||
      Object.keys(s).some((k) => k !== 'type' && k !== 'id')
    ) {
      return `"source" must be { type: 'CODE' | 'LLM_JUDGE' | 'HUMAN', id?: string }, received ${describeValue(s)}`
    }
  }
  if (v.metadata !== undefined) {
    if (!isPlainObject(v.metadata)) {
      return `"metadata" must be an object, received ${describeValue(v.metadata)}`
    }
    const problem = jsonProblem(v.metadata, '"metadata"') ?? usageProblem(v.metadata.usage)
    if (problem !== undefined) return problem
  }
  return undefined
}

function errorProblem(e: unknown): string | undefined {
  if (
    !isPlainObject(e) ||
    typeof e.code !== 'string' ||
    typeof e.message !== 'string' ||
    (e.stack !== undefined && typeof e.stack !== 'string') ||
    Object.keys(e).some((k) => k !== 'code' && k !== 'message' && k !== 'stack')
  ) {
    return `"error" must be { code: string, message: string, stack?: string }, received ${describeValue(e)}`
  }
  return undefined
}

function valueProblem(value: unknown): string | undefined {
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return undefined
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : `"value" must be a finite number, received ${describeValue(value)}`
    case 'object':
      if (!Array.isArray(value) && !isJsonish(value as object)) {
        return `"value" must be a boolean, a number, a string, an array or a plain object, received ${describeValue(value)}`
      }
      return jsonProblem(value, '"value"')
    default:
      return `"value" must be a boolean, a number, a string, an array or a plain object, received ${describeValue(value)}`
  }
}

const USAGE_COUNTS = ['requests', 'cacheHits', 'inputTokens', 'outputTokens'] as const

/**
 * A judge's `metadata.usage` is summed into the run's usage: each count a whole number >= 0 and
 * `costUsd` a finite number >= 0 or null, else the Feedback is refused (never a negative cost).
 */
function usageProblem(usage: unknown): string | undefined {
  if (usage === undefined) return undefined
  const expected =
    '"metadata.usage" must be { requests, cacheHits, inputTokens, outputTokens: whole numbers >= 0, costUsd: a number >= 0 or null }'
  if (!isPlainObject(usage)) return `${expected}, received ${describeValue(usage)}`
  for (const key of USAGE_COUNTS) {
    const n = usage[key]
    if (n !== undefined && !(Number.isSafeInteger(n) && (n as number) >= 0)) {
      return `${expected}; "metadata.usage.${key}" is ${describeValue(n)}`
    }
  }
  const cost = usage.costUsd
  if (
    cost !== undefined &&
    cost !== null &&
    !(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0)
  ) {
    return `${expected}; "metadata.usage.costUsd" is ${describeValue(cost)}`
  }
  return undefined
}

function isJsonish(v: object): boolean {
  const proto = Object.getPrototypeOf(v)
  return Array.isArray(v) || proto === Object.prototype || proto === null
}

/**
 * Errored Feedback for every metric a scorer declares: used when the scorer throws, times out,
 * or returns something that is not accepted.
 */
export function errorFeedback(s: Scorer, code: string, error: unknown): NamedFeedback[] {
  const err = toFeedbackError(code, error)
  return metricNamesOf(s).map((name) => ({ name, error: err }))
}

function invalid(s: Scorer, message: string): NamedFeedback[] {
  return errorFeedback(s, 'SCORER_ERROR', new EvalgateError(`scorer "${s.name}" ${message}`))
}

/**
 * Normalises whatever a scorer returned into named Feedback (MLflow's rules): a primitive or an
 * unnamed Feedback takes the scorer's name; a named Feedback keeps its name. Anything not
 * accepted becomes a `SCORER_ERROR` Feedback whose message says what came back and what is
 * accepted. Feedback without a `source` gets `{ type: 'CODE', id: <scorer name> }`.
 */
export function normalizeFeedback(s: Scorer, returned: unknown): NamedFeedback[] {
  const source = codeSource(s)
  switch (typeof returned) {
    case 'boolean':
    case 'string':
      return withDeclared(s, [{ name: s.name, value: returned, source }])
    case 'number':
      if (!Number.isFinite(returned))
        return invalid(s, `returned ${describeValue(returned)}; ${ACCEPTED}`)
      return withDeclared(s, [{ name: s.name, value: returned, source }])
    case 'object':
      break
    default:
      return invalid(s, `returned ${describeValue(returned)}; ${ACCEPTED}`)
  }
  const list: readonly unknown[] | null =
    returned === null ? null : Array.isArray(returned) ? returned : [returned]
  // `null` or `[]`: the scorer abstains, the row does not apply to it (as MLflow's None).
  if (list === null || list.length === 0) return abstained(s)
  const out: NamedFeedback[] = []
  const names = new Set<string>()
  for (let i = 0; i < list.length; i++) {
    const item = list[i]
    const at = Array.isArray(returned) ? ` at index ${i}` : ''
    if (!isPlainObject(item)) return invalid(s, `returned ${describeValue(item)}${at}; ${ACCEPTED}`)
    const problem = feedbackProblem(item)
    if (problem !== undefined) {
      return invalid(
        s,
        `returned ${describeValue(item)}${at}, which is not a Feedback (${problem}); ${ACCEPTED}`,
      )
    }
    // MLflow's default Feedback name is "feedback": such a Feedback takes the scorer's name.
    const given = item.name as string | undefined
    const fb = {
      ...(item as Feedback),
      name: given === undefined || given === DEFAULT_FEEDBACK_NAME ? s.name : given,
    } as NamedFeedback
    if (names.has(fb.name)) {
      return invalid(
        s,
        `returned two Feedback named "${fb.name}"; give each Feedback of an array a distinct "name"`,
      )
    }
    names.add(fb.name)
    if (fb.source === undefined) fb.source = source
    out.push(fb)
  }
  return withDeclared(s, out)
}

/** MLflow names an unnamed Feedback "feedback"; evalgate gives it the scorer's name instead. */
const DEFAULT_FEEDBACK_NAME = 'feedback'

/**
 * The abstention of a scorer for one row: one entry per metric it produces, with neither a
 * value nor an error (the metric counts the row as `skipped`).
 */
function abstained(s: Scorer): NamedFeedback[] {
  const source = codeSource(s)
  return metricNamesOf(s).map((name) => ({ name, source }))
}

/**
 * Whether a normalised Feedback is an abstention (the scorer returned `null` or `[]`).
 *
 * @example
 * ```ts
 * normalizeFeedback(myScorer, null).every(isAbstention) // true
 * ```
 */
export function isAbstention(fb: Feedback): boolean {
  return fb.error === undefined && (fb.value === undefined || fb.value === null)
}

/** A scorer that declares its metrics may only return those. */
function withDeclared(s: Scorer, fbs: NamedFeedback[]): NamedFeedback[] {
  const declared = s.metrics
  if (declared === undefined) return fbs
  for (const fb of fbs) {
    if (!declared.includes(fb.name)) {
      return invalid(
        s,
        `returned metric "${fb.name}", which it does not declare (metrics: ${declared.join(', ')})`,
      )
    }
  }
  if (fbs.length === declared.length) return fbs
  // A declared metric that did not come back is an error, not a silently smaller sample.
  const out = [...fbs]
  for (const name of declared) {
    if (!fbs.some((fb) => fb.name === name)) {
      const message = `evalgate: scorer "${s.name}" did not return metric "${name}", which it declares`
      out.push({ name, error: { code: 'SCORER_ERROR', message } })
    }
  }
  return out
}
