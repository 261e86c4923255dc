import { describeValue, EvalgateError } from '../base/errors.js'
import { isThenable } from '../base/values.js'
import { currentFrame, endSpan, type Frame, failSpan, openSpan, runInFrame } from './context.js'
import type { MutableSpan, Span, SpanType } from './span.js'

/**
 * Options of {@link traced}.
 *
 * @example
 * ```ts
 * const options: TracedOptions = { type: 'TOOL', attributes: { 'tool.version': 2 } }
 * ```
 */
export interface TracedOptions {
  /** The span type (MLflow's, or a custom string). Default `UNKNOWN`. */
  type?: SpanType
  /** Attributes set on every span of this function. */
  attributes?: Record<string, unknown>
  /**
   * What to record as the span's inputs, from the call's arguments. Default: the argument itself
   * when there is exactly one, `null` when there is none, else the array of arguments.
   */
  inputs?: (args: unknown[]) => unknown
  /** What to record as the span's outputs, from the (awaited) return value. Default: as is. */
  outputs?: (result: unknown) => unknown
}

// biome-ignore lint/suspicious/noExplicitAny: any function, whatever its parameters
type AnyFunction = (...args: any[]) => any

function defaultInputs(args: unknown[]): unknown {
  return args.length === 0 ? null : args.length === 1 ? args[0] : args
}

/**
 * Wraps a function so each call inside an eval records a span: its inputs (the arguments), its
 * outputs (the return value, awaited for async functions), its timing, and its error (status
 * `ERROR` with the message; the error is rethrown unchanged). Calls nest: a traced function
 * called by another becomes its child span. Sync functions stay sync.
 *
 * Outside an eval (no trace recording in this async context) the wrapper calls the function
 * directly and records nothing; while no trace is recording anywhere it costs one integer
 * comparison.
 *
 * @example
 * ```ts
 * import { traced } from 'evalgate'
 *
 * const searchDocs = traced('search_docs', async (query: string) => index.search(query), {
 *   type: 'RETRIEVER',
 * })
 * const getOrder = traced(async function get_order(id: string) { return db.order(id) }, {
 *   type: 'TOOL',
 * })
 * ```
 */
export function traced<F extends AnyFunction>(name: string, fn: F, options?: TracedOptions): F
export function traced<F extends AnyFunction>(fn: F, options?: TracedOptions): F
export function traced<F extends AnyFunction>(
  nameOrFn: string | F,
  fnOrOptions?: F | TracedOptions,
  maybeOptions?: TracedOptions,
): F {
  const named = typeof nameOrFn === 'string'
  const fn = (named ? fnOrOptions : nameOrFn) as F
  const options = ((named ? maybeOptions : fnOrOptions) ?? {}) as TracedOptions
  if (typeof fn !== 'function') {
    throw new EvalgateError(
      `traced(): expected a function ${named ? 'as the second argument' : 'as the first argument'}, received ${describeValue(fn)}`,
    )
  }
  const name = named ? nameOrFn : fn.name
  if (typeof name !== 'string' || name === '') {
    throw new EvalgateError(
      `traced(): expected a span name, received ${describeValue(name)}; pass one, e.g. traced('search_docs', fn), or use a named function`,
    )
  }
  checkOptions(name, options)
  const type = options.type ?? 'UNKNOWN'
  const inputsOf = options.inputs ?? defaultInputs
  const outputsOf = options.outputs
  const attributes = options.attributes

  function wrapper(this: unknown, ...args: unknown[]): unknown {
    const frame = currentFrame()
    if (frame === undefined) return fn.apply(this, args)
    const span = openSpan(frame, { name, type, inputs: inputsOf(args), attributes })
    if (span === undefined) return fn.apply(this, args)
    let result: unknown
    try {
      result = runInFrame({ trace: frame.trace, span }, () => fn.apply(this, args))
    } catch (error) {
      failSpan(span, error)
      throw error
    }
    if (!isThenable(result)) {
      finish(span, result, outputsOf)
      return result
    }
    return Promise.resolve(result).then(
      (value) => {
        finish(span, value, outputsOf)
        return value
      },
      (error: unknown) => {
        failSpan(span, error)
        throw error
      },
    )
  }
  Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true })
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true })
  return wrapper as F
}

function finish(
  span: MutableSpan,
  value: unknown,
  outputsOf: ((result: unknown) => unknown) | undefined,
): void {
  if (outputsOf === undefined) {
    endSpan(span, value)
    return
  }
  let outputs: unknown
  try {
    outputs = outputsOf(value)
  } catch (error) {
    // The function itself succeeded: a broken mapper must not fail the application.
    outputs = `[outputs mapper threw: ${error instanceof Error ? error.message : describeValue(error)}]`
  }
  endSpan(span, outputs)
}

