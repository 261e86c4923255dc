import { z } from 'zod'
import type { Feedback, FeedbackSource, FeedbackValue } from '../core/scorer.js'
import { type CacheEntry, cacheKey, readEntry, writeEntry } from './cache.js'
import { clientFor, NO_KEY_MESSAGE, NO_KEY_SHORT, redact, warnOnce } from './client.js'
import {
  configuredPrices,
  type JudgeOverrides,
  type JudgeSettings,
  resolveModel,
  resolveSettings,
} from './config.js'
import { costUsd } from './prices.js'
import { PROMPT_VERSION, SYSTEM_PROMPT } from './prompts.js'
import { type JudgeErrorCode, requestCompletion } from './request.js'
import type { JudgeUsage } from './usage.js'

/** A judge's response format, built once per judge from its value schema. */
export interface ResponseFormat<V> {
  /** Parses `{ rationale, result }` (rationale first, so the model reasons before it decides). */
  parser: z.ZodType<{ rationale: string; result: V }>
  /** The same, allowing (and dropping) other fields: for replies without structured outputs. */
  loose: z.ZodType<{ rationale: string; result: V }>
  /** The strict JSON Schema sent as `response_format.json_schema.schema`. */
  schema: Record<string, unknown>
  /** How the value is described to the model and in error messages. */
  resultForm: string
}

/** The JSON Schema name in `response_format` (letters, digits, `_`, `-`). */
const FORMAT_NAME = 'evalgate_judgement'

/**
 * Builds the response format from a zod value schema with zod's own JSON Schema generator,
 * then makes it strict-mode compatible: every property required, no additional properties, no
 * `$schema` key.
 */
export function responseFormat<V>(value: z.ZodType<V>, resultForm: string): ResponseFormat<V> {
  const parser = z.strictObject({ rationale: z.string(), result: value })
  const schema = z.toJSONSchema(parser, { target: 'draft-2020-12' }) as Record<string, unknown>
  delete schema.$schema
  schema.required = ['rationale', 'result']
  schema.additionalProperties = false
  const loose = z.object({ rationale: z.string(), result: value })
  return {
    parser: parser as z.ZodType<{ rationale: string; result: V }>,
    loose: loose as z.ZodType<{ rationale: string; result: V }>,
    schema,
    resultForm,
  }
}

/** One question to a judge model. */
export interface JudgeQuestion<V> {
  /** The judge's (metric's) name, for messages and the cache entry. */
  judge: string
  user: string
  format: ResponseFormat<V>
  overrides: JudgeOverrides
  /**
   * The trial of the row being judged, from 0 (the scorer context's `trial`): part of the
   * cache key from trial 1 on, so each trial is its own sample and replays on its own.
   */
  trial: number
  /** The row's signal (the scorer context's `signal`): its abort stops the call. */
  signal?: AbortSignal | undefined
  /** Counts HTTP attempts as they are sent (see {@link requestCompletion}). */
  meter?: { requests: number } | undefined
}

/** A verdict with its rationale, or an error; with what it cost either way. */
export type JudgeAnswer<V> =
  | { ok: true; result: V; rationale: string; usage: JudgeUsage; model: string }
  | { ok: false; code: JudgeErrorCode; message: string; usage: JudgeUsage; model: string }

function usageOf(
  settings: Pick<JudgeSettings, 'model' | 'prices'>,
  requests: number,
  cacheHits: number,
  inputTokens: number,
  outputTokens: number,
): JudgeUsage {
  return {
    model: settings.model,
    requests,
    cacheHits,
    inputTokens,
    outputTokens,
    costUsd: costUsd(settings.model, inputTokens, outputTokens, settings.prices),
  }
}

/**
 * The JSON a reply holds, read tolerantly: the whole reply, else the last ```json fenced block,
 * else the last `{ … }` object in the text that parses (after prose). `undefined` if none.
 */
export function extractJson(content: string): { json: unknown } | undefined {
  const attempts: string[] = [content.trim()]
  const fences = [...content.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)]
  for (const f of fences.reverse()) attempts.push((f[1] ?? '').trim())
  for (const text of attempts) {
    try {
      return { json: JSON.parse(text) }
    } catch {}
  }
  // The last balanced object that parses, scanning each "{" from the end.
  for (
    let start = content.lastIndexOf('{');
    start !== -1;
    start = content.lastIndexOf('{', start - 1)
  ) {
    const end = balancedEnd(content, start)
    if (end === -1) continue
    try {
      const json: unknown = JSON.parse(content.slice(start, end + 1))
      if (typeof json === 'object' && json !== null && 'result' in json) return { json }
    } catch {}
  }
  return undefined
}

