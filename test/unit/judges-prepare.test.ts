// A Scorer's `prepare()` hook, called once per eval while the host collects it, and the judges'
// use of it: with no way to get a verdict but the cache, and nothing in the cache, the eval is
// refused before any task runs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { EvalgateError } from '../../src/base/errors.js'
import { setHostRoot } from '../../src/base/host-root.js'
import { prepareDescribedEval } from '../../src/core/eval-options.js'
import { type Scorer, scorer, validateScorer } from '../../src/core/scorer.js'
import {
  configureJudges,
  conversationCompleteness,
  correctness,
  makeJudge,
  retrievalRelevance,
  safety,
} from '../../src/judges/index.js'

const dirs: string[] = []
function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-prepare-'))
  dirs.push(dir)
  return dir
}

let root: string
beforeEach(() => {
  root = tmp()
  setHostRoot(root)
  vi.stubEnv('OPENAI_API_KEY', '')
  vi.stubEnv('EVALGATE_CACHE', '')
  vi.stubEnv('EVALGATE_CACHE_DIR', '')
  vi.stubEnv('EVALGATE_JUDGE_MODEL', '')
})
afterEach(() => {
  vi.unstubAllEnvs()
  configureJudges()
  setHostRoot('')
})
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A recorded response's file, in the cache layout (two-level fan-out by hash prefix). */
function recordOne(cacheDir: string): void {
  mkdirSync(path.join(cacheDir, 'ab'), { recursive: true })
  writeFileSync(path.join(cacheDir, 'ab', `ab${'0'.repeat(62)}.json`), '{}\n')
}

const prepare = (s: Scorer) => () => s.prepare?.()

describe('judges refuse an eval they can only answer from an empty cache', () => {
  it('no key, no client, auto mode, no cache directory: an EvalgateError naming the judge and the directory', () => {
    configureJudges({ cache: { dir: 'judge-cache' } })
    expect(prepare(safety())).toThrow(EvalgateError)
    expect(prepare(safety())).toThrow(
      'evalgate: judge "safety" (model gpt-4.1-mini) has nothing to answer from: there is no OPENAI_API_KEY and no client, so judges answer from the judge cache only, and the cache directory "judge-cache" (relative to the host\'s root) does not exist. Every row would be a JUDGE_CACHE_MISS, so the eval stops before any task runs. Set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible server) to call the model, or record responses into "judge-cache" first (run once with a key and EVALGATE_CACHE=auto or record), or point EVALGATE_CACHE_DIR at the recorded responses.',
    )
  })

  it('the default directory, an empty one, and one holding only subfolders or temporary files', () => {
    expect(prepare(correctness())).toThrow(
      'the cache directory ".evalgate/cache" (relative to the host\'s root) does not exist',
    )
    const cache = path.join(root, 'cache')
    mkdirSync(path.join(cache, 'ab'), { recursive: true })
    writeFileSync(path.join(cache, 'ab', 'x.json.123.tmp'), '')
    writeFileSync(path.join(cache, 'notes.json'), '{}')
    configureJudges({ cache: { dir: 'cache' } })
    expect(prepare(correctness({ name: 'facts' }))).toThrow(
      'judge "facts" (model gpt-4.1-mini) has nothing to answer from: there is no OPENAI_API_KEY and no client, so judges answer from the judge cache only, and the cache directory "cache" (relative to the host\'s root) holds no recorded responses.',
    )
  })

  it('EVALGATE_CACHE_DIR and a directory outside the root are named as given, resolved', () => {
    const outside = tmp()
    vi.stubEnv('EVALGATE_CACHE_DIR', path.join(outside, 'recordings'))
    expect(prepare(safety({ model: 'my-model' }))).toThrow(
      `judge "safety" (model my-model) has nothing to answer from: there is no OPENAI_API_KEY and no client, so judges answer from the judge cache only, and the cache directory "${path.join(outside, 'recordings')}" does not exist.`,
    )
  })

  it('a partial cache (one recorded response) is not refused: the rows that hit still replay', () => {
    const cache = path.join(root, 'judge-cache')
    recordOne(cache)
    configureJudges({ cache: { dir: 'judge-cache' } })
    expect(prepare(safety())).not.toThrow()
    vi.stubEnv('EVALGATE_CACHE', 'replay')
    expect(prepare(safety())).not.toThrow()
  })

  it('a key, a client, or a mode that does not read the cache: nothing to refuse', () => {
    configureJudges({ cache: { dir: 'none' } })
    vi.stubEnv('OPENAI_API_KEY', 'sk-test-prepare-0000')
    expect(prepare(safety())).not.toThrow()
    vi.stubEnv('OPENAI_API_KEY', '  ')
    expect(prepare(safety())).toThrow('has nothing to answer from')
    const client = new OpenAI({ apiKey: 'local', baseURL: 'http://127.0.0.1:9/v1' })
    expect(prepare(safety({ client }))).not.toThrow()
    configureJudges({ client, cache: { dir: 'none' } })
    expect(prepare(safety())).not.toThrow()
    // off and record call the model; without a key each row says so (JUDGE_CONFIG_ERROR).
    configureJudges({ cache: { dir: 'none', mode: 'off' } })
    expect(prepare(safety())).not.toThrow()
    configureJudges({ cache: { dir: 'none', mode: 'record' } })
    expect(prepare(safety())).not.toThrow()
  })

  it('replay never calls the model: an empty cache is refused with or without a key', () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-test-prepare-0000')
    configureJudges({ cache: { dir: 'judge-cache', mode: 'replay' } })
    const message =
      'evalgate: judge "safety" (model gpt-4.1-mini) has nothing to replay: EVALGATE_CACHE is "replay", which never calls the model, and the cache directory "judge-cache" (relative to the host\'s root) does not exist. Every row would be a JUDGE_CACHE_MISS, so the eval stops before any task runs. Record responses into "judge-cache" first (with OPENAI_API_KEY and EVALGATE_CACHE=auto or record), or point EVALGATE_CACHE_DIR at the recorded responses.'
    expect(prepare(safety())).toThrow(message)
    vi.stubEnv('OPENAI_API_KEY', '')
    expect(prepare(safety())).toThrow(message)
  })

  it('outside any host (no root known) nothing is refused: where the cache lies would be a guess', () => {
    setHostRoot('')
    vi.stubGlobal('__vitest_worker__', undefined)
    let outside: unknown
    try {
      safety().prepare?.()
    } catch (error) {
      outside = error
    } finally {
      vi.unstubAllGlobals()
    }
    expect(outside).toBeUndefined()
    // Under the Vitest worker its root is known: the same call refuses.
    expect(prepare(safety())).toThrow(
      '".evalgate/cache" (relative to the host\'s root) does not exist',
    )
  })

  it('an invalid EVALGATE_CACHE is left to each row (its JUDGE_CONFIG_ERROR says so)', () => {
    vi.stubEnv('EVALGATE_CACHE', 'sometimes')
    expect(prepare(safety())).not.toThrow()
  })

  it('every kind of judge has the hook: built-ins, session-level, makeJudge, retrievalRelevance', () => {
    const judges: Scorer[] = [
      correctness(),
      conversationCompleteness(),
      makeJudge({
        name: 'tone',
        instructions: 'Is {{ outputs }} polite?',
        value: z.enum(['yes', 'no']),
      }),
      retrievalRelevance(),
    ]
    for (const j of judges) {
      expect(prepare(j), j.name).toThrow(`judge "${j.name}" (model gpt-4.1-mini) has nothing`)
    }
  })
})

