import { describeValue, EvalgateError } from '../base/errors.js'
import { capJsonValue, define, toJsonValue } from '../base/json.js'
import { lazySchema, loadZod } from '../base/zod.js'
import { type MutableSpan, newTraceId, type Span, type SpanStatus, type SpanType } from './span.js'

/**
 * A span in a trace's JSON form: the {@link Span} fields, with JSON values only.
 *
 * @example
 * ```ts
 * const span: SpanJSON = {
 *   spanId: '5f2b0c1d9e8a7b6c', parentId: null, name: 'agent', type: 'AGENT',
 *   startMs: 1767225600000, endMs: 1767225600042, inputs: { question: 'Hi' }, outputs: 'Hello',
 *   attributes: {}, status: { code: 'OK', message: null },
 * }
 * ```
 */
export interface SpanJSON {
  spanId: string
  parentId: string | null
  name: string
  type: SpanType
  startMs: number
  endMs: number | null
  inputs: unknown
  outputs: unknown
  attributes: Record<string, unknown>
  status: { code: SpanStatus['code']; message: string | null }
}

/**
 * A trace's JSON form, as `trace.toJSON()` writes it and `Trace.fromJSON()` reads it (and as it
 * rides in the report's `rows[].trace`). Spans are in recording order.
 *
 * @example
 * ```ts
 * const json: TraceJSON = trace.toJSON()
 * writeFileSync('trace.json', JSON.stringify(json))
 * ```
 */
export interface TraceJSON {
  traceId: string
  spans: SpanJSON[]
}

/**
 * The zod schema of {@link TraceJSON}: strict objects, so a misspelt field is an error.
 *
 * @example
 * ```ts
 * TraceJSONSchema.safeParse(row.trace).success // is this a stored evalgate trace?
 * ```
 */
export const TraceJSONSchema = lazySchema(buildTraceJSONSchema)

function buildTraceJSONSchema() {
  const { z } = loadZod()
  return z.strictObject({
    traceId: z.string().min(1),
    spans: z.array(
      z.strictObject({
        spanId: z.string().min(1),
        parentId: z.string().min(1).nullable(),
        name: z.string(),
        type: z.string().min(1),
        startMs: z.number(),
        endMs: z.number().nullable(),
        inputs: z.unknown(),
        outputs: z.unknown(),
        attributes: z.record(z.string(), z.unknown()),
        status: z.strictObject({
          code: z.enum(['UNSET', 'OK', 'ERROR']),
          message: z.string().nullable(),
        }),
      }),
    ),
  })
}

/**
 * Options of {@link Trace.toJSON}.
 *
 * @example
 * ```ts
 * trace.toJSON({ maxValueBytes: 16 * 1024 }) // what the report stores
 * ```
 */
export interface TraceJSONOptions {
  /**
   * Caps each span's `inputs`, `outputs` and each attribute value: a value whose JSON text is
   * larger (in UTF-8 bytes) is replaced by `{ __truncated__: true, originalBytes, preview }`.
   * Default: no cap.
   */
  maxValueBytes?: number
}

/**
 * Which spans {@link Trace.searchSpans} returns: `type` and `name` each match exactly (a string)
 * or by a RegExp; both given, a span must match both.
 *
 * @example
 * ```ts
 * const filter: SpanFilter = { type: 'TOOL', name: /^search_/ }
 * ```
 */
export interface SpanFilter {
  type?: string | RegExp
  name?: string | RegExp
}

/**
 * The report's cap on one span value (inputs, outputs, each attribute): 16 KiB of JSON.
 *
 * @example
 * ```ts
 * const stored = trace.toJSON({ maxValueBytes: TRACE_MAX_VALUE_BYTES }) // as in the artifact
 * ```
 */
export const TRACE_MAX_VALUE_BYTES = 16 * 1024

const BRAND = Symbol.for('evalgate.trace')

// Access to a trace's private state for the recording side (context, traced, OpenAI, OTel),
// which lives in other modules; the public API stays read-only.
let spansOf!: (trace: Trace) => MutableSpan[]
let stateOf!: (trace: Trace) => { closed: boolean; index: Map<string, MutableSpan> | undefined }

/**
 * The spans one row's task produced, as MLflow's trace: what the application did (tool calls,
 * retrievals, LLM calls), with inputs, outputs, timing and errors. Scorers receive it as `trace`;
 * the report stores its JSON; `Trace.fromJSON` brings a stored one back, so a later run can
 * re-score it without re-running the application.
 *
 * @example
 * ```ts
 * const usedSearch = scorer('used_search', ({ trace }) => {
 *   const calls = (trace as Trace).searchSpans({ type: 'TOOL', name: 'search_docs' })
 *   return { value: calls.length > 0, rationale: `${calls.length} search_docs call(s)` }
 * })
 * ```
 */
