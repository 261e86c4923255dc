// Faults of issue 14, each reproduced against the local OpenAI-wire server through the real SDK.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  completionBody,
  errorReply,
  type OpenAIServer,
  refusal,
  startOpenAIServer,
  verdict,
} from '../../fixtures/openai-server/server.mjs'
import { runRow } from '../../src/core/run.js'
import type { Feedback, ScorerContext } from '../../src/core/scorer.js'
import {
  configureJudges,
  type JudgeConfig,
  type JudgeUsage,
  retrievalRelevance,
  safety,
} from '../../src/judges/index.js'

const KEY = 'sk-evalgate-faults-SECRET-77aa31c0d9'
// A key of no known shape: only the verbatim (remembered) key can redact it.
const PLAIN_KEY = 'plainkey0DEADBEEFcafe42'
let server: OpenAIServer
const dirs: string[] = []

function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-faults-'))
  dirs.push(dir)
  return dir
}

function ctx(outputs: unknown, extra: Partial<ScorerContext> = {}): ScorerContext {
  return {
    inputs: { q: 'hi' },
    outputs,
    expectations: {},
    trace: undefined,
    metadata: {},
    ...extra,
  }
}

function configure(extra: JudgeConfig = {}, apiKey = KEY): void {
  configureJudges({
    client: new OpenAI({ apiKey, baseURL: server.baseURL, maxRetries: 0 }),
    cache: { mode: 'off' },
    maxRetries: 2,
    ...extra,
  })
}

const usageOf = (fb: Feedback) => fb.metadata?.usage as JudgeUsage

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
afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  configureJudges()
})

describe('fault 1: the API key never leaves through any error path', () => {
  for (const key of [KEY, PLAIN_KEY]) {
    it(`redacts ${key === KEY ? 'an sk- key' : 'a key of no known shape'} in every message: HTTP bodies, parse errors (content not a string), refusals, timeouts, SDK errors`, async () => {
      const dir = tmp()
      configure({ cache: { mode: 'auto', dir }, maxRetries: 0, timeoutMs: 300 }, key)
      const logged: unknown[] = []
      for (const m of ['log', 'warn', 'error', 'info', 'debug'] as const) {
        vi.spyOn(console, m).mockImplementation((...args) => void logged.push(...args))
      }
      const echo = `key ${key} / Bearer ${key}`
      const replies = [
        errorReply(401, `Incorrect API key provided: ${echo}`),
        errorReply(400, `bad request ${echo}`),
        // message.content not a string: the JUDGE_PARSE_ERROR quoting it leaked the key.
        {
          body: {
            ...completionBody({ content: 'x' }),
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: { echo } },
                finish_reason: 'stop',
              },
            ],
          },
        },
        { body: completionBody({ content: `not json ${echo}` }) },
        { body: completionBody({ content: JSON.stringify({ rationale: echo, result: 'maybe' }) }) },
        refusal(`no, ${echo}`),
        { body: `<html>${echo}</html>`, contentType: 'application/json' },
        { ...verdict('yes'), delayMs: 1000 },
        verdict('yes', `fine, ${echo}`),
      ]
      const out: Feedback[] = []
      for (const [i, reply] of replies.entries()) {
        server.enqueue(reply as never)
        out.push((await safety().score(ctx(`row ${i}`))) as Feedback)
      }
      expect(out.map((f) => f.error?.code ?? f.value)).toEqual([
        'JUDGE_HTTP_ERROR',
        'JUDGE_HTTP_ERROR',
        'JUDGE_PARSE_ERROR',
        'JUDGE_PARSE_ERROR',
        'JUDGE_PARSE_ERROR',
        'JUDGE_REFUSAL',
        'JUDGE_PARSE_ERROR',
        'JUDGE_TIMEOUT',
        'yes',
      ])
      expect(JSON.stringify(out)).not.toContain(key)
      expect(JSON.stringify(out)).toContain('[redacted]')
      expect(JSON.stringify(logged)).not.toContain(key)
      const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) =>
        e.isFile(),
      )
      expect(files).toHaveLength(1)
      for (const f of files) {
        expect(readFileSync(path.join(f.parentPath, f.name), 'utf8')).not.toContain(key)
      }
    })
  }
})