const OPTION_KEYS = new Set(['type', 'attributes', 'inputs', 'outputs'])

function checkOptions(name: string, options: unknown): asserts options is TracedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new EvalgateError(
      `traced("${name}"): expected options { type?, attributes?, inputs?, outputs? }, received ${describeValue(options)}`,
    )
  }
  const o = options as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) {
      throw new EvalgateError(
        `traced("${name}"): unknown option "${key}" (allowed: ${[...OPTION_KEYS].join(', ')})`,
      )
    }
  }
  if (o.type !== undefined && (typeof o.type !== 'string' || o.type === '')) {
    throw new EvalgateError(
      `traced("${name}"): expected "type" to be a non-empty string such as 'TOOL', received ${describeValue(o.type)}`,
    )
  }
  if (o.attributes !== undefined && (typeof o.attributes !== 'object' || o.attributes === null)) {
    throw new EvalgateError(
      `traced("${name}"): expected "attributes" to be an object, received ${describeValue(o.attributes)}`,
    )
  }
  for (const key of ['inputs', 'outputs'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw new EvalgateError(
        `traced("${name}"): expected "${key}" to be a function, received ${describeValue(o[key])}`,
      )
    }
  }
}

/**
 * A span opened by {@link startSpan}: set what you know, then `end` or `fail` it once. Outside
 * an eval every method does nothing and `span` is `undefined`.
 *
 * @example
 * ```ts
 * const span: SpanHandle = startSpan('cache_lookup', { type: 'MEMORY' })
 * span.end(hit)
 * ```
 */
export interface SpanHandle {
  /** The recorded span (read-only view), or `undefined` when nothing is recording. */
  readonly span: Span | undefined
  setInputs(inputs: unknown): this
  setAttributes(attributes: Record<string, unknown>): this
  /** Ends the span with status `OK` and these outputs. Only the first `end`/`fail` counts. */
  end(outputs?: unknown): void
  /** Ends the span with status `ERROR` and the error's message. */
  fail(error: unknown): void
  /** Runs `fn` with this span as the parent of the spans `fn` starts. */
  run<T>(fn: () => T): T
}

/**
 * Options of {@link startSpan}.
 *
 * @example
 * ```ts
 * const options: StartSpanOptions = { type: 'TOOL', inputs: { id: 42 } }
 * ```
 */
export interface StartSpanOptions {
  type?: SpanType
  inputs?: unknown
  attributes?: Record<string, unknown>
}

const NOOP: SpanHandle = Object.freeze({
  span: undefined,
  setInputs() {
    return NOOP
  },
  setAttributes() {
    return NOOP
  },
  end() {},
  fail() {},
  run<T>(fn: () => T): T {
    return fn()
  },
}) as SpanHandle

class LiveSpanHandle implements SpanHandle {
  constructor(
    readonly span: MutableSpan,
    private readonly frame: Frame,
  ) {}
  setInputs(inputs: unknown): this {
    this.span.inputs = inputs
    return this
  }
  setAttributes(attributes: Record<string, unknown>): this {
    Object.assign(this.span.attributes, attributes)
    return this
  }
  end(outputs?: unknown): void {
    endSpan(this.span, outputs)
  }
  fail(error: unknown): void {
    failSpan(this.span, error)
  }
  run<T>(fn: () => T): T {
    return runInFrame({ trace: this.frame.trace, span: this.span }, fn)
  }
}

/**
 * The manual form of {@link traced}, for code that cannot be wrapped in one function (callbacks,
 * event handlers, a stream consumed elsewhere): opens a span under the current one and returns
 * a handle to `end` or `fail` it. Outside an eval it returns a handle that records nothing.
 *
 * @example
 * ```ts
 * import { startSpan } from 'evalgate'
 *
 * const span = startSpan('vector_search', { type: 'RETRIEVER', inputs: { query } })
 * socket.once('results', (docs) => span.end(docs))
 * socket.once('error', (error) => span.fail(error))
 * ```
 */
export function startSpan(name: string, options: StartSpanOptions = {}): SpanHandle {
  if (typeof name !== 'string' || name === '') {
    throw new EvalgateError(
      `startSpan(): expected a non-empty span name, received ${describeValue(name)}`,
    )
  }
  const frame = currentFrame()
  if (frame === undefined) return NOOP
  const span = openSpan(frame, {
    name,
    type: options.type ?? 'UNKNOWN',
    inputs: options.inputs,
    attributes: options.attributes,
  })
  return span === undefined ? NOOP : new LiveSpanHandle(span, frame)
}
