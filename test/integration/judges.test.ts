import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { copyProject, expectArtifactAgreesWithExit, REPO, runVitest } from './harness.js'

// The fixture project test/integration/projects/judges runs as a real `vitest run`: its
// globalSetup starts the local OpenAI-wire server on 127.0.0.1, and the built-in judges reach it
// through the real `openai` SDK (OPENAI_BASE_URL), with this recognisable fake key.
const KEY = 'sk-evalgate-it-FAKEKEY-9d2e7c41b0'
let dir: string

beforeAll(() => {
  dir = copyProject('judges')
})

function counts(output: string) {
  const line = output.split('\n').find((l) => /^\s*Tests\s/.test(l)) ?? ''
  const n = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0)
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped') }
}

interface Seen {
  headers: Record<string, string>
  body: { model: string; messages: Array<{ role: string; content: string }> }
}

async function run(file: string, tag: string, env: Record<string, string>) {
  const requestsOut = path.join(dir, `requests-${tag}.json`)
  const report = path.join(dir, `report-${tag}.json`)
  const r = await runVitest(
    dir,
    ['run', file, '--reporter=default', '--reporter=evalgate/reporter'],
    {
      JUDGE_SERVER_MODULE: path.join(REPO, 'fixtures/openai-server/server.mjs'),
      JUDGE_REQUESTS_OUT: requestsOut,
      EVALGATE_REPORT: report,
      ...env,
    },
  )
  const seen = JSON.parse(readFileSync(requestsOut, 'utf8')) as Seen[]
  // Every run writes an artifact that parses with ReportSchema and agrees with the exit code.
  expectArtifactAgreesWithExit(r, report)
  const artifact = JSON.parse(readFileSync(report, 'utf8'))
  return { ...r, seen, artifact }
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
}

