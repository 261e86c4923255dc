// Fault 4 of issue 14: `openai` is an optional peer. Here it cannot be loaded (as when it is not
// installed): importing the judges and replaying from the cache must still work, and a call
// that needs the SDK says `npm install openai`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import type { Feedback, ScorerContext } from '../../src/core/scorer.js'
import { cacheKey, writeEntry } from '../../src/judges/cache.js'
import { configureJudges, PROMPT_VERSION, safety } from '../../src/judges/index.js'
import { YES_NO_FORMAT } from '../../src/judges/judge.js'
import { SYSTEM_PROMPT, safetyPrompt } from '../../src/judges/prompts.js'

vi.mock('openai', () => {
  throw new Error("Cannot find package 'openai' imported from evalgate")
})

const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-no-sdk-'))
const ctx = (outputs: string): ScorerContext => ({
  inputs: {},
  outputs,
  expectations: {},
  trace: undefined,
  metadata: {},
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  configureJudges()
})

describe('without the openai package', () => {
  it('replays a recorded verdict from the cache: no SDK needed', async () => {
    const messages = [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: safetyPrompt('recorded answer') },
    ]
    const model = 'gpt-4.1-mini'
    const key = cacheKey({ model, messages, schema: YES_NO_FORMAT.schema })
    await writeEntry(dir, {
      version: 1,
      key,
      promptVersion: PROMPT_VERSION,
      model,
      judge: 'safety',
      result: 'yes',
      rationale: 'recorded',
      usage: { inputTokens: 1, outputTokens: 1 },
    })
    configureJudges({ model, cache: { mode: 'replay', dir } })
    const fb = (await safety().score(ctx('recorded answer'))) as Feedback
    expect(fb.value).toBe('yes')
    expect(fb.rationale).toBe('recorded')
  })

  it('a call that needs the SDK is an errored Feedback saying npm install openai, warned once', async () => {
    configureJudges({ cache: { mode: 'off' } })
    vi.stubEnv('OPENAI_API_KEY', 'sk-no-sdk-test-123456')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const a = (await safety().score(ctx('one'))) as Feedback
    const b = (await safety().score(ctx('two'))) as Feedback
    for (const fb of [a, b]) {
      expect(fb.error?.code).toBe('JUDGE_CONFIG_ERROR')
      expect(fb.error?.message).toContain('npm install openai')
    }
    expect(warn).toHaveBeenCalledTimes(1)
  })
})
