import { randomFillSync } from 'node:crypto'

/**
 * The span types of MLflow, in its order. Any other string is allowed as a custom type.
 *
 * @example
 * ```ts
 * SPAN_TYPES.includes('RETRIEVER') // true
 * ```
 */
export const SPAN_TYPES = [
  'LLM',
  'CHAT_MODEL',
  'CHAIN',
  'AGENT',
  'TOOL',
  'RETRIEVER',
  'RERANKER',
  'EMBEDDING',
  'PARSER',
  'MEMORY',
  'GUARDRAIL',
  'EVALUATOR',
  'UNKNOWN',
] as const

/**
 * A span's type: one of {@link SPAN_TYPES}, or a custom string.
 *
 * @example
 * ```ts
 * const type: SpanType = 'TOOL'
 * const custom: SpanType = 'CACHE_LOOKUP'
 * ```
 */
// `string & {}` keeps editor completion for the built-in names while allowing any string.
export type SpanType = (typeof SPAN_TYPES)[number] | (string & {})

/**
 * A span's outcome: `OK` when it returned, `ERROR` (with the error's message) when it threw or
 * rejected, `UNSET` while it runs or when its source did not say (OpenTelemetry's default).
 *
 * @example
 * ```ts
 * const failed: SpanStatus = { code: 'ERROR', message: 'order 42 not found' }
 * ```
 */
export interface SpanStatus {
  readonly code: 'UNSET' | 'OK' | 'ERROR'
  readonly message: string | null
}

/**
 * One timed operation of a trace (a tool call, a retrieval, an LLM call), as MLflow's span.
 * Times are milliseconds since the Unix epoch, with sub-millisecond precision. `endMs` is `null`
 * for a span that never ended (e.g. a streamed response nobody read to the end). `inputs` are
 * what the operation received (for `traced`, its arguments), `outputs` what it returned
 * (`null` until it returns, and for a failed span).
 *
 * @example
 * ```ts
 * const tools = trace.searchSpans({ type: 'TOOL' })
 * const slowest = Math.max(...tools.map((s: Span) => (s.endMs ?? s.startMs) - s.startMs))
 * ```
 */
export interface Span {
  readonly spanId: string
  /** The enclosing span, or `null` for a root span. */
  readonly parentId: string | null
  readonly name: string
  readonly type: SpanType
  readonly startMs: number
  readonly endMs: number | null
  readonly inputs: unknown
  readonly outputs: unknown
  readonly attributes: Readonly<Record<string, unknown>>
  readonly status: SpanStatus
}

/** A span while it is being recorded: every field writable. */
export type MutableSpan = { -readonly [K in keyof Span]: Span[K] } & {
  attributes: Record<string, unknown>
}

/**
 * The current time in epoch milliseconds, monotonic within the process (so a span never ends
 * before it starts, whatever the wall clock does).
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now()
}

// Random ids without a crypto call per span: bytes from a refilled pool, rendered to hex by
// Buffer (one flat string; per-byte concatenation or Number#toString cost more on a hot path).
const pool = Buffer.alloc(4096)
let poolAt = pool.length

function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool)
    poolAt = 0
  }
  const hex = pool.toString('hex', poolAt, poolAt + bytes)
  poolAt += bytes
  return hex
}

/** A random 16-hex-digit span id (the OpenTelemetry format). */
export function newSpanId(): string {
  return randomHex(8)
}

/** A random 32-hex-digit trace id (the OpenTelemetry format). */
export function newTraceId(): string {
  return randomHex(16)
}
