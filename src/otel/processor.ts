import type { Context } from '@opentelemetry/api'
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { define } from '../base/json.js'
import { currentFrame, openSpan } from '../trace/context.js'
import { type MutableSpan, newSpanId } from '../trace/span.js'
import { spanById } from '../trace/trace.js'

/**
 * `gen_ai.operation.name` values of the OpenTelemetry GenAI conventions, and the evalgate
 * (MLflow) span type each maps to.
 *
 * @example
 * ```ts
 * GEN_AI_OPERATION_TYPES.execute_tool // 'TOOL'
 * ```
 */
export const GEN_AI_OPERATION_TYPES: Readonly<Record<string, string>> = Object.freeze({
  chat: 'CHAT_MODEL',
  text_completion: 'LLM',
  generate_content: 'LLM',
  embeddings: 'EMBEDDING',
  execute_tool: 'TOOL',
  retrieval: 'RETRIEVER',
  invoke_agent: 'AGENT',
  create_agent: 'AGENT',
  invoke_workflow: 'CHAIN',
})

// OpenInference's span kinds are MLflow's type names already (upper-case).
const OPENINFERENCE_KINDS = new Set([
  'LLM',
  'CHAIN',
  'TOOL',
  'RETRIEVER',
  'RERANKER',
  'EMBEDDING',
  'AGENT',
  'GUARDRAIL',
  'EVALUATOR',
])

const SPAN_KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER']

/**
 * The attribute that sets an OpenTelemetry span's evalgate type explicitly (it wins over the
 * GenAI mapping): `span.setAttribute('evalgate.span.type', 'RETRIEVER')`.
 *
 * @example
 * ```ts
 * tracer.startActiveSpan('search', { attributes: { [SPAN_TYPE_ATTRIBUTE]: 'RETRIEVER' } }, fn)
 * ```
 */
export const SPAN_TYPE_ATTRIBUTE = 'evalgate.span.type'

/**
 * An OpenTelemetry span processor that copies the spans started inside an evalgate row (a
 * describeEval task, or `captureTrace`) into that row's trace, so scorers see spans from any
 * OpenTelemetry instrumentation. Spans started outside a row are ignored (and cost a lookup).
 *
 * Mapping: an OpenTelemetry span nests under its OpenTelemetry parent when that parent is in the
 * row's trace, else under the evalgate span current where it started. Its type is the
 * `evalgate.span.type` attribute, else `gen_ai.operation.name` mapped by
 * {@link GEN_AI_OPERATION_TYPES} (chat → CHAT_MODEL, execute_tool → TOOL, embeddings → EMBEDDING,
 * retrieval → RETRIEVER, invoke_agent → AGENT, …), else OpenInference's
 * `openinference.span.kind`, else `UNKNOWN`. Inputs come from `gen_ai.tool.call.arguments`,
 * `gen_ai.retrieval.query.text`, `gen_ai.input.messages` or `input.value`; outputs from
 * `gen_ai.tool.call.result`, `gen_ai.retrieval.documents`, `gen_ai.output.messages` or
 * `output.value` (JSON text is parsed). Every attribute is kept (`gen_ai.tool.name`,
 * `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`, ...), plus `otel.span.kind` and
 * `otel.scope.name`. Status ERROR keeps its message (or the exception event's).
 *
 * @example
 * ```ts
 * import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base'
 * import { EvalgateSpanProcessor } from 'evalgate/otel'
 *
 * const provider = new BasicTracerProvider({ spanProcessors: [new EvalgateSpanProcessor()] })
 * const tracer = provider.getTracer('my-agent')
 * // inside a describeEval task:
 * tracer.startActiveSpan('execute_tool get_order', {
 *   attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_order' },
 * }, (span) => { ...; span.end() })
 * ```
 */
export class EvalgateSpanProcessor implements SpanProcessor {
  /** Spans started in a row and not yet ended, by OpenTelemetry trace and span id. */
  readonly #open = new Map<string, MutableSpan>()

  onStart(span: Span, _parentContext: Context): void {
    const frame = currentFrame()
    if (frame === undefined) return
    const context = span.spanContext()
    const parentId = parentSpanIdOf(span)
    const parent = parentId === undefined ? undefined : spanById(frame.trace, parentId)
    const id = spanById(frame.trace, context.spanId) === undefined ? context.spanId : newSpanId()
    const recorded = openSpan(
      { trace: frame.trace, span: parent ?? frame.span },
      { name: span.name, type: 'UNKNOWN', spanId: id, startMs: hrToMs(span.startTime) },
    )
    if (recorded !== undefined) this.#open.set(keyOf(context.traceId, context.spanId), recorded)
  }