export class Trace {
  readonly traceId: string
  readonly #spans: MutableSpan[] = []
  readonly #state: { closed: boolean; index: Map<string, MutableSpan> | undefined } = {
    closed: false,
    index: undefined,
  }

  static {
    spansOf = (trace) => trace.#spans
    stateOf = (trace) => trace.#state
  }

  /** An empty trace; spans are recorded into it by `traced`, `startSpan` and the instrumentations. */
  constructor(traceId: string = newTraceId()) {
    if (typeof traceId !== 'string' || traceId === '') {
      throw new EvalgateError(
        `new Trace(): expected "traceId" to be a non-empty string, received ${describeValue(traceId)}`,
      )
    }
    this.traceId = traceId
    Object.defineProperty(this, BRAND, { value: true })
  }

  /** Every span, in recording order. */
  get spans(): readonly Span[] {
    return this.#spans
  }

  /** The earliest span without a parent, or `null` for an empty trace. */
  get rootSpan(): Span | null {
    let root: Span | null = null
    for (const s of this.#spans) {
      if (s.parentId === null && (root === null || s.startMs < root.startMs)) root = s
    }
    return root
  }

  /** The root span's duration in milliseconds; `null` without a root or while it runs. */
  get durationMs(): number | null {
    const root = this.rootSpan
    return root === null || root.endMs === null ? null : root.endMs - root.startMs
  }

  /**
   * The spans whose `type` and `name` match the filter (a string exactly, a RegExp by `test`),
   * in start order.
   *
   * @example
   * ```ts
   * trace.searchSpans({ type: 'RETRIEVER' })
   * trace.searchSpans({ name: /^get_/ })
   * ```
   */
  searchSpans(filter: SpanFilter = {}): Span[] {
    if (typeof filter !== 'object' || filter === null) {
      throw new EvalgateError(
        `trace.searchSpans(): expected a filter { type?, name? }, received ${describeValue(filter)}`,
      )
    }
    const type = matcher('type', filter.type)
    const name = matcher('name', filter.name)
    const out = this.#spans.filter((s) => type(s.type) && name(s.name))
    // Array.prototype.sort is stable: spans that start together keep their recording order.
    return out.sort((a, b) => a.startMs - b.startMs)
  }

  /**
   * The trace as plain JSON ({@link TraceJSON}): span values become JSON-safe copies (see the
   * README's "Traces"), and with `maxValueBytes` each oversized value is replaced by a
   * `{ __truncated__: true, originalBytes, preview }` marker. `Trace.fromJSON(trace.toJSON())`
   * gives back an equal trace, and `toJSON` of that is deep-equal to the first.
   *
   * @example
   * ```ts
   * const json = trace.toJSON()
   * Trace.fromJSON(JSON.parse(JSON.stringify(json))).toJSON() // deep-equals json
   * ```
   */
  toJSON(options?: TraceJSONOptions | string): TraceJSON {
    // JSON.stringify calls toJSON(key): a string argument means "no options".
    const max = typeof options === 'object' && options !== null ? options.maxValueBytes : undefined
    if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
      throw new EvalgateError(
        `trace.toJSON(): expected "maxValueBytes" to be a whole number from 1 and up, received ${describeValue(max)}`,
      )
    }
    const value = (v: unknown) => {
      const json = toJsonValue(v)
      return max === undefined ? json : capJsonValue(json, max)
    }
    return {
      traceId: this.traceId,
      spans: this.#spans.map((s) => {
        const attributes: Record<string, unknown> = {}
        for (const key of Object.keys(s.attributes)) {
          const v = s.attributes[key]
          if (v !== undefined) define(attributes, key, value(v))
        }
        return {
          spanId: s.spanId,
          parentId: s.parentId,
          name: s.name,
          type: s.type,
          startMs: s.startMs,
          endMs: s.endMs,
          inputs: value(s.inputs),
          outputs: value(s.outputs),
          attributes,
          status: { code: s.status.code, message: s.status.message },
        }
      }),
    }
  }

  /**
   * A trace from its JSON form (as `toJSON` wrote it, e.g. read back from a report). The JSON is
   * validated: a bad field, a duplicate span id or a parent that is not in the trace throws an
   * {@link EvalgateError} naming the span and the field. A trace read back is closed: nothing
   * more is recorded into it.
   *
   * @example
   * ```ts
   * const trace = Trace.fromJSON(JSON.parse(readFileSync('trace.json', 'utf8')))
   * trace.searchSpans({ type: 'TOOL' }).map((s) => s.name)
   * ```
   */
  static fromJSON(json: unknown): Trace {
    const problem = traceJsonProblem(json)
    if (problem !== undefined) throw new EvalgateError(`Trace.fromJSON(): ${problem}`)
    const input = json as TraceJSON
    const trace = new Trace(input.traceId)
    const spans = spansOf(trace)
    for (const s of input.spans) {
      const attributes: Record<string, unknown> = {}
      for (const key of Object.keys(s.attributes)) define(attributes, key, s.attributes[key])
      spans.push({
        spanId: s.spanId,
        parentId: s.parentId,
        name: s.name,
        type: s.type,
        startMs: s.startMs,
        endMs: s.endMs,
        inputs: s.inputs,
        outputs: s.outputs,
        attributes,
        status: { code: s.status.code, message: s.status.message },
      })
    }
    stateOf(trace).closed = true
    return trace
  }

  /**
   * Whether `value` is a {@link Trace}, also one made by another copy of evalgate (an ESM and a
   * CJS copy in one process).
   *
   * @example
   * ```ts
   * if (Trace.isTrace(ctx.trace)) ctx.trace.searchSpans({ type: 'TOOL' })
   * ```
   */
  static isTrace(value: unknown): value is Trace {
    return (
      value instanceof Trace ||
      (typeof value === 'object' &&
        value !== null &&
        (value as Record<symbol, unknown>)[BRAND] === true)
    )
  }
}

