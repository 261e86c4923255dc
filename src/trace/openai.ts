import { describeValue, EvalgateError } from '../base/errors.js'
import { isPlainObject, isThenable } from '../base/values.js'
import { currentFrame, endSpan, failSpan, openSpan, runInFrame } from './context.js'
import type { MutableSpan } from './span.js'

/**
 * Options of {@link instrumentOpenAI}.
 *
 * @example
 * ```ts
 * const options: InstrumentOpenAIOptions = { name: 'planner_llm' }
 * ```
 */
export interface InstrumentOpenAIOptions {
  /** The name of each recorded span. Default `chat.completions.create`. */
  name?: string
}

const INSTRUMENTED = Symbol.for('evalgate.instrumentOpenAI')

type Create = (this: unknown, ...args: unknown[]) => unknown

/**
 * Records a `CHAT_MODEL` span for each `client.chat.completions.create(...)` made inside an eval:
 * inputs are the request (messages, model, parameters), outputs the completion; attributes
 * follow the OpenTelemetry GenAI conventions (`gen_ai.request.model`, `gen_ai.response.model`,
 * `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`, `gen_ai.response.finish_reasons`);
 * latency is the span's time. A streamed response (`stream: true`) is recorded when the stream
 * ends: the output is the completion assembled from the chunks, with `usage` only when the
 * server sent it (`stream_options: { include_usage: true }`); it is never estimated. A failed
 * request gives an `ERROR` span and the error reaches your code unchanged.
 *
 * The client is instrumented in place and returned (instrumenting twice is a no-op). It is
 * duck-typed: any object with `chat.completions.create` works, and evalgate does not import
 * `openai`. Outside an eval, and inside `withoutTracing` (where the LLM judges call), nothing is
 * recorded and the call is passed straight through.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai'
 * import { instrumentOpenAI } from 'evalgate'
 *
 * const client = instrumentOpenAI(new OpenAI())
 * // in the task: every completion becomes a CHAT_MODEL span of the row's trace
 * ```
 */
export function instrumentOpenAI<C>(client: C, options: InstrumentOpenAIOptions = {}): C {
  const completions = (client as { chat?: { completions?: Record<PropertyKey, unknown> } } | null)
    ?.chat?.completions
  if (typeof completions?.create !== 'function') {
    throw new EvalgateError(
      `instrumentOpenAI(): expected an OpenAI client (an object with chat.completions.create), received ${describeValue(client)}`,
    )
  }
  if (typeof options !== 'object' || options === null) {
    throw new EvalgateError(
      `instrumentOpenAI(): expected options { name? }, received ${describeValue(options)}`,
    )
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw new EvalgateError(
      `instrumentOpenAI(): expected "name" to be a non-empty string, received ${describeValue(options.name)}`,
    )
  }
  if (completions[INSTRUMENTED] === true) return client
  const original = completions.create as Create
  const name = options.name ?? 'chat.completions.create'

  function create(this: unknown, ...args: unknown[]): unknown {
    const frame = currentFrame()
    if (frame === undefined) return original.apply(this, args)
    const body = args[0]
    const span = openSpan(frame, {
      name,
      type: 'CHAT_MODEL',
      inputs: requestInputs(body),
      attributes: requestAttributes(body),
    })
    if (span === undefined) return original.apply(this, args)
    let result: unknown
    try {
      // Spans the SDK's own transport might open (OpenTelemetry HTTP) nest under this one.
      result = runInFrame({ trace: frame.trace, span }, () => original.apply(this, args))
    } catch (error) {
      failSpan(span, error)
      throw error
    }
    if (!isThenable(result)) {
      recordResult(span, result)
      return result
    }
    // Observe, but hand back the SDK's own promise (an APIPromise keeps `.withResponse()`).
    // This callback runs before the caller's, so a stream is wrapped before anyone reads it.
    result.then(
      (value) => recordResult(span, value),
      (error: unknown) => failSpan(span, error),
    )
    return result
  }
  Object.defineProperty(completions, 'create', {
    value: create,
    configurable: true,
    writable: true,
    enumerable: false,
  })
  Object.defineProperty(completions, INSTRUMENTED, { value: true, configurable: true })
  return client
}

/** The request, with its messages array copied: an agent that pushes to it later does not rewrite history. */
function requestInputs(body: unknown): unknown {
  if (!isPlainObject(body)) return body
  return Array.isArray(body.messages) ? { ...body, messages: [...body.messages] } : { ...body }
}

function requestAttributes(body: unknown): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    'gen_ai.system': 'openai',
    'gen_ai.operation.name': 'chat',
  }
  if (isPlainObject(body) && typeof body.model === 'string') {
    attributes['gen_ai.request.model'] = body.model
  }
  return attributes
}

function recordResult(span: MutableSpan, value: unknown): void {
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  ) {
    wrapStream(value as Record<PropertyKey, unknown>, new StreamRecorder(span))
    return
  }
  responseAttributes(span, value)
  endSpan(span, value)
}

function responseAttributes(span: MutableSpan, response: unknown): void {
  if (!isPlainObject(response)) return
  const a = span.attributes
  if (typeof response.model === 'string') a['gen_ai.response.model'] = response.model
  if (typeof response.id === 'string') a['gen_ai.response.id'] = response.id
  if (Array.isArray(response.choices)) {
    const reasons = response.choices
      .map((c) => (isPlainObject(c) ? c.finish_reason : undefined))
      .filter((r): r is string => typeof r === 'string')
    if (reasons.length > 0) a['gen_ai.response.finish_reasons'] = reasons
  }
  const usage = response.usage
  if (isPlainObject(usage)) {
    if (typeof usage.prompt_tokens === 'number') {
      a['gen_ai.usage.input_tokens'] = usage.prompt_tokens
    }
    if (typeof usage.completion_tokens === 'number') {
      a['gen_ai.usage.output_tokens'] = usage.completion_tokens
    }
  }
}

