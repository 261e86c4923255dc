import type OpenAI from 'openai'
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions'
import pLimit from 'p-limit'
import { withoutTracing } from '../trace/context.js'
import { loadSdk, type OpenAIModule, redact, serverOf } from './client.js'

/**
 * The `error.code` of a judge's errored Feedback, each naming a cause: the server failed or
 * could not be reached (`JUDGE_HTTP_ERROR`), the reply was not the requested JSON
 * (`JUDGE_PARSE_ERROR`), the model refused (`JUDGE_REFUSAL`), no reply within `timeoutMs`
 * (`JUDGE_TIMEOUT`), no API key or an invalid env setting (`JUDGE_CONFIG_ERROR`), the row lacks
 * a field the judge reads (`JUDGE_MISSING_FIELD`), or `replay` found no cached response
 * (`JUDGE_CACHE_MISS`).
 *
 * @example
 * ```ts
 * const retryLater = (code: JudgeErrorCode) => code === 'JUDGE_HTTP_ERROR' || code === 'JUDGE_TIMEOUT'
 * ```
 */
export type JudgeErrorCode =
  | 'JUDGE_HTTP_ERROR'
  | 'JUDGE_PARSE_ERROR'
  | 'JUDGE_REFUSAL'
  | 'JUDGE_TIMEOUT'
  | 'JUDGE_CONFIG_ERROR'
  | 'JUDGE_MISSING_FIELD'
  | 'JUDGE_CACHE_MISS'

/** One chat completion to make, with retries. */
export interface ModelRequest {
  client: OpenAI
  judge: string
  model: string
  messages: { role: 'system' | 'user'; content: string }[]
  responseFormat: { name: string; schema: Record<string, unknown> }
  /** How the verdict is asked for (default `json_schema`). */
  mode?: 'json_schema' | 'json_object' | 'text' | undefined
  /** Extra request fields (`temperature`, `seed`, `max_tokens`, ...). */
  params?: Record<string, unknown> | undefined
  maxRetries: number
  timeoutMs: number
  concurrency: number
  /** The row's signal: its abort stops the attempt in flight and every retry. */
  signal?: AbortSignal | undefined
  /** Counts each HTTP attempt as it is sent, so an aborted call still counts its requests. */
  meter?: { requests: number } | undefined
}

/** What came back: the message content to parse, or why there is none; with the cost. */
export type ModelReply =
  | { ok: true; content: string; requests: number; inputTokens: number; outputTokens: number }
  | {
      ok: false
      code: JudgeErrorCode
      message: string
      requests: number
      inputTokens: number
      outputTokens: number
    }

// One limit for every judge request of this worker, whichever copy of this module (ESM, CJS,
// a re-imported test file) makes it, so N judges × M rows never open N × M sockets.
const LIMIT_KEY = Symbol.for('evalgate.judges.limit')
function sharedLimit(concurrency: number): ReturnType<typeof pLimit> {
  const g = globalThis as { [LIMIT_KEY]?: ReturnType<typeof pLimit> }
  let limit = g[LIMIT_KEY]
  if (limit === undefined) {
    limit = pLimit(concurrency)
    g[LIMIT_KEY] = limit
  } else if (limit.concurrency !== concurrency) {
    limit.concurrency = concurrency
  }
  return limit
}

const BACKOFF_BASE_MS = 500
const BACKOFF_CAP_MS = 8_000
/** A server asking for a longer wait than this gets this: a judge should not stall a run for an hour. */
const RETRY_AFTER_CAP_MS = 60_000

/** `retry-after-ms`, else `retry-after` (seconds or an HTTP date), in ms; `undefined` if neither. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (headers === undefined) return undefined
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '')
  if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, RETRY_AFTER_CAP_MS)
  const raw = headers.get('retry-after')
  if (raw === null) return undefined
  const seconds = Number(raw.trim())
  if (raw.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) {
    return Math.min(seconds * 1000, RETRY_AFTER_CAP_MS)
  }
  const date = Date.parse(raw)
  if (Number.isNaN(date)) return undefined
  return Math.min(Math.max(0, date - now), RETRY_AFTER_CAP_MS)
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base × 2^retry)). */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry)
}

type Failure = {
  code: JudgeErrorCode
  detail: string
  retryable: boolean
  headers?: Headers | undefined
}

/**
 * undici's words for a connection dropped while the body was read (`TypeError: terminated`,
 * `other side closed`, a reset socket): a connection error, retried like one.
 */
const DROPPED = /\b(terminated|other side closed|socket hang up|ECONNRESET|EPIPE|UND_ERR_SOCKET)\b/

function droppedConnection(error: unknown): string | undefined {
  let e: unknown = error
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code
    if (DROPPED.test(e.message) || (typeof code === 'string' && DROPPED.test(code))) {
      return e.message
    }
    e = e.cause
  }
  return undefined
}

