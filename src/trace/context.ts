import { AsyncLocalStorage } from 'node:async_hooks'
import { toFeedbackError } from '../base/errors.js'
import { type MutableSpan, newSpanId, nowMs, type SpanType } from './span.js'
import { closeTrace, recordSpan, Trace } from './trace.js'

/** Where recording happens now: a trace and the span new spans nest under. */
export interface Frame {
  readonly trace: Trace
  readonly span: MutableSpan | undefined
}

const storage = new AsyncLocalStorage<Frame>()

// Traces being recorded anywhere in the process. While it is 0 (always, outside an eval),
// `traced` and the instrumentations skip even the AsyncLocalStorage lookup.
let active = 0

/** The recording frame of the current async context, if any (internal). */
export function currentFrame(): Frame | undefined {
  return active === 0 ? undefined : storage.getStore()
}

/** Runs `fn` with `frame` as the current recording frame (internal). */
export function runInFrame<T>(frame: Frame, fn: () => T): T {
  return storage.run(frame, fn)
}

/**
 * Starts recording a new trace (internal): the returned `done` closes it. Between the two, and
 * inside `runInFrame`, spans started in the same async context go into it.
 */
export function beginTrace(): { trace: Trace; done: () => void } {
  const trace = new Trace()
  active++
  let finished = false
  return {
    trace,
    done: () => {
      if (finished) return
      finished = true
      active--
      closeTrace(trace)
    },
  }
}

/** Options of {@link openSpan}. */
export interface OpenSpanOptions {
  name: string
  type: SpanType
  inputs?: unknown
  attributes?: Record<string, unknown> | undefined
  spanId?: string
  startMs?: number
}

/**
 * Opens a span in `frame`'s trace under `frame.span` (internal). Returns `undefined`, recording
 * nothing, when the trace is closed.
 */
export function openSpan(frame: Frame, options: OpenSpanOptions): MutableSpan | undefined {
  const span: MutableSpan = {
    spanId: options.spanId ?? newSpanId(),
    parentId: frame.span === undefined ? null : frame.span.spanId,
    name: options.name,
    type: options.type,
    startMs: options.startMs ?? nowMs(),
    endMs: null,
    inputs: options.inputs ?? null,
    outputs: null,
    attributes: options.attributes === undefined ? {} : { ...options.attributes },
    status: UNSET,
  }
  return recordSpan(frame.trace, span) ? span : undefined
}

const UNSET = Object.freeze({ code: 'UNSET', message: null } as const)
const OK = Object.freeze({ code: 'OK', message: null } as const)

/** Ends a span that returned (internal); a span ends once, later calls are ignored. */
export function endSpan(span: MutableSpan, outputs: unknown): void {
  if (span.endMs !== null) return
  span.endMs = nowMs()
  span.outputs = outputs ?? null
  span.status = OK
}

/**
 * Ends a span that threw (internal): status `ERROR` with the error's message, and the error's
 * type (and stack) in `exception.*` attributes, as OpenTelemetry names them.
 */
export function failSpan(span: MutableSpan, error: unknown): void {
  if (span.endMs !== null) return
  span.endMs = nowMs()
  const e = toFeedbackError('ERROR', error)
  span.status = { code: 'ERROR', message: e.message }
  span.attributes['exception.type'] = errorType(error)
  if (e.stack !== undefined) span.attributes['exception.stacktrace'] = e.stack
}

/**
 * Whether any trace is being recorded in this process now: when none is, there is nothing for
 * {@link withoutTracing} to step out of (a hot path can skip it).
 *
 * @example
 * ```ts
 * const feedback = tracingActive() ? withoutTracing(score) : score()
 * ```
 */
export function tracingActive(): boolean {
  return active > 0
}

/**
 * Runs `fn` outside any trace: nothing it calls (`traced` functions, an instrumented OpenAI
 * client, OpenTelemetry spans) is recorded into the current row's trace. The LLM judges run
 * their calls this way, so a judge never shows up in the application's trace, even when it
 * shares the application's instrumented client.
 *
 * @example
 * ```ts
 * import { withoutTracing } from 'evalgate'
 * const verdict = await withoutTracing(() => client.chat.completions.create(judgeRequest))
 * ```
 */
export function withoutTracing<T>(fn: () => T): T {
  if (active === 0) return fn()
  return storage.exit(fn)
}

/**
 * The trace being recorded in the current async context (inside a describeEval task, or
 * {@link captureTrace}), else `undefined`.
 *
 * @example
 * ```ts
 * getCurrentTrace()?.traceId // log it next to your app's own logs
 * ```
 */
export function getCurrentTrace(): Trace | undefined {
  return currentFrame()?.trace
}

/**
 * Options of {@link captureTrace}.
 *
 * @example
 * ```ts
 * const options: CaptureTraceOptions = { name: 'agent', type: 'AGENT', inputs: { question } }
 * ```
 */
export interface CaptureTraceOptions {
  /** The root span's name. Default: the function's name, else `"root"`. */
  name?: string
  /** The root span's type. Default `CHAIN`. */
  type?: SpanType
  /** Recorded as the root span's inputs. */
  inputs?: unknown
}

/**
 * Runs `fn` in a fresh trace, outside any eval, and returns what it returned (awaited) with the
 * closed trace: the way to get a trace for `toPassScorer(..., { trace })`, or into a test of
 * your own. A function that throws rejects with its error (the trace is lost with it).
 *
 * @example
 * ```ts
 * const { outputs, trace } = await captureTrace(() => agent('Where is my order 42?'))
 * await expect(outputs).toPassScorer(toolCallTrajectory(), {
 *   trace,
 *   expectations: { tool_calls: ['get_order'] },
 * })
 * ```
 */
export async function captureTrace<T>(
  fn: () => T | Promise<T>,
  options: CaptureTraceOptions = {},
): Promise<{ outputs: Awaited<T>; trace: Trace }> {
  const { trace, done } = beginTrace()
  const root = openSpan(
    { trace, span: undefined },
    {
      name: options.name ?? (fn.name || 'root'),
      type: options.type ?? 'CHAIN',
      inputs: options.inputs,
    },
  )!
  try {
    const outputs = await runInFrame({ trace, span: root }, fn)
    endSpan(root, outputs)
    return { outputs: outputs as Awaited<T>, trace }
  } catch (error) {
    failSpan(root, error)
    throw error
  } finally {
    done()
  }
}

/** An error's type name: its `name`, or its class when the name is the generic "Error". */
function errorType(error: unknown): string {
  if (!(error instanceof Error)) return error === null ? 'null' : typeof error
  if (error.name !== 'Error') return error.name
  const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name
  return typeof ctor === 'string' && ctor !== '' ? ctor : 'Error'
}