/**
 * Wraps the stream's iteration in place. The `openai` SDK's Stream reads chunks through its
 * `iterator` function (for `for await`, `tee()` and `toReadableStream()` alike), so that is
 * wrapped when present; any other async iterable has its `Symbol.asyncIterator` wrapped.
 */
function wrapStream(stream: Record<PropertyKey, unknown>, recorder: StreamRecorder): void {
  const key: PropertyKey = typeof stream.iterator === 'function' ? 'iterator' : Symbol.asyncIterator
  const original = stream[key] as (this: unknown, ...args: unknown[]) => AsyncIterator<unknown>
  Object.defineProperty(stream, key, {
    value(this: unknown, ...args: unknown[]) {
      return recordingIterator(original.apply(this, args), recorder)
    },
    configurable: true,
    writable: true,
  })
}

function recordingIterator(
  it: AsyncIterator<unknown>,
  recorder: StreamRecorder,
): AsyncIterableIterator<unknown> {
  return {
    async next(...args: [] | [unknown]) {
      let step: IteratorResult<unknown>
      try {
        step = await it.next(...args)
      } catch (error) {
        recorder.fail(error)
        throw error
      }
      if (step.done) recorder.finish(true)
      else recorder.chunk(step.value)
      return step
    },
    async return(value?: unknown) {
      recorder.finish(false)
      return it.return === undefined ? { done: true, value } : it.return(value)
    },
    async throw(error?: unknown) {
      recorder.fail(error)
      if (it.throw === undefined) throw error
      return it.throw(error)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

interface ChoiceAcc {
  index: number
  role: string | undefined
  content: string | null
  refusal: string | null
  toolCalls: Map<number, { id?: string; type?: string; name: string; arguments: string }>
  finishReason: string | null
}

/** Assembles a ChatCompletion from the chunks of a streamed one. */
class StreamRecorder {
  private id: unknown
  private model: unknown
  private created: unknown
  private usage: unknown
  private chunks = 0
  private readonly choices = new Map<number, ChoiceAcc>()

  constructor(private readonly span: MutableSpan) {}

  chunk(value: unknown): void {
    if (!isPlainObject(value)) return
    this.chunks++
    this.id ??= value.id
    this.model ??= value.model
    this.created ??= value.created
    if (isPlainObject(value.usage)) this.usage = value.usage
    if (!Array.isArray(value.choices)) return
    for (const c of value.choices) {
      if (!isPlainObject(c)) continue
      const index = typeof c.index === 'number' ? c.index : 0
      let acc = this.choices.get(index)
      if (acc === undefined) {
        acc = {
          index,
          role: undefined,
          content: null,
          refusal: null,
          toolCalls: new Map(),
          finishReason: null,
        }
        this.choices.set(index, acc)
      }
      if (typeof c.finish_reason === 'string') acc.finishReason = c.finish_reason
      const delta = c.delta
      if (!isPlainObject(delta)) continue
      if (typeof delta.role === 'string') acc.role = delta.role
      if (typeof delta.content === 'string') acc.content = (acc.content ?? '') + delta.content
      if (typeof delta.refusal === 'string') acc.refusal = (acc.refusal ?? '') + delta.refusal
      if (Array.isArray(delta.tool_calls)) addToolCalls(acc, delta.tool_calls)
    }
  }

  finish(completed: boolean): void {
    if (this.span.endMs !== null) return
    const completion = this.assemble()
    if (!completed) this.span.attributes['evalgate.stream.completed'] = false
    this.span.attributes['evalgate.stream.chunks'] = this.chunks
    responseAttributes(this.span, completion)
    endSpan(this.span, completion)
  }

  fail(error: unknown): void {
    if (this.span.endMs !== null) return
    this.span.attributes['evalgate.stream.chunks'] = this.chunks
    failSpan(this.span, error)
  }

  private assemble(): Record<string, unknown> {
    const completion: Record<string, unknown> = {
      id: this.id ?? null,
      object: 'chat.completion',
      created: this.created ?? null,
      model: this.model ?? null,
      choices: [...this.choices.values()]
        .sort((a, b) => a.index - b.index)
        .map((acc) => {
          const message: Record<string, unknown> = {
            role: acc.role ?? 'assistant',
            content: acc.content,
            refusal: acc.refusal,
          }
          if (acc.toolCalls.size > 0) {
            message.tool_calls = [...acc.toolCalls.entries()]
              .sort(([a], [b]) => a - b)
              .map(([, t]) => ({
                id: t.id ?? null,
                type: t.type ?? 'function',
                function: { name: t.name, arguments: t.arguments },
              }))
          }
          return { index: acc.index, message, finish_reason: acc.finishReason }
        }),
    }
    // Usage only when the server sent it: never an estimate.
    if (this.usage !== undefined) completion.usage = this.usage
    return completion
  }
}

function addToolCalls(acc: ChoiceAcc, deltas: readonly unknown[]): void {
  for (const d of deltas) {
    if (!isPlainObject(d)) continue
    const index = typeof d.index === 'number' ? d.index : acc.toolCalls.size
    let call = acc.toolCalls.get(index)
    if (call === undefined) {
      call = { name: '', arguments: '' }
      acc.toolCalls.set(index, call)
    }
    if (typeof d.id === 'string') call.id = d.id
    if (typeof d.type === 'string') call.type = d.type
    const fn = d.function
    if (isPlainObject(fn)) {
      if (typeof fn.name === 'string') call.name += fn.name
      if (typeof fn.arguments === 'string') call.arguments += fn.arguments
    }
  }
}