function classify(
  error: unknown,
  timedOut: boolean,
  server: string,
  OpenAI: OpenAIModule,
): Failure {
  if (timedOut || error instanceof OpenAI.APIConnectionTimeoutError) {
    return { code: 'JUDGE_TIMEOUT', detail: 'no response within the timeout', retryable: true }
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const causes = connectionCauses(error)
    return {
      code: 'JUDGE_HTTP_ERROR',
      detail: `could not connect to ${server}${causes === '' ? '' : ` (${causes})`}`,
      retryable: true,
    }
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const s = error.status
    const said = serverMessage(error, s)
    return {
      code: 'JUDGE_HTTP_ERROR',
      detail: `${server} answered HTTP ${s}${said === '' ? ' with no error message' : `: ${said}`}`,
      // 408/409 are the SDK's own retryable statuses; 400, 401, 403, 404, 422 never are.
      retryable: s === 408 || s === 409 || s === 429 || s >= 500,
      headers: error.headers,
    }
  }
  const dropped = droppedConnection(error)
  if (dropped !== undefined) {
    return {
      code: 'JUDGE_HTTP_ERROR',
      detail: `the connection to ${server} was dropped (${dropped})`,
      retryable: true,
    }
  }
  // A 200 whose body is not JSON makes the SDK throw a SyntaxError while reading it.
  const message = error instanceof Error ? error.message : String(error)
  return {
    code: error instanceof SyntaxError ? 'JUDGE_PARSE_ERROR' : 'JUDGE_HTTP_ERROR',
    detail: `the request to ${server} failed: ${message}`,
    retryable: false,
  }
}

/**
 * Why a connection failed, outermost cause first, each said once and without its trailing
 * punctuation: `fetch failed: connect ECONNREFUSED 127.0.0.1:8080`. The SDK's own message
 * ("Connection error.") is left out: "could not connect" says it already.
 */
function connectionCauses(error: InstanceType<OpenAIModule['APIConnectionError']>): string {
  const parts: string[] = error.message === 'Connection error.' ? [] : [error.message]
  let cause: unknown = error.cause
  // undici nests its reason (`fetch failed` → `connect ECONNREFUSED …`); a few levels say it all.
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    if (cause instanceof AggregateError && cause.message === '') {
      // One failure per address tried (IPv6 and IPv4 of `localhost`).
      parts.push(cause.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; '))
      break
    }
    parts.push(cause.message)
    cause = cause.cause
  }
  const said: string[] = []
  for (const part of parts) {
    const text = part.trim().replace(/[.:;\s]+$/, '')
    if (text !== '' && !said.includes(text)) said.push(text)
  }
  return said.join(': ')
}

/** The longest server message quoted in a judge error; an HTML error page is cut here. */
const SERVER_MESSAGE_MAX = 200

/**
 * What the server said with an HTTP error, on one line: its `error.message`, else its body.
 * The SDK prefixes the status (`401 Incorrect API key…`), which the caller already says, and
 * says `status code (no body)` for a reply without an error message: both are dropped here.
 */
function serverMessage(error: InstanceType<OpenAIModule['APIError']>, status: number): string {
  const prefix = `${status} `
  const raw = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message
  if (raw === 'status code (no body)') return ''
  // Redacted before it is cut: a key cut in half would no longer match the key. (askJudge
  // redacts every message again on its way out.)
  const text = redact(raw).replace(/\s+/g, ' ').trim()
  return text.length > SERVER_MESSAGE_MAX ? `${text.slice(0, SERVER_MESSAGE_MAX - 1)}…` : text
}

/** Waits `ms`, or less when the row's signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** The request body: the params first, then what the judge sets itself. */
function requestBody(req: ModelRequest): Record<string, unknown> {
  const mode = req.mode ?? 'json_schema'
  const body: Record<string, unknown> = { ...req.params, model: req.model, messages: req.messages }
  if (mode === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: {
        name: req.responseFormat.name,
        strict: true,
        schema: req.responseFormat.schema,
      },
    }
  } else if (mode === 'json_object') {
    body.response_format = { type: 'json_object' }
  }
  return body
}

async function attempt(
  req: ModelRequest,
): Promise<ChatCompletion | { failed: unknown; timedOut: boolean }> {
  // The SDK's `timeout` covers the wait for headers; our signal covers reading the body too.
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, req.timeoutMs)
  const onRowAbort = () => controller.abort(req.signal?.reason)
  req.signal?.addEventListener('abort', onRowAbort, { once: true })
  if (req.meter !== undefined) req.meter.requests++
  try {
    // Outside any row trace: a judge never shows up as a span of the application it judges,
    // even when it shares the application's instrumented client.
    return await withoutTracing(() =>
      req.client.chat.completions.create(
        requestBody(req) as unknown as ChatCompletionCreateParamsNonStreaming,
        { maxRetries: 0, timeout: req.timeoutMs, signal: controller.signal },
      ),
    )
  } catch (failed) {
    return { failed, timedOut }
  } finally {
    clearTimeout(timer)
    req.signal?.removeEventListener('abort', onRowAbort)
  }
}

