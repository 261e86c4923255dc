import { describeValue } from '../base/errors.js'
import type { ScorerContext } from '../core/scorer.js'
import type { ChatTurn } from './prompts.js'
import { renderValue } from './prompts.js'

// Where built-in judges find what they need in a row. Each reader returns the value, or a
// `missing` message that names the field and where it was looked for.

export type Found<T> = { ok: true; value: T } | { ok: false; missing: string }

function keysOf(o: Record<string, unknown>): string {
  const keys = Object.keys(o)
  return keys.length === 0 ? 'the row has no expectations' : `expectations has ${keys.join(', ')}`
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')
}

/**
 * `expectations.expected_response` (any value) and/or `expectations.expected_facts` (a string or
 * a non-empty string array), rendered for the prompt.
 */
export function expectedOf(expectations: Record<string, unknown>): Found<string> {
  const response = expectations.expected_response
  const facts = expectations.expected_facts
  const parts: string[] = []
  if (response !== undefined && response !== null) {
    parts.push(`Expected response:\n${renderValue(response)}`)
  }
  if (typeof facts === 'string' && facts.trim() !== '') parts.push(`Expected facts:\n- ${facts}`)
  else if (isStringList(facts))
    parts.push(`Expected facts:\n${facts.map((f) => `- ${f}`).join('\n')}`)
  else if (facts !== undefined) {
    return {
      ok: false,
      missing: `expected expectations.expected_facts to be a string or a non-empty array of strings, received ${describeValue(facts)}`,
    }
  }
  if (parts.length === 0) {
    return {
      ok: false,
      missing: `needs expectations.expected_response or expectations.expected_facts; ${keysOf(expectations)}`,
    }
  }
  return { ok: true, value: parts.join('\n\n') }
}

/** `expectations.guidelines`: a string or a non-empty array of strings. */
export function rowGuidelinesOf(expectations: Record<string, unknown>): Found<string[]> {
  const g = expectations.guidelines
  if (typeof g === 'string' && g.trim() !== '') return { ok: true, value: [g] }
  if (isStringList(g)) return { ok: true, value: g }
  if (g === undefined) {
    return { ok: false, missing: `needs expectations.guidelines; ${keysOf(expectations)}` }
  }
  return {
    ok: false,
    missing: `expected expectations.guidelines to be a string or a non-empty array of strings, received ${describeValue(g)}`,
  }
}

/** One retrieved document as text: a string, or `content` / `page_content` / `text`, else JSON. */
function chunkText(doc: unknown): string {
  if (typeof doc === 'string') return doc
  if (typeof doc === 'object' && doc !== null) {
    const d = doc as Record<string, unknown>
    for (const key of ['content', 'page_content', 'text']) {
      if (typeof d[key] === 'string') return d[key]
    }
  }
  return renderValue(doc)
}

function chunksOf(value: unknown): string[] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value.filter((d) => d !== undefined && d !== null).map(chunkText)
  return [chunkText(value)]
}

/** The RETRIEVER spans' outputs of a trace shaped `{ spans: [{ type, outputs }] }` (duck-typed). */
function retrieverOutputs(trace: unknown): unknown[] | undefined {
  const spans = (trace as { spans?: unknown } | null | undefined)?.spans
  if (!Array.isArray(spans)) return undefined
  const found = spans.filter(
    (s): s is { outputs?: unknown } =>
      typeof s === 'object' && s !== null && (s as { type?: unknown }).type === 'RETRIEVER',
  )
  return found.length === 0 ? undefined : found.map((s) => s.outputs)
}

/**
 * The retrieved context of a row, as text chunks: the outputs of every RETRIEVER span of the
 * trace, in span order, when the trace has any; else `expectations.retrieved_context` (a string,
 * an array of strings, or an array of `{ content }` / `{ page_content }` documents).
 */
export function retrievedContextOf(
  trace: unknown,
  expectations: Record<string, unknown>,
): Found<string[]> {
  const fromTrace = retrieverOutputs(trace)
  const chunks =
    fromTrace !== undefined ? fromTrace.flatMap(chunksOf) : chunksOf(expectations.retrieved_context)
  if (chunks.length > 0) return { ok: true, value: chunks }
  const traceState =
    trace === undefined || trace === null
      ? 'the row has no trace'
      : fromTrace === undefined
        ? 'the trace has no RETRIEVER span'
        : 'its RETRIEVER spans returned no documents'
  const received =
    fromTrace === undefined
      ? `expectations.retrieved_context is ${describeValue(expectations.retrieved_context)}`
      : 'and no fallback is read when the trace has RETRIEVER spans'
  return {
    ok: false,
    missing: `needs retrieved context: the outputs of RETRIEVER spans in the trace, else expectations.retrieved_context; ${traceState}, ${received}`,
  }
}

/**
 * The row's conversation: `inputs.messages` (a chat, `{ role, content }[]`) plus the output as
 * the last assistant turn (an output that is itself a `{ role, content }` message is that turn).
 * `undefined` when the row has no chat.
 */
export function conversationOf(ctx: ScorerContext): ChatTurn[] | undefined {
  const inputs = ctx.inputs as unknown
  const messages =
    typeof inputs === 'object' && inputs !== null
      ? (inputs as { messages?: unknown }).messages
      : undefined
  if (!Array.isArray(messages) || messages.length === 0) return undefined
  const turns: ChatTurn[] = []
  for (const m of messages) {
    if (typeof m !== 'object' || m === null || typeof (m as ChatTurn).role !== 'string') {
      return undefined
    }
    turns.push({ role: (m as ChatTurn).role, content: (m as ChatTurn).content })
  }
  const out = ctx.outputs
  if (out !== undefined && out !== null) {
    const isTurn =
      typeof out === 'object' && typeof (out as ChatTurn).role === 'string' && 'content' in out
    turns.push(
      isTurn
        ? { role: (out as ChatTurn).role, content: (out as ChatTurn).content }
        : { role: 'assistant', content: out },
    )
  }
  return turns
}
