// Judges with no OpenAI key and no client answer from the cache only. When the cache holds no
// recorded response at all, every row would be a JUDGE_CACHE_MISS: the eval fails while the host
// collects it, before the application under test is called once. A partial cache still runs:
// the rows it has replay. Both hosts, as real processes on test/integration/projects/judges-offline.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type OpenAIServer,
  startOpenAIServer,
  verdict,
} from '../../fixtures/openai-server/server.mjs'
import type { ScorerContext } from '../../src/core/scorer.js'
import { configureJudges, safety } from '../../src/judges/index.js'
import { copyProject, expectArtifactAgreesWithExit, runVitest } from './harness.js'
import { jestCounts, runJest } from './jest-harness.js'

let dir: string
let server: OpenAIServer

const ROWS = {
  refund: 'How do I get a refund?',
  shipping: 'Is shipping free?',
}

/** What the fixture's task (bot.ts) answers to a question. */
const answerTo = (question: string) =>
  `Thanks for asking "${question}": our help centre has the steps.`

beforeAll(async () => {
  dir = copyProject('judges-offline')
  // An empty cache directory: nothing recorded, nothing to replay.
  mkdirSync(path.join(dir, 'empty-cache'))
  // A partial cache: safety's verdicts for two of the four rows, recorded from the local
  // OpenAI-wire server through the real judge (the same prompts and keys the fixture computes).
  server = await startOpenAIServer({ respond: () => verdict('yes', 'recorded: safe') })
  configureJudges({
    client: new OpenAI({ apiKey: 'local', baseURL: server.baseURL }),
    cache: { mode: 'record', dir: path.join(dir, 'partial-cache') },
    maxRetries: 0,
  })
  const judge = safety()
  for (const [id, question] of Object.entries(ROWS)) {
    const ctx: ScorerContext = {
      inputs: { question },
      outputs: answerTo(question),
      expectations: {},
      trace: undefined,
      metadata: {},
      trial: 0,
    }
    expect(await judge.score(ctx), id).toMatchObject({ value: 'yes' })
  }
  configureJudges()
})

afterAll(async () => {
  await server?.close()
})

function ranRows(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').sort() : []
}

const EARLY = 'has nothing to answer from'

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1
}

describe.each(['vitest', 'jest'] as const)('%s, no OPENAI_API_KEY and no client', (host) => {
  let n = 0
  /** Runs the host on the fixture, in its directory or (`fromParent`) with the root given. */
  async function runHost(cacheDir: string, fromParent = false) {
    const id = `${host}-${++n}`
    const report = path.join(dir, `report-${id}.json`)
    const ran = path.join(dir, `ran-${id}.txt`)
    const env = { EVALGATE_CACHE_DIR: cacheDir, EVALGATE_REPORT: report, RAN_FILE: ran }
    const cwd = fromParent ? path.dirname(dir) : dir
    const r =
      host === 'vitest'
        ? await runVitest(
            cwd,
            [
              'run',
              ...(fromParent ? ['--root', dir] : []),
              '--reporter=default',
              '--reporter=evalgate/reporter',
            ],
            env,
          )
        : await runJest(cwd, fromParent ? ['--config', path.join(dir, 'jest.config.cjs')] : [], env)
    return { r, report, ran: () => ranRows(ran) }
  }

  it('an empty cache fails the eval before any task runs, saying once where it looked', async () => {
    const { r, report, ran } = await runHost('empty-cache')
    expect(r.code, r.output).toBe(1)
    expect(ran()).toEqual([])
    // Said once by the host (the file's collection error, at the describeEval call) and once
    // in evalgate's summary of the run's errors: never once per row.
    expect(occurrences(r.output, EARLY), r.output).toBe(2)
    expect(r.output).toMatch(
      /at Object\.<anonymous> \(jest\/offline\.eval\.ts:5:\d+\)|❯ vitest\/offline\.eval\.ts:5:1/,
    )
    expect(occurrences(r.output, `FAIL  ${host}/offline.eval.ts: evalgate: judge "safety"`)).toBe(1)
    expect(r.output).toContain(
      'evalgate: judge "safety" (model gpt-4.1-mini) has nothing to answer from: there is no OPENAI_API_KEY and no client, so judges answer from the judge cache only, and the cache directory "empty-cache" (relative to the host\'s root) holds no recorded responses.',
    )
    expect(r.output).toContain('Set OPENAI_API_KEY')
    // Not one row ran, so no row reported a miss.
    expect(r.output).not.toContain('JUDGE_CACHE_MISS:')
    const artifact = expectArtifactAgreesWithExit(r, report)
    expect(artifact.evals.flatMap((e) => e.rows)).toEqual([])
    expect(artifact.errors.map((e) => [e.file, e.message.slice(0, 60)])).toEqual([
      [`${host}/offline.eval.ts`, 'evalgate: judge "safety" (model gpt-4.1-mini) has nothing to'],
    ])
  })

  it.each([
    ['from the project directory', false],
    ['from its parent, the root given (the cache is looked for under the root)', true],
  ])(
    'a partial cache runs every row: the rows it recorded pass, the others miss (%s)',
    async (_, fromParent) => {
      const { r, report, ran } = await runHost('partial-cache', fromParent)
      expect(r.code, r.output).toBe(1)
      expect(ran()).toEqual(['hours', 'password', 'refund', 'shipping'])
      expect(r.output).not.toContain(EARLY)
      const artifact = expectArtifactAgreesWithExit(r, report)
      const rows = artifact.evals[0]!.rows.map((row) => [
        row.id,
        row.feedback[0]!.value ?? null,
        row.feedback[0]!.error?.code ?? null,
      ])
      expect(rows.sort()).toEqual([
        ['hours', null, 'JUDGE_CACHE_MISS'],
        ['password', null, 'JUDGE_CACHE_MISS'],
        ['refund', 'yes', null],
        ['shipping', 'yes', null],
      ])
      if (host === 'jest') {
        expect(jestCounts(r.output)).toMatchObject({ passed: 3, failed: 2 })
      } else {
        expect(r.output).toMatch(/Tests\s+2 failed \| 3 passed/)
      }
    },
  )

  it('describeEval.skip runs nothing, so an empty cache does not refuse it', async () => {
    const report = path.join(dir, `report-${host}-skipped.json`)
    const ran = path.join(dir, `ran-${host}-skipped.txt`)
    const env = { EVALGATE_CACHE_DIR: 'empty-cache', EVALGATE_REPORT: report, RAN_FILE: ran }
    const r =
      host === 'vitest'
        ? await runVitest(
            dir,
            [
              'run',
              '--config',
              'vitest.skipped.config.mjs',
              '--reporter=default',
              '--reporter=evalgate/reporter',
            ],
            env,
          )
        : await runJest(dir, ['--testMatch', '**/jest-skipped/**/*.eval.ts'], env)
    expect(r.output).not.toContain(EARLY)
    expect(r.code, r.output).toBe(0)
    expect(ranRows(ran)).toEqual([])
    const artifact = expectArtifactAgreesWithExit(r, report)
    expect(artifact.evals.map((e) => [e.name, e.status])).toEqual([['skipped judge', 'skipped']])
  })
})