/**
 * Makes one chat completion with our retry policy: at most `maxRetries` retries, on 429, 5xx,
 * 408/409, timeouts and connection errors, waiting what `retry-after-ms` / `retry-after` say,
 * else exponential backoff with full jitter; never on other 4xx. Each HTTP attempt holds one
 * slot of the worker's limit (a backoff wait holds none). Never throws. Messages are redacted by askJudge, the one
 * place every judge message passes through.
 */
export async function requestCompletion(req: ModelRequest): Promise<ModelReply> {
  const limit = sharedLimit(req.concurrency)
  const server = serverOf(req.client)
  const who = `evalgate: judge "${req.judge}" (model ${req.model})`
  let Sdk: OpenAIModule
  try {
    Sdk = await loadSdk()
  } catch (error) {
    const message = `${who}: ${(error as Error).message}`
    return { ok: false, code: 'JUDGE_CONFIG_ERROR', message, ...NOTHING_SENT }
  }
  let requests = 0
  let failure: Failure | undefined
  for (let retry = 0; retry <= req.maxRetries; retry++) {
    if (req.signal?.aborted) break
    requests++
    const outcome = await limit(() =>
      req.signal?.aborted
        ? { failed: req.signal.reason, timedOut: false, unsent: true }
        : attempt(req),
    )
    if ('unsent' in outcome) {
      requests--
      break
    }
    if (!('failed' in outcome)) return readCompletion(req, outcome, requests)
    failure = classify(outcome.failed, outcome.timedOut, server, Sdk)
    if (!failure.retryable || retry === req.maxRetries || req.signal?.aborted) break
    await sleep(retryAfterMs(failure.headers) ?? backoffMs(retry), req.signal)
  }
  const tries = requests === 1 ? '1 attempt' : `${requests} attempts`
  if (req.signal?.aborted) {
    return {
      ok: false,
      code: 'JUDGE_TIMEOUT',
      message: `${who}: stopped when the row was aborted (${abortReason(req.signal)}) after ${tries}`,
      ...NOTHING_SENT,
      requests,
    }
  }
  const f = failure!
  const detail =
    f.code === 'JUDGE_TIMEOUT'
      ? `no response from ${server} within timeoutMs ${req.timeoutMs} ms`
      : f.detail
  const retried = f.retryable ? `after ${tries}` : `(${tries}; not retried)`
  return {
    ok: false,
    code: f.code,
    message: `${who}: ${detail} ${retried}`,
    requests,
    inputTokens: 0,
    outputTokens: 0,
  }
}

const NOTHING_SENT = { requests: 0, inputTokens: 0, outputTokens: 0 }

/** What aborted a row, in words: its reason's message, else "aborted". */
export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason
  if (r instanceof Error && r.name !== 'AbortError') return r.message
  return typeof r === 'string' && r !== '' ? r : 'aborted'
}

function readCompletion(
  req: ModelRequest,
  completion: ChatCompletion,
  requests: number,
): ModelReply {
  const inputTokens = completion.usage?.prompt_tokens ?? 0
  const outputTokens = completion.usage?.completion_tokens ?? 0
  const cost = { requests, inputTokens, outputTokens }
  const who = `evalgate: judge "${req.judge}" (model ${req.model})`
  const choice = completion.choices?.[0]
  const message = choice?.message
  if (typeof message?.refusal === 'string' && message.refusal !== '') {
    return {
      ok: false,
      code: 'JUDGE_REFUSAL',
      message: `${who} refused to judge: ${JSON.stringify(message.refusal)}`,
      ...cost,
    }
  }
  if (typeof message?.content !== 'string') {
    return {
      ok: false,
      code: 'JUDGE_PARSE_ERROR',
      message: `${who}: expected a message with JSON content, received ${choice === undefined ? 'no choices' : `content ${JSON.stringify(message?.content ?? null)}`} (finish_reason ${JSON.stringify(choice?.finish_reason ?? null)})`,
      ...cost,
    }
  }
  if (choice?.finish_reason === 'length') {
    return {
      ok: false,
      code: 'JUDGE_PARSE_ERROR',
      message: `${who}: the reply was cut off (finish_reason "length") before its JSON was complete`,
      ...cost,
    }
  }
  return { ok: true, content: message.content, ...cost }
}
