import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  type OpenAIServer,
  startOpenAIServer,
  verdict,
} from '../../fixtures/openai-server/server.mjs'
import { scoreCase } from '../../src/core/case.js'
import { runRow } from '../../src/core/run.js'
import type { Feedback, ScorerContext } from '../../src/core/scorer.js'
import { cacheKey } from '../../src/judges/cache.js'
import {
  type CacheMode,
  configureJudges,
  type JudgeUsage,
  PROMPT_VERSION,
  safety,
} from '../../src/judges/index.js'

// Issue 11: the judge cache key includes the trial, so trials are independent samples that
// still replay offline; trial 0 keeps the key of a single run, so recordings made before trials
// existed (fixtures/judge-cache/examples) still replay.

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const KEY = 'sk-evalgate-trials-SECRET-4f1e'
let server: OpenAIServer
const dirs: string[] = []

function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-trials-'))
  dirs.push(dir)
  return dir
}

function entries(dir: string): Array<Record<string, unknown>> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => JSON.parse(readFileSync(path.join(e.parentPath, e.name), 'utf8')))
}

function configure(mode: CacheMode, dir: string): void {
  configureJudges({
    client: new OpenAI({ apiKey: KEY, baseURL: server.baseURL }),
    cache: { mode, dir },
    maxRetries: 0,
  })
}

/** Replay with no client and no key at all: what offline CI does. */
function offline(dir: string): void {
  configureJudges({ cache: { mode: 'replay', dir } })
  vi.stubEnv('OPENAI_API_KEY', '')
}

const ctx = (trial?: number): ScorerContext => ({
  inputs: { q: 'hi' },
  outputs: 'Hello.',
  expectations: {},
  trace: undefined,
  metadata: {},
  ...(trial === undefined ? {} : { trial }),
})
const judge = async (trial?: number) => (await safety().score(ctx(trial))) as Feedback
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

describe('the judge cache key and trials', () => {
  const parts = {
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'Is "Hello." safe?' },
    ],
    schema: { type: 'object', required: ['rationale', 'result'] },
  }

  it('trial 0 keeps the key of a single run exactly; each later trial has a key of its own', () => {
    // The key as evalgate computed it before trials existed, and that key's value then.
    const before = createHash('sha256')
      .update(JSON.stringify([PROMPT_VERSION, parts.model, parts.messages, parts.schema]))
      .digest('hex')
    expect(cacheKey(parts)).toBe(before)
    expect(cacheKey({ ...parts, trial: 0 })).toBe(before)
    expect(cacheKey(parts)).toBe('42442046904c4ef8979175f7f7cec6ccdd7aa9d66dc74d32f1ab3057bb382aa0')
    const keys = [0, 1, 2, 3].map((trial) => cacheKey({ ...parts, trial }))
    expect(new Set(keys).size).toBe(4)
    expect(cacheKey({ ...parts, trial: 2 })).toBe(keys[2])
  })

  it('recordings made before trials (fixtures/judge-cache/examples) replay for trial 0, not for trial 1', async () => {
    const line = readFileSync(path.join(REPO, 'examples/judges/answers.jsonl'), 'utf8')
      .split('\n')
      .find((l) => l.trim() !== '')!
    const row = JSON.parse(line) as { inputs: Record<string, unknown>; outputs: string }
    configureJudges({
      model: 'gpt-4.1-mini',
      cache: { mode: 'replay', dir: path.join(REPO, 'fixtures/judge-cache/examples') },
    })
    vi.stubEnv('OPENAI_API_KEY', '')
    const score = async (trial: number) =>
      (await safety().score({
        inputs: row.inputs,
        outputs: row.outputs,
        expectations: {},
        trace: undefined,
        metadata: {},
        trial,
      })) as Feedback
    const first = await score(0)
    expect(first.error).toBeUndefined()
    expect(first.value).toBe('yes')
    expect(usageOf(first)).toMatchObject({ requests: 0, cacheHits: 1 })
    const second = await score(1)
    expect(second.error?.code).toBe('JUDGE_CACHE_MISS')
    expect(second.error?.message).toContain(
      'no cached judge response for this row (trial 1: each trial is recorded on its own) in',
    )
  })

  it('record: one request and one entry per trial; replay then gives each trial its own verdict with no request', async () => {
    const dir = tmp()
    configure('record', dir)
    server.enqueue(verdict('yes', 'first'), verdict('no', 'second'), verdict('yes', 'third'))
    for (const trial of [0, 1, 2]) await judge(trial)
    expect(server.requests).toHaveLength(3)
    const recorded = entries(dir)
    expect(recorded).toHaveLength(3)
    // Trial 0's entry is written as before trials; later ones say their trial.
    expect(recorded.map((e) => e.trial ?? 0).sort()).toEqual([0, 1, 2])
    expect(recorded.find((e) => e.trial === undefined)?.rationale).toBe('first')

    server.reset()
    offline(dir)
    const replayed = await Promise.all([0, 1, 2].map(judge))
    expect(replayed.map((fb) => [fb.value, fb.rationale])).toEqual([
      ['yes', 'first'],
      ['no', 'second'],
      ['yes', 'third'],
    ])
    expect(replayed.every((fb) => usageOf(fb).cacheHits === 1)).toBe(true)
    expect(server.requests).toHaveLength(0)
    // A trial never recorded is a miss, never another trial's answer.
    expect((await judge(3)).error?.code).toBe('JUDGE_CACHE_MISS')
  })

  it('auto: a new trial of a cached question asks the model; the same trial again is a hit', async () => {
    const dir = tmp()
    configure('auto', dir)
    await judge(0)
    await judge(1)
    expect(server.requests).toHaveLength(2)
    const again = await judge(1)
    expect(usageOf(again)).toMatchObject({ requests: 0, cacheHits: 1 })
    // Called by hand without a trial: trial 0's entry.
    expect(usageOf(await judge())).toMatchObject({ requests: 0, cacheHits: 1 })
    expect(server.requests).toHaveLength(2)
  })

  it('an eval row passes its trial to the judge (runRow); scoreCase judges trial 0', async () => {
    const dir = tmp()
    configure('auto', dir)
    server.enqueue(verdict('no', 'trial two says no'))
    const row = { id: 'r', inputs: { q: 'hi' }, outputs: 'Hello.' }
    const two = await runRow({ row, index: 0, trial: 2, scorers: [safety()] })
    expect(two.trial).toBe(2)
    expect(two.feedback[0]).toMatchObject({ value: 'no', rationale: 'trial two says no' })
    expect(entries(dir)).toEqual([expect.objectContaining({ trial: 2, result: 'no' })])

    offline(dir)
    const replayed = await runRow({ row, index: 0, trial: 2, scorers: [safety()] })
    expect(replayed.feedback[0]).toMatchObject({ value: 'no', rationale: 'trial two says no' })
    // Trial 0 was never recorded: scoreCase (trial 0) misses rather than reuse trial 2.
    const single = await scoreCase({ scorers: safety(), outputs: 'Hello.', inputs: { q: 'hi' } })
    expect(single.feedback[0]?.error?.code).toBe('JUDGE_CACHE_MISS')
    expect(single.feedback[0]?.error?.message).not.toContain('(trial')
    expect(server.requests).toHaveLength(1)
  })
})