  onEnd(span: ReadableSpan): void {
    if (this.#open.size === 0) return
    const context = span.spanContext()
    const key = keyOf(context.traceId, context.spanId)
    const recorded = this.#open.get(key)
    if (recorded === undefined) return
    this.#open.delete(key)
    fill(recorded, span)
  }

  /** Nothing is buffered: spans are in the row's trace as soon as they end. */
  forceFlush(): Promise<void> {
    return Promise.resolve()
  }

  /** Forgets spans that never ended. */
  shutdown(): Promise<void> {
    this.#open.clear()
    return Promise.resolve()
  }
}

function keyOf(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`
}

/** The parent's span id: `parentSpanContext` in SDK 2.x, `parentSpanId` in 1.x. */
function parentSpanIdOf(span: Span | ReadableSpan): string | undefined {
  const s = span as { parentSpanContext?: { spanId?: unknown }; parentSpanId?: unknown }
  const id = s.parentSpanContext?.spanId ?? s.parentSpanId
  return typeof id === 'string' && id !== '' ? id : undefined
}

function hrToMs(time: readonly [number, number]): number {
  return time[0] * 1000 + time[1] / 1e6
}

function fill(target: MutableSpan, span: ReadableSpan): void {
  const attributes: Record<string, unknown> = {}
  for (const key of Object.keys(span.attributes)) {
    const v = span.attributes[key]
    if (v !== undefined) define(attributes, key, v)
  }
  attributes['otel.span.kind'] = SPAN_KINDS[span.kind] ?? String(span.kind)
  const scope = span.instrumentationScope?.name
  if (typeof scope === 'string' && scope !== '') attributes['otel.scope.name'] = scope
  const exception = span.events.find((e) => e.name === 'exception')?.attributes
  if (exception !== undefined) {
    for (const key of ['exception.type', 'exception.message', 'exception.stacktrace']) {
      if (exception[key] !== undefined && attributes[key] === undefined) {
        attributes[key] = exception[key]
      }
    }
  }
  target.name = span.name
  target.type = typeOf(attributes)
  target.startMs = hrToMs(span.startTime)
  target.endMs = hrToMs(span.endTime)
  target.inputs = firstOf(attributes, INPUT_KEYS)
  target.outputs = firstOf(attributes, OUTPUT_KEYS)
  target.attributes = attributes
  const code = span.status.code
  if (code === 2) {
    const message = span.status.message || attributes['exception.message']
    target.status = { code: 'ERROR', message: typeof message === 'string' ? message : null }
  } else {
    target.status = { code: code === 1 ? 'OK' : 'UNSET', message: null }
  }
}

const INPUT_KEYS = [
  'gen_ai.tool.call.arguments',
  'gen_ai.retrieval.query.text',
  'gen_ai.input.messages',
  'input.value',
]
const OUTPUT_KEYS = [
  'gen_ai.tool.call.result',
  'gen_ai.retrieval.documents',
  'gen_ai.output.messages',
  'output.value',
]

function firstOf(attributes: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const v = attributes[key]
    if (v !== undefined) return parseJsonText(v)
  }
  return null
}

/** OpenTelemetry attributes are primitives: structured values arrive as JSON text. */
function parseJsonText(v: unknown): unknown {
  if (typeof v !== 'string') return v
  const t = v.trimStart()
  if (!t.startsWith('{') && !t.startsWith('[')) return v
  try {
    return JSON.parse(v)
  } catch {
    return v
  }
}

function typeOf(attributes: Record<string, unknown>): string {
  const explicit = attributes[SPAN_TYPE_ATTRIBUTE]
  if (typeof explicit === 'string' && explicit !== '') return explicit
  const operation = attributes['gen_ai.operation.name']
  if (typeof operation === 'string' && Object.hasOwn(GEN_AI_OPERATION_TYPES, operation)) {
    return GEN_AI_OPERATION_TYPES[operation]!
  }
  const kind = attributes['openinference.span.kind']
  if (typeof kind === 'string' && OPENINFERENCE_KINDS.has(kind.toUpperCase())) {
    return kind.toUpperCase()
  }
  return 'UNKNOWN'
}
