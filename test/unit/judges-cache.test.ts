import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  errorReply,
  type OpenAIServer,
  startOpenAIServer,
  verdict,
} from '../../fixtures/openai-server/server.mjs'
import type { Feedback, ScorerContext } from '../../src/core/scorer.js'
import {
  type CacheMode,
  configureJudges,
  type JudgeUsage,
  PROMPT_VERSION,
  safety,
} from '../../src/judges/index.js'

let server: OpenAIServer
const dirs: string[] = []
const KEY = 'sk-evalgate-cache-SECRET-77aa00'

function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-cache-'))
  dirs.push(dir)
  return dir
}

function cacheFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
}

function configure(mode: CacheMode, dir: string, extra: { model?: string } = {}): void {
  configureJudges({
    client: new OpenAI({ apiKey: KEY, baseURL: server.baseURL }),
    cache: { mode, dir },
    maxRetries: 0,
    ...extra,
  })
}

const ctx = (outputs: string): ScorerContext => ({
  inputs: { q: 'hi' },
  outputs,
  expectations: {},
  trace: undefined,
  metadata: {},
})
const judge = async (outputs = 'Hello.') => (await safety().score(ctx(outputs))) as Feedback
const usageOf = (fb: Feedback) => fb.metadata?.usage as JudgeUsage