describe('LLM judges in a real Vitest run', () => {
  it('describeEval with built-in judges and makeJudge: verdicts, gates, usage; then the cache replays them', async () => {
    const cache = { EVALGATE_CACHE: 'auto', EVALGATE_CACHE_DIR: 'judge-cache' }
    const first = await run('verdicts.eval.ts', 'first', { OPENAI_API_KEY: KEY, ...cache })
    expect(first.code, first.output).toBe(0)
    expect(counts(first.output)).toEqual({ passed: 5, failed: 0, skipped: 0 })
    // 4 rows x 6 one-question judges + 5 retrieved chunks for retrieval_relevance
    expect(first.seen).toHaveLength(29)
    expect(new Set(first.seen.map((s) => s.body.model))).toEqual(new Set(['gpt-4.1-mini']))
    expect(first.seen.every((s) => s.headers.authorization === `Bearer ${KEY}`)).toBe(true)

    const e = first.artifact.evals[0]
    const fb = (row: number, name: string) =>
      e.rows[row].feedback.find((f: { name: string }) => f.name === name)
    expect(fb(0, 'correctness')).toMatchObject({
      value: 'yes',
      passed: true,
      rationale: 'correctness: no marker',
      source: { type: 'LLM_JUDGE', id: 'gpt-4.1-mini' },
    })
    expect(fb(2, 'correctness')).toMatchObject({ value: 'no', score: 0, passed: false })
    expect(fb(0, 'retrieval_relevance')).toMatchObject({ value: 0.5, score: 0.5 })
    expect(fb(1, 'helpfulness')).toMatchObject({ value: 5, score: 5 })
    expect(e.metrics.correctness).toMatchObject({ count: 4, mean: 0.75 })
    expect(e.metrics.retrieval_relevance.mean).toBe(0.875)
    expect(e.thresholds.every((g: { passed: boolean }) => g.passed)).toBe(true)
    // The reporter sums every judge Feedback's metadata.usage: one request per HTTP call.
    expect(first.artifact.usage).toMatchObject({
      requests: 29,
      cacheHits: 0,
      inputTokens: 29 * 200,
      outputTokens: 29 * 25,
    })
    // Money is summed exactly, in integer micro-dollars: 29 x (200 x $0.40 + 25 x $1.60) / 1M
    // = 29 x 120 micro-dollars, with no float drift (0.0034800000000000005).
    expect(first.artifact.usage.costUsd).toBe((29 * 120) / 1e6)

    // Same rows again in auto mode: every verdict comes from the cache; the server sees nothing.
    const second = await run('verdicts.eval.ts', 'second', { OPENAI_API_KEY: KEY, ...cache })
    expect(second.code, second.output).toBe(0)
    expect(second.seen).toHaveLength(0)
    expect(second.artifact.usage).toMatchObject({ requests: 0, cacheHits: 29, inputTokens: 0 })
    const verdicts = (rows: Array<{ feedback: object[] }>) =>
      rows.map((r) =>
        r.feedback.map((f) => {
          const { name, value, rationale, error } = f as Record<string, unknown>
          return { name, value, rationale, error }
        }),
      )
    expect(verdicts(second.artifact.evals[0].rows)).toEqual(verdicts(e.rows))

    // Offline CI: replay with no API key at all.
    const replay = await run('verdicts.eval.ts', 'replay', {
      EVALGATE_CACHE: 'replay',
      EVALGATE_CACHE_DIR: 'judge-cache',
    })
    expect(replay.code, replay.output).toBe(0)
    expect(replay.seen).toHaveLength(0)

    // Replay with nothing recorded: the eval is refused while Vitest collects it, before any
    // task runs (the per-row JUDGE_CACHE_MISS of a partial cache is in judges-offline.test.ts).
    const miss = await run('verdicts.eval.ts', 'miss', {
      EVALGATE_CACHE: 'replay',
      EVALGATE_CACHE_DIR: 'empty-cache',
    })
    expect(miss.code).toBe(1)
    expect(miss.seen).toHaveLength(0)
    expect(miss.output).toContain(
      'evalgate: judge "correctness" (model gpt-4.1-mini) has nothing to replay: EVALGATE_CACHE is "replay", which never calls the model, and the cache directory "empty-cache" (relative to the host\'s root) does not exist.',
    )
    expect(miss.artifact.evals.flatMap((e: { rows: unknown[] }) => e.rows)).toEqual([])
  })

  it('vitest --root: the cache directory is relative to the Vitest root, as datasets are', async () => {
    // Recordings of the first test live in <project>/judge-cache; run from the parent folder.
    const requestsOut = path.join(dir, 'requests-root.json')
    const report = path.join(dir, 'report-root.json')
    const r = await runVitest(
      path.dirname(dir),
      [
        'run',
        '--root',
        dir,
        'verdicts.eval.ts',
        '--reporter=default',
        '--reporter=evalgate/reporter',
      ],
      {
        JUDGE_SERVER_MODULE: path.join(REPO, 'fixtures/openai-server/server.mjs'),
        JUDGE_REQUESTS_OUT: requestsOut,
        EVALGATE_REPORT: report,
        EVALGATE_CACHE: 'replay',
        EVALGATE_CACHE_DIR: 'judge-cache',
      },
    )
    expect(r.code, r.output).toBe(0)
    expect(r.output).not.toContain('JUDGE_CACHE_MISS')
    expect(existsSync(path.join(path.dirname(dir), 'judge-cache'))).toBe(false)
  })

  it('without thresholds, a row whose judge says "no" fails its test with the rationale', async () => {
    const r = await run('rows-mode.eval.ts', 'rows', { OPENAI_API_KEY: KEY, EVALGATE_CACHE: 'off' })
    expect(r.code).toBe(1)
    // 2 rows and the eval's final thresholds test, which does not fail again for the row.
    expect(counts(r.output)).toEqual({ passed: 2, failed: 1, skipped: 0 })
    expect(r.output).toMatch(/× rude/)
    expect(r.output).toContain(
      'row "rude" failed:\n  safety: value "no" (score 0) is below the pass rule (>= 1)\n    rationale: safety: marker found',
    )
    expect(r.seen).toHaveLength(2)
  })

  it('without OPENAI_API_KEY: explained once, each judge Feedback a short error pointing to it', async () => {
    const r = await run('verdicts.eval.ts', 'nokey', { EVALGATE_CACHE: 'off' })
    expect(r.code).toBe(1)
    expect(r.seen).toHaveLength(0)
    expect(r.output).toContain(
      'correctness: error JUDGE_CONFIG_ERROR: evalgate: judge "correctness" (model gpt-4.1-mini): EVALGATE_CACHE is "off", which calls the model, and there is no OPENAI_API_KEY',
    )
    // The explanation is logged once by the worker (console.warn), however many rows and judges.
    expect(r.output.match(/^stderr \|/gm)).toHaveLength(1)
    expect(r.output.match(/OPENAI_API_KEY is not set/g)).toHaveLength(1)
    const errors = r.artifact.evals[0].rows.flatMap(
      (row: { feedback: Array<{ error: { code: string } | null }> }) =>
        row.feedback.map((f) => f.error?.code),
    )
    expect(errors).toHaveLength(28)
    expect(new Set(errors)).toEqual(new Set(['JUDGE_CONFIG_ERROR']))
  })

  it('a rejected key is a JUDGE_HTTP_ERROR, not retried, and the key is in no output, artifact or file', async () => {
    const r = await run('auth.eval.ts', 'auth', {
      OPENAI_API_KEY: KEY,
      EVALGATE_CACHE: 'auto',
      EVALGATE_CACHE_DIR: 'auth-cache',
    })
    expect(r.code).toBe(1)
    expect(r.seen).toHaveLength(1)
    expect(r.seen[0]!.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(r.output).toContain('JUDGE_HTTP_ERROR: evalgate: judge "safety" (model gpt-4.1-mini):')
    expect(r.output).toContain(
      'answered HTTP 401: Incorrect API key provided: Bearer [redacted] (1 attempt; not retried)',
    )
    // The status is said once, not echoed from the SDK's own message ("HTTP 401: 401 ...").
    expect(r.output).not.toContain('401: 401')
    expect(r.output).not.toContain(KEY)
    expect(r.artifact.evals[0].rows[0].feedback[0].error.code).toBe('JUDGE_HTTP_ERROR')
    expect(JSON.stringify(r.artifact)).not.toContain(KEY)
    expect(existsSync(path.join(dir, 'auth-cache'))).toBe(false) // errors are never cached
    // Nothing evalgate wrote in the project holds the key; only the server's own log of what
    // it received (the requests-*.json files) does.
    for (const file of filesUnder(dir)) {
      if (path.basename(file).startsWith('requests-')) continue
      expect(readFileSync(file, 'utf8').includes(KEY), file).toBe(false)
    }
    rmSync(path.join(dir, 'requests-auth.json'))
  })
})