/** The index of the `}` closing the object opened at `start` (strings respected), or -1. */
function balancedEnd(text: string, start: number): number {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) return i
  }
  return -1
}

function parseContent<V>(
  content: string,
  format: ResponseFormat<V>,
  who: string,
  tolerant = false,
): { ok: true; result: V; rationale: string } | { ok: false; message: string } {
  let json: unknown
  try {
    if (tolerant) {
      const found = extractJson(content)
      if (found === undefined) throw new Error('no JSON object found in the reply')
      json = found.json
    } else {
      json = JSON.parse(content)
    }
  } catch (error) {
    return {
      ok: false,
      message: `${who}: expected the reply to be JSON { "rationale": string, "result": ${format.resultForm} }, received ${preview(content)} (${(error as Error).message})`,
    }
  }
  // Without strict structured outputs a model may add fields: they are dropped, the verdict's
  // own fields still validated.
  const parsed = (tolerant ? format.loose : format.parser).safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue === undefined || issue.path.length === 0 ? 'reply' : issue.path.join('.')
    return {
      ok: false,
      message: `${who}: expected the reply to be { "rationale": string, "result": ${format.resultForm} }, received ${preview(content)} (${where}: ${issue?.message ?? 'invalid'})`,
    }
  }
  return { ok: true, result: parsed.data.result, rationale: parsed.data.rationale }
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ')
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 117)}...` : flat)
}

type Messages = { role: 'system' | 'user'; content: string }[]

/**
 * Asks a judge model one question, through the cache. Never throws: every failure is an answer
 * with an error code. The cache is read in `auto` and `replay`, written in `auto` and `record`
 * (verdicts only: errors are never cached).
 *
 * The one choke point of judge text: every message and rationale a judge returns passes
 * through here and is redacted (API keys, bearer tokens), whatever path produced it.
 */
export async function askJudge<V>(q: JudgeQuestion<V>): Promise<JudgeAnswer<V>> {
  const answer = await askUnredacted(q)
  if (answer.ok) return { ...answer, rationale: redact(answer.rationale) }
  return { ...answer, message: redact(answer.message) }
}

async function askUnredacted<V>(q: JudgeQuestion<V>): Promise<JudgeAnswer<V>> {
  const settings = resolveSettings(q.overrides)
  if ('problem' in settings) {
    warnOnce('config', settings.problem)
    const model = resolveModel(q.overrides)
    const usage = usageOf({ model, prices: configuredPrices() }, 0, 0, 0, 0)
    return { ok: false, code: 'JUDGE_CONFIG_ERROR', message: settings.problem, usage, model }
  }
  const { model, cacheMode: mode, cacheDir: dir } = settings
  const messages: Messages = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: q.user },
  ]
  // No cache, no key: hashing every prompt costs a run with the cache off for nothing.
  const key =
    mode === 'off'
      ? ''
      : cacheKey({
          model,
          messages,
          schema: q.format.schema,
          trial: q.trial,
          params: settings.params,
          responseFormat: settings.responseFormat,
        })
  if (mode === 'auto' || mode === 'replay') {
    const entry = await readEntry(dir, key)
    // Validated again: an entry edited by hand must still be a verdict of this judge's schema.
    const cached =
      entry === undefined
        ? undefined
        : q.format.parser.safeParse({ rationale: entry.rationale, result: entry.result })
    if (cached?.success) {
      const { result, rationale } = cached.data
      return { ok: true, result, rationale, usage: usageOf(settings, 0, 1, 0, 0), model }
    }
    if (mode === 'replay') {
      return {
        ok: false,
        code: 'JUDGE_CACHE_MISS',
        message: `evalgate: judge "${q.judge}" (model ${model}): no cached judge response for this row${q.trial > 0 ? ` (trial ${q.trial}: each trial is recorded on its own)` : ''} in ${dir} (key ${key.slice(0, 12)}…), and EVALGATE_CACHE is "replay", which never calls the model. Record the responses with EVALGATE_CACHE=auto or record (an API key is needed then), or check EVALGATE_CACHE_DIR.`,
        usage: usageOf(settings, 0, 0, 0, 0),
        model,
      }
    }
  }
  return callModel(q, settings, messages, key)
}

/** The model call behind a cache miss (or any call in `off` / `record`). */
async function callModel<V>(
  q: JudgeQuestion<V>,
  settings: JudgeSettings,
  messages: Messages,
  key: string,
): Promise<JudgeAnswer<V>> {
  const { model } = settings
  const got = await clientFor(settings.client)
  const who = `evalgate: judge "${q.judge}" (model ${model})`
  if ('noKey' in got) {
    // Cache-only: explained once, each row's error points to that explanation.
    warnOnce('no-key', NO_KEY_MESSAGE)
    const usage = usageOf(settings, 0, 0, 0, 0)
    const code = settings.cacheMode === 'auto' ? 'JUDGE_CACHE_MISS' : 'JUDGE_CONFIG_ERROR'
    const why =
      settings.cacheMode === 'auto'
        ? NO_KEY_SHORT
        : `EVALGATE_CACHE is "${settings.cacheMode}", which calls the model, and there is no OPENAI_API_KEY (see the warning "judges have no OpenAI client" printed once)`
    return { ok: false, code, message: `${who}: ${why}`, usage, model }
  }
  if ('problem' in got) {
    warnOnce('sdk', `evalgate: ${got.problem}`)
    const usage = usageOf(settings, 0, 0, 0, 0)
    return {
      ok: false,
      code: 'JUDGE_CONFIG_ERROR',
      message: `${who}: ${got.problem}`,
      usage,
      model,
    }
  }
  const reply = await requestCompletion({
    client: got.client,
    judge: q.judge,
    model,
    messages,
    responseFormat: { name: FORMAT_NAME, schema: q.format.schema },
    mode: settings.responseFormat,
    params: settings.params,
    maxRetries: settings.maxRetries,
    timeoutMs: settings.timeoutMs,
    concurrency: settings.concurrency,
    signal: q.signal,
    meter: q.meter,
  })
  const usage = usageOf(settings, reply.requests, 0, reply.inputTokens, reply.outputTokens)
  if (!reply.ok) return { ok: false, code: reply.code, message: reply.message, usage, model }
  const parsed = parseContent(
    reply.content,
    q.format,
    who,
    settings.responseFormat !== 'json_schema',
  )
  if (!parsed.ok) {
    return { ok: false, code: 'JUDGE_PARSE_ERROR', message: parsed.message, usage, model }
  }
  // A server that echoes the Authorization header must not get the key into a report or cache.
  const rationale = redact(parsed.rationale, got.client)
  if (settings.cacheMode === 'auto' || settings.cacheMode === 'record') {
    await store(settings.cacheDir, {
      version: 1,
      key,
      promptVersion: PROMPT_VERSION,
      model,
      judge: q.judge,
      ...(q.trial > 0 ? { trial: q.trial } : {}),
      result: parsed.result,
      rationale,
      usage: { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens },
    })
  }
  return { ok: true, result: parsed.result, rationale, usage, model }
}

async function store(dir: string, entry: CacheEntry): Promise<void> {
  try {
    await writeEntry(dir, entry)
  } catch (error) {
    // A cache that cannot be written costs a future request, not this verdict.
    warnOnce(
      'cache-write',
      `evalgate: could not write the judge cache in ${dir}: ${(error as Error).message}`,
    )
  }
}

/** The `source` of a judge's Feedback. */
export function judgeSource(model: string): FeedbackSource {
  return { type: 'LLM_JUDGE', id: model }
}

/**
 * An answer as one Feedback: a verdict `{ value, rationale }` or an error `{ error }`, with the
 * model as source and the usage in `metadata.usage`. The judge adds its `name`.
 */
export function answerFeedback<V>(answer: JudgeAnswer<V>): Feedback {
  const source = judgeSource(answer.model)
  const metadata = { usage: answer.usage }
  if (!answer.ok) return { error: { code: answer.code, message: answer.message }, source, metadata }
  return { value: answer.result as FeedbackValue, rationale: answer.rationale, source, metadata }
}