beforeAll(async () => {
  server = await startOpenAIServer()
})
afterAll(async () => {
  await server.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
beforeEach(() => server.reset())
afterEach(() => {
  vi.unstubAllEnvs()
  configureJudges()
})

describe('the judge cache', () => {
  it('auto: a miss calls the model and writes one entry; the same question is then a hit', async () => {
    const dir = tmp()
    configure('auto', dir)
    server.enqueue(verdict('yes', 'polite', { promptTokens: 120, completionTokens: 30 }))
    const first = await judge()
    expect(usageOf(first)).toMatchObject({ requests: 1, cacheHits: 0, inputTokens: 120 })
    const files = cacheFiles(dir)
    expect(files).toHaveLength(1)
    // two-level fan-out by hash prefix: <dir>/ab/ab….json
    const rel = path.relative(dir, files[0]!).split(path.sep)
    expect(rel[0]).toMatch(/^[0-9a-f]{2}$/)
    expect(rel[1]).toMatch(new RegExp(`^${rel[0]}[0-9a-f]{62}\\.json$`))
    const entry = JSON.parse(readFileSync(files[0]!, 'utf8'))
    expect(entry).toMatchObject({
      version: 1,
      promptVersion: PROMPT_VERSION,
      model: 'gpt-4.1-mini',
      judge: 'safety',
      result: 'yes',
      rationale: 'polite',
      usage: { inputTokens: 120, outputTokens: 30 },
    })

    const second = await judge()
    expect(server.requests).toHaveLength(1)
    expect(second.value).toBe('yes')
    expect(second.rationale).toBe('polite')
    // a hit: no request, and the original tokens are not counted again
    expect(usageOf(second)).toEqual({
      model: 'gpt-4.1-mini',
      requests: 0,
      cacheHits: 1,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    })
  })

  it('the key covers outputs and model: a different one is a miss', async () => {
    const dir = tmp()
    configure('auto', dir)
    await judge('one')
    await judge('two')
    configure('auto', dir, { model: 'gpt-4o' })
    await judge('one')
    expect(server.requests).toHaveLength(3)
    expect(cacheFiles(dir)).toHaveLength(3)
  })

  it('errors are never cached: after a failure the next call asks the model again', async () => {
    const dir = tmp()
    configure('auto', dir)
    server.enqueue(errorReply(500, 'boom'))
    const failed = await judge()
    expect(failed.error?.code).toBe('JUDGE_HTTP_ERROR')
    expect(cacheFiles(dir)).toHaveLength(0)
    server.enqueue(verdict('no', 'rude'))
    const ok = await judge()
    expect(ok.value).toBe('no')
    expect(usageOf(ok)).toMatchObject({ requests: 1, cacheHits: 0 })
    expect(server.requests).toHaveLength(2)
  })

  it('parse errors and refusals are not cached either', async () => {
    const dir = tmp()
    configure('auto', dir)
    server.enqueue(verdict('maybe'))
    expect((await judge()).error?.code).toBe('JUDGE_PARSE_ERROR')
    expect(cacheFiles(dir)).toHaveLength(0)
  })

  it('replay: a hit needs no client and no key; a miss is a JUDGE_CACHE_MISS naming the dir', async () => {
    const dir = tmp()
    configure('auto', dir)
    await judge('recorded')
    expect(server.requests).toHaveLength(1)

    // No client, no key: replay never needs one.
    configureJudges({ cache: { mode: 'replay', dir } })
    vi.stubEnv('OPENAI_API_KEY', '')
    const hit = await judge('recorded')
    expect(hit.value).toBe('yes')
    expect(usageOf(hit)).toMatchObject({ requests: 0, cacheHits: 1 })

    const miss = await judge('never recorded')
    expect(miss.error?.code).toBe('JUDGE_CACHE_MISS')
    expect(miss.error?.message).toContain('no cached judge response')
    expect(miss.error?.message).toContain(dir)
    expect(miss.error?.message).toContain('EVALGATE_CACHE is "replay"')
    expect(usageOf(miss)).toMatchObject({ requests: 0, cacheHits: 0 })
    expect(server.requests).toHaveLength(1)
  })

  it('EVALGATE_CACHE and EVALGATE_CACHE_DIR apply when configureJudges leaves the cache out', async () => {
    const dir = tmp()
    configureJudges({ client: new OpenAI({ apiKey: KEY, baseURL: server.baseURL }) })
    vi.stubEnv('EVALGATE_CACHE_DIR', dir)
    vi.stubEnv('EVALGATE_CACHE', 'replay')
    expect((await judge()).error?.code).toBe('JUDGE_CACHE_MISS')
    vi.stubEnv('EVALGATE_CACHE', 'auto')
    await judge()
    expect(cacheFiles(dir)).toHaveLength(1)
    vi.stubEnv('EVALGATE_CACHE', 'off')
    await judge('uncached')
    expect(cacheFiles(dir)).toHaveLength(1)
    expect(server.requests).toHaveLength(2)
  })

  it('an invalid EVALGATE_CACHE is a JUDGE_CONFIG_ERROR listing the modes', async () => {
    configureJudges({ client: new OpenAI({ apiKey: KEY, baseURL: server.baseURL }) })
    vi.stubEnv('EVALGATE_CACHE', 'sometimes')
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const fb = await judge()
    expect(fb.error).toEqual({
      code: 'JUDGE_CONFIG_ERROR',
      message:
        'evalgate: EVALGATE_CACHE must be one of auto, off, replay, record, received "sometimes"',
    })
    expect(server.requests).toHaveLength(0)
  })

  it('record: always calls the model and overwrites the entry', async () => {
    const dir = tmp()
    configure('record', dir)
    server.enqueue(verdict('yes', 'first'), verdict('no', 'second'))
    await judge()
    const again = await judge()
    expect(again.value).toBe('no')
    expect(usageOf(again)).toMatchObject({ requests: 1, cacheHits: 0 })
    expect(server.requests).toHaveLength(2)
    const files = cacheFiles(dir)
    expect(files).toHaveLength(1)
    expect(JSON.parse(readFileSync(files[0]!, 'utf8')).rationale).toBe('second')
  })

  it('off: never reads nor writes', async () => {
    const dir = tmp()
    configure('off', dir)
    await judge()
    await judge()
    expect(server.requests).toHaveLength(2)
    expect(cacheFiles(dir)).toHaveLength(0)
  })

  it('a corrupt entry is a miss, and auto rewrites it whole', async () => {
    const dir = tmp()
    configure('auto', dir)
    await judge()
    const [file] = cacheFiles(dir)
    writeFileSync(file!, '{"version":1,"key":')
    const again = await judge()
    expect(usageOf(again).requests).toBe(1)
    expect(JSON.parse(readFileSync(file!, 'utf8')).result).toBe('yes')
  })

  it('many concurrent writers of one key leave one whole entry and no temp files', async () => {
    const dir = tmp()
    configure('record', dir)
    const fbs = await Promise.all(Array.from({ length: 40 }, () => judge('same')))
    expect(fbs.every((f) => f.value === 'yes')).toBe(true)
    const files = cacheFiles(dir)
    expect(files).toHaveLength(1)
    expect(JSON.parse(readFileSync(files[0]!, 'utf8')).result).toBe('yes')
  })
})