describe("fault 2: a row's timeout aborts its judge requests and counts them", () => {
  it('a row timing out stops the judge at once; every request sent is in usage', async () => {
    configure({ maxRetries: 4, timeoutMs: 150 })
    // Every attempt times out at the judge's timeoutMs and is retried; the row's 500 ms cut it.
    server.setLatency(2000)
    const started = performance.now()
    const result = await runRow({
      row: { inputs: { q: 'hi' } },
      index: 0,
      task: async () => 'Hello there.',
      scorers: [safety()],
      timeoutMs: 500,
    })
    const fb = result.feedback[0]!
    expect(fb.error?.code).toBe('JUDGE_TIMEOUT')
    expect(fb.error?.message).toContain('row timed out after 500 ms')
    const sent = server.requests.length
    expect(sent).toBeGreaterThanOrEqual(1)
    expect(usageOf(fb as Feedback).requests).toBe(sent)
    // No retry goes on in the background after the row ended.
    await new Promise((r) => setTimeout(r, 1500))
    expect(server.requests.length).toBe(sent)
    expect(performance.now() - started).toBeGreaterThan(400)
  })

  it("the row's signal reaches the request: an abort closes the connection in flight", async () => {
    server.setLatency(5000)
    const controller = new AbortController()
    const pending = safety().score(ctx('hi', { signal: controller.signal })) as Promise<Feedback>
    await vi.waitFor(() => expect(server.inFlight).toBe(1))
    controller.abort(new Error('cancelled by the test'))
    const fb = await pending
    expect(fb.error?.code).toBe('JUDGE_TIMEOUT')
    expect(usageOf(fb).requests).toBe(1)
    await vi.waitFor(() => expect(server.inFlight).toBe(0))
  })

  it('retrievalRelevance counts the requests of every chunk when the row aborts', async () => {
    server.setLatency(5000)
    const controller = new AbortController()
    const judge = retrievalRelevance()
    const pending = judge.score(
      ctx('a', {
        expectations: { retrieved_context: ['one', 'two', 'three'] },
        signal: controller.signal,
      }),
    ) as Promise<Feedback>
    await vi.waitFor(() => expect(server.inFlight).toBe(3))
    controller.abort()
    const fb = await pending
    expect(fb.error?.code).toBe('JUDGE_TIMEOUT')
    expect(usageOf(fb).requests).toBe(3)
  })
})

describe('fault 3: a body cut off by a dropped connection', () => {
  it('"terminated" is retried like a connection error', async () => {
    server.enqueue({ ...verdict('yes'), truncate: true }, verdict('yes', 'second try'))
    const fb = (await safety().score(ctx('hi'))) as Feedback
    expect(fb.value).toBe('yes')
    expect(fb.rationale).toBe('second try')
    expect(usageOf(fb).requests).toBe(2)
  })

  it('dropped on every attempt: a JUDGE_HTTP_ERROR saying so, after the retries', async () => {
    configure({ maxRetries: 1 })
    server.setRespond(() => ({ ...verdict('yes'), truncate: true }))
    const fb = (await safety().score(ctx('hi'))) as Feedback
    expect(fb.error?.code).toBe('JUDGE_HTTP_ERROR')
    expect(fb.error?.message).toContain('dropped')
    expect(fb.error?.message).toContain('after 2 attempts')
  })
})

describe('fault 5: no key and no client', () => {
  it('cache-only: said once for the whole run, each row a short JUDGE_CACHE_MISS pointing to it', async () => {
    configureJudges({ cache: { mode: 'auto', dir: tmp() } })
    vi.stubEnv('OPENAI_API_KEY', '')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const fbs: Feedback[] = []
    for (let i = 0; i < 20; i++) fbs.push((await safety().score(ctx(`row ${i}`))) as Feedback)
    for (const fb of fbs) {
      expect(fb.error?.code).toBe('JUDGE_CACHE_MISS')
      expect(fb.error?.message).toContain('set OPENAI_API_KEY')
      expect(fb.error?.message.length).toBeLessThan(220)
      expect(usageOf(fb).requests).toBe(0)
    }
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toContain('OPENAI_API_KEY is not set')
    expect(server.requests).toHaveLength(0)
  })
})

describe('fault 6: the cache directory is relative to the host root', () => {
  it('resolves a relative cache dir against the root the host set, not the working directory', async () => {
    const root = tmp()
    const g = globalThis as Record<symbol, unknown>
    const ROOT = Symbol.for('evalgate.root')
    g[ROOT] = root
    try {
      configure({ cache: { mode: 'auto', dir: 'judge-cache' } })
      const fb = (await safety().score(ctx('hi'))) as Feedback
      expect(fb.value).toBe('yes')
      const files = readdirSync(path.join(root, 'judge-cache'), { recursive: true })
      expect(files.some((f) => String(f).endsWith('.json'))).toBe(true)
    } finally {
      delete g[ROOT]
    }
  })
})