describe("prepareDescribedEval calls each scorer's prepare() once, after the options are checked", () => {
  const rows = [{ inputs: { q: 'a' }, outputs: 'a' }]

  it('a hook that throws refuses the eval with its own error', () => {
    const refusing: Scorer = {
      name: 'refusing',
      score: () => true,
      prepare() {
        throw new EvalgateError('evalgate: scorer "refusing": not today')
      },
    }
    expect(() => prepareDescribedEval('qa', { data: rows, scorers: [refusing] })).toThrow(
      'evalgate: scorer "refusing": not today',
    )
  })

  it('each hook runs once per eval; scorers without one are untouched', () => {
    const calls: string[] = []
    const a: Scorer = { name: 'a', score: () => true, prepare: () => void calls.push('a') }
    const b: Scorer = { name: 'b', score: () => true, prepare: () => void calls.push('b') }
    const plain = scorer('plain', () => true)
    prepareDescribedEval('qa', { data: rows, scorers: [a, plain, b] })
    expect(calls).toEqual(['a', 'b'])
  })

  it('a bad option or threshold is reported first, and no hook runs then', () => {
    const calls: string[] = []
    const a: Scorer = { name: 'a', score: () => true, prepare: () => void calls.push('a') }
    expect(() =>
      prepareDescribedEval('qa', { data: rows, scorers: [a], thresholds: { 'b/mean': 1 } }),
    ).toThrow('no metric "b"')
    expect(calls).toEqual([])
  })

  it('the judges refuse through it, before any row could run', () => {
    configureJudges({ cache: { dir: 'empty' } })
    mkdirSync(path.join(root, 'empty'))
    expect(() =>
      prepareDescribedEval('qa', { data: rows, task: () => 'x', scorers: [safety()] }),
    ).toThrow('"empty" (relative to the host\'s root) holds no recorded responses')
  })

  it('a hook that is not a function is a scorer shape error', () => {
    expect(() => validateScorer({ name: 'odd', score: () => true, prepare: 'yes' })).toThrow(
      'scorer "odd": expected "prepare" to be a function, received "yes"',
    )
  })
})