function matcher(field: string, m: unknown): (value: string) => boolean {
  if (m === undefined) return () => true
  if (typeof m === 'string') return (value) => value === m
  if (m instanceof RegExp) {
    return (value) => {
      // A /g or /y RegExp keeps state between `test` calls; each span starts afresh.
      m.lastIndex = 0
      return m.test(value)
    }
  }
  throw new EvalgateError(
    `trace.searchSpans(): expected "${field}" to be a string or a RegExp, received ${describeValue(m)}`,
  )
}

/** Why `json` is not a valid {@link TraceJSON}, or `undefined` when it is one. */
export function traceJsonProblem(json: unknown): string | undefined {
  const result = TraceJSONSchema.safeParse(json)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const where = issue.path.length === 0 ? 'the trace' : `"${pathOf(issue.path)}"`
    return `${where}: ${issue.message}${issue.path.length === 0 ? `, received ${describeValue(json)}` : ''}`
  }
  const ids = new Set<string>()
  for (const [i, s] of result.data.spans.entries()) {
    if (ids.has(s.spanId)) return `"spans[${i}].spanId": duplicate span id "${s.spanId}"`
    ids.add(s.spanId)
  }
  for (const [i, s] of result.data.spans.entries()) {
    if (s.parentId !== null && !ids.has(s.parentId)) {
      return `"spans[${i}].parentId": span "${s.name}" has parent "${s.parentId}", which is not a span of this trace`
    }
  }
  return undefined
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`
  }
  return out
}

/**
 * A {@link Trace} from what a row or a scorer holds: a Trace as it is, a valid {@link TraceJSON}
 * read with `Trace.fromJSON`, anything else `undefined`.
 */
export function asTrace(value: unknown): Trace | undefined {
  if (Trace.isTrace(value)) return value
  if (typeof value !== 'object' || value === null) return undefined
  return traceJsonProblem(value) === undefined ? Trace.fromJSON(value) : undefined
}

/**
 * Records a span into a trace (internal: the recording side). Returns `false`, recording
 * nothing, when the trace is closed (its row finished).
 */
export function recordSpan(trace: Trace, span: MutableSpan): boolean {
  const state = stateOf(trace)
  if (state.closed) return false
  spansOf(trace).push(span)
  state.index?.set(span.spanId, span)
  return true
}

/** A recorded span of the trace by id (internal: for OpenTelemetry parents). */
export function spanById(trace: Trace, spanId: string): MutableSpan | undefined {
  const state = stateOf(trace)
  if (state.index === undefined) {
    state.index = new Map()
    for (const s of spansOf(trace)) state.index.set(s.spanId, s)
  }
  return state.index.get(spanId)
}

/** Stops recording into a trace (internal: its row finished). */
export function closeTrace(trace: Trace): void {
  stateOf(trace).closed = true
}

/** Whether a trace still records spans (internal). */
export function isOpen(trace: Trace): boolean {
  return !stateOf(trace).closed
}
