// Any server, any settings (issue 14): params on configureJudges and each judge, in the request
// and the cache key; responseFormat json_schema | json_object | text with tolerant parsing, each
// against the local OpenAI-wire server through the real SDK.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  completionBody,
  type OpenAIServer,
  startOpenAIServer,
} from '../../fixtures/openai-server/server.mjs'
import type { Feedback, ScorerContext } from '../../src/core/scorer.js'
import { cacheKey } from '../../src/judges/cache.js'
import { configureJudges, type JudgeConfig, makeJudge, safety } from '../../src/judges/index.js'

let server: OpenAIServer
const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'evalgate-formats-'))
  dirs.push(d)
  return d
}
const ctx = (outputs: unknown): ScorerContext => ({
  inputs: { q: 'hi' },
  outputs,
  expectations: {},
  trace: undefined,
  metadata: {},
})
function configure(extra: JudgeConfig = {}): void {
  configureJudges({
    client: new OpenAI({ apiKey: 'sk-formats-test-0000', baseURL: server.baseURL }),
    cache: { mode: 'off' },
    maxRetries: 0,
    ...extra,
  })
}
const content = (text: string) => ({ body: completionBody({ content: text }) })

beforeAll(async () => {
  server = await startOpenAIServer()
})
afterAll(async () => {
  await server.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
beforeEach(() => {
  server.reset()
  configure()
})
afterEach(() => configureJudges())

describe('params', () => {
  it('configureJudges params and a judge own params (over them) are sent', async () => {
    configure({ params: { temperature: 0, seed: 7 } })
    await safety({ params: { seed: 11, max_tokens: 300 } }).score(ctx('hi'))
    const body = server.requests[0]!.body as Record<string, unknown>
    expect(body.temperature).toBe(0)
    expect(body.seed).toBe(11)
    expect(body.max_tokens).toBe(300)
    expect(body.model).toBe('gpt-4.1-mini')
  })

  it('are part of the cache key; no params keeps the key recordings were made with', async () => {
    const parts = { model: 'm', messages: [{ role: 'user', content: 'x' }], schema: {} }
    expect(cacheKey({ ...parts, params: {} })).toBe(cacheKey(parts))
    expect(cacheKey({ ...parts, responseFormat: 'json_schema' })).toBe(cacheKey(parts))
    expect(cacheKey({ ...parts, params: { temperature: 0 } })).not.toBe(cacheKey(parts))
    expect(cacheKey({ ...parts, params: { seed: 1, temperature: 0 } })).toBe(
      cacheKey({ ...parts, params: { temperature: 0, seed: 1 } }),
    )
    expect(cacheKey({ ...parts, responseFormat: 'text' })).not.toBe(cacheKey(parts))
    // Through a judge: another temperature is another entry.
    const dir = tmp()
    configure({ cache: { mode: 'auto', dir }, params: { temperature: 0 } })
    await safety().score(ctx('same'))
    await safety().score(ctx('same'))
    configure({ cache: { mode: 'auto', dir }, params: { temperature: 1 } })
    await safety().score(ctx('same'))
    expect(server.requests).toHaveLength(2)
    expect(
      readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.json')),
    ).toHaveLength(2)
  })

  it('refuses params it sets itself, and values that are not JSON', () => {
    expect(() => configureJudges({ params: { model: 'x' } })).toThrow(
      /params.model" is set by the judge/,
    )
    expect(() => safety({ params: { response_format: {} } })).toThrow(/reserved/)
    expect(() => safety({ params: { temperature: Number.NaN } })).toThrow(/JSON value/)
    expect(() => configureJudges({ responseFormat: 'yaml' as never })).toThrow(
      /one of json_schema, json_object, text/,
    )
  })
})

describe('responseFormat', () => {
  it('json_schema (default): strict structured output', async () => {
    await safety().score(ctx('hi'))
    const rf = (server.requests[0]!.body as { response_format: { type: string } }).response_format
    expect(rf.type).toBe('json_schema')
  })

  it('a server that answers 400 to json_schema: the error says so; json_object then works', async () => {
    server.setRejectJsonSchema(true)
    const failed = (await safety().score(ctx('hi'))) as Feedback
    expect(failed.error?.code).toBe('JUDGE_HTTP_ERROR')
    expect(failed.error?.message).toContain("'json_schema' is not supported")
    configure({ responseFormat: 'json_object' })
    const fb = (await safety().score(ctx('hi'))) as Feedback
    expect(fb.value).toBe('yes')
    const body = server.requests.at(-1)!.body as { response_format: unknown }
    expect(body.response_format).toEqual({ type: 'json_object' })
  })

  it('text: no response_format; JSON in a code fence, after prose, or with extra fields is read', async () => {
    server.setRejectJsonSchema(true)
    configure({ responseFormat: 'text' })
    server.enqueue(
      content('Sure.\n```json\n{ "rationale": "fenced", "result": "yes" }\n```'),
      content(
        'Let me think. The answer is harmless, so: {"rationale": "after {prose}", "result": "no"}',
      ),
      content('{"rationale": "extra", "result": "yes", "confidence": 0.9}'),
    )
    const out = [] as Feedback[]
    for (let i = 0; i < 3; i++) out.push((await safety().score(ctx(`r${i}`))) as Feedback)
    expect(out.map((f) => [f.value, f.rationale])).toEqual([
      ['yes', 'fenced'],
      ['no', 'after {prose}'],
      ['yes', 'extra'],
    ])
    expect('response_format' in (server.requests[0]!.body as object)).toBe(false)
  })

  it('text: still validated against the verdict schema; no JSON at all is a JUDGE_PARSE_ERROR', async () => {
    configure({ responseFormat: 'text' })
    const judge = makeJudge({
      name: 'q',
      instructions: 'Rate {{ outputs }}',
      value: z.int().min(1).max(5),
    })
    server.enqueue(
      content('```json\n{"rationale": "too high", "result": 9}\n```'),
      content('I think it is a 4 out of 5.'),
    )
    const a = (await judge.score(ctx('x'))) as Feedback
    const b = (await judge.score(ctx('y'))) as Feedback
    expect(a.error?.code).toBe('JUDGE_PARSE_ERROR')
    expect(a.error?.message).toContain('result')
    expect(b.error?.code).toBe('JUDGE_PARSE_ERROR')
    expect(b.error?.message).toContain('no JSON object found')
  })

  it('json_schema stays strict: a fenced reply is a JUDGE_PARSE_ERROR there', async () => {
    server.enqueue(content('```json\n{"rationale": "r", "result": "yes"}\n```'))
    const fb = (await safety().score(ctx('x'))) as Feedback
    expect(fb.error?.code).toBe('JUDGE_PARSE_ERROR')
  })
})
