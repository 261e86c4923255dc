// evalgate/jest and evalgate/jest-reporter in real Jest processes: Jest 30 with ts-jest and
// Jest 29 with @swc/jest (CommonJS, TypeScript evals), and both majors on an ESM project.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { copyProject, expectArtifactAgreesWithExit } from './harness.js'
import {
  type JestMajor,
  jestCounts,
  jestVersion,
  linkEvalgate,
  readJestJson,
  runJest,
} from './jest-harness.js'

const HOSTS: Array<{ major: JestMajor; transform: 'ts-jest' | 'swc' }> = [
  { major: 30, transform: 'ts-jest' },
  { major: 29, transform: 'swc' },
]

function ranRows(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').sort() : []
}

describe.each(HOSTS)(
  'Jest $major, TypeScript through $transform (CommonJS)',
  ({ major, transform }) => {
    let dir: string
    let n = 0
    beforeAll(() => {
      dir = copyProject('jest-qa')
    })
    /** Runs Jest on the fixture; each run gets its own artifact and ran-rows file. */
    async function jest(args: string[], env: Record<string, string> = {}) {
      const id = `${++n}`
      const report = path.join(dir, `report-${id}.json`)
      const ran = path.join(dir, `ran-${id}.txt`)
      const r = await runJest(
        dir,
        args,
        { EVALGATE_REPORT: report, RAN_FILE: ran, FIXTURE_TRANSFORM: transform, ...env },
        major,
      )
      return { r, report, ran: () => ranRows(ran) }
    }

    it('a passing eval exits 0: one test per row plus thresholds, and a passed artifact', async () => {
      const { r, report, ran } = await jest(['evals/pass.eval.ts'])
      expect(r.code, r.output).toBe(0)
      expect(jestCounts(r.output)).toEqual({ passed: 11, failed: 0, skipped: 0, todo: 0 })
      const artifact = expectArtifactAgreesWithExit(r, report)
      expect(artifact.tool).toMatchObject({ host: 'jest', hostVersion: jestVersion(major) })
      expect(artifact.partial).toBe(false)
      expect(artifact.evals.map((e) => [e.name, e.file, e.status, e.rows.length])).toEqual([
        ['arithmetic', 'evals/pass.eval.ts', 'passed', 10],
      ])
      expect(ran()).toHaveLength(10)
      // The reporter prints the eval's table.
      expect(r.output).toMatch(/PASS {2}arithmetic {2}evals\/pass\.eval\.ts {2}10 rows, 0 errored/)
    })

    it('a failing gate exits 1: only the thresholds test fails, with the gate table and the rows', async () => {
      const { r, report } = await jest(['evals/fail-gates.eval.ts'])
      expect(r.code).toBe(1)
      expect(jestCounts(r.output)).toEqual({ passed: 10, failed: 1, skipped: 0, todo: 0 })
      expect(r.output).toContain('● flaky arithmetic › thresholds')
      expect(r.output).toMatch(
        /EvalThresholdError: eval "flaky arithmetic" failed:\n\s*gate\s+target\s+actual\s+reason\n[\s-]+\n\s*exact_match\/mean\s+>= 0\.9\s+0\.6\s+0\.6 < min 0\.9/,
      )
      expect(r.output).toMatch(/failing and errored rows \(4\):\n\s+row "q0", exact_match: false/)
      // The failure points at the user's describeEval call, not into evalgate.
      expect(r.output).toMatch(/at Object\.<anonymous> \(evals\/fail-gates\.eval\.ts:10:\d+\)/)
      const artifact = expectArtifactAgreesWithExit(r, report)
      expect(artifact.evals[0]!.thresholds.map((g) => [g.key, g.passed])).toEqual([
        ['exact_match/mean', false],
        ['exact_match/count', true],
      ])
    })

    it('unit-test mode: a row failing a metric fails its own test with value, threshold and rationale', async () => {
      const { r, report } = await jest(['evals/rows-mode.eval.ts'])
      expect(r.code).toBe(1)
      expect(jestCounts(r.output)).toEqual({ passed: 2, failed: 1, skipped: 0, todo: 0 })
      expect(r.output).toContain('● unit mode › off by three')
      expect(r.output).toMatch(
        /EvalRowError: row "off by three" failed:\n\s+close_enough: value 0\.25 \(score 0\.25\) is below threshold 0\.5\n\s+rationale: off by 3/,
      )
      expect(expectArtifactAgreesWithExit(r, report).evals[0]!.status).toBe('failed')
    })

    it('errors before any row runs fail the file with core’s message; no row runs; the artifact lists them', async () => {
      const { r, report, ran } = await jest([
        'evals/bad-data.eval.ts',
        'evals/bad-threshold.eval.ts',
        'evals/async-source.eval.ts',
      ])
      expect(r.code).toBe(1)
      expect(r.output).toContain(
        'EvalgateError: evalgate: data/bad.jsonl line 3: "inputs" is required',
      )
      expect(r.output).toContain(
        'evalgate: threshold "exact_macth/mean": no metric "exact_macth" (did you mean "exact_match"?); metrics: exact_match, latency_ms',
      )
      expect(r.output).toContain(
        "evalgate: data: the data function returned a promise, but this host defines its tests synchronously (Jest's describe callbacks cannot await). Load the rows first, e.g. `const rows = await loadDataset(source)`",
      )
      // Each points at the eval's call site in the user's file.
      expect(r.output).toMatch(/at Object\.<anonymous> \(evals\/bad-data\.eval\.ts:5:\d+\)/)
      expect(ran()).toEqual([])
      const artifact = expectArtifactAgreesWithExit(r, report)
      expect(artifact.evals).toEqual([])
      expect(artifact.errors.map((e) => e.file)).toEqual([
        'evals/async-source.eval.ts',
        'evals/bad-data.eval.ts',
        'evals/bad-threshold.eval.ts',
      ])
      expect(artifact.errors[1]!.message).toBe(
        'evalgate: data/bad.jsonl line 3: "inputs" is required',
      )
    })

    it('-t selects rows: only their tasks run, and the artifact says the run was partial', async () => {
      const { r, report, ran } = await jest(['evals/pass.eval.ts', '-t', 'q[37]$'])
      expect(r.code, r.output).toBe(0)
      expect(jestCounts(r.output)).toEqual({ passed: 2, failed: 0, skipped: 9, todo: 0 })
      // Rows Jest skips never start: an LLM call costs money.
      expect(ran()).toEqual(['q3', 'q7'])
      const artifact = expectArtifactAgreesWithExit(r, report)
      expect(artifact.partial).toBe(true)
      expect(artifact.evals.map((e) => [e.name, e.status, e.rows.map((row) => row.id)])).toEqual([
        ['arithmetic', 'partial', ['q3', 'q7']],
      ])
      expect(artifact.evals[0]!.thresholds.map((g) => [g.key, g.passed, g.reason])).toEqual([
        ['exact_match/mean', null, 'not evaluated (partial run: 2 of 10 rows)'],
        ['latency_ms/p90', null, 'not evaluated (partial run: 2 of 10 rows)'],
      ])
    })

    it('.only, .skip, .todo and nesting: only the rows Jest runs start', async () => {
      const { r, report, ran } = await jest(['evals/focus.eval.ts'])
      expect(r.code, r.output).toBe(0)
      expect(jestCounts(r.output)).toEqual({ passed: 4, failed: 0, skipped: 12, todo: 1 })
      expect(ran()).toEqual(['focused-a', 'focused-b', 'focused-c'])
      const artifact = expectArtifactAgreesWithExit(r, report)
      expect(artifact.evals.map((e) => [e.name, e.status, e.rows.length])).toEqual([
        ['focused', 'passed', 3],
        ['nested', 'skipped', 0],
        ['skipped', 'skipped', 0],
        ['unfocused', 'skipped', 0],
      ])
    })

    it('without a trustworthy jest-circus state, rows run one by one as their tests start, and only those', async () => {
      const { r, report, ran } = await jest(['evals/fallback.eval.ts', '-t', 'f[024]$'])
      expect(r.code, r.output).toBe(0)
      expect(jestCounts(r.output)).toEqual({ passed: 3, failed: 0, skipped: 4, todo: 0 })
      expect(ran()).toEqual(['f0 peak=1', 'f2 peak=1', 'f4 peak=1'])
      const artifact = expectArtifactAgreesWithExit(r, report)
      expect(artifact.evals.map((e) => [e.name, e.status, e.rows.map((row) => row.id)])).toEqual([
        ['fallback', 'partial', ['f0', 'f2', 'f4']],
      ])
    })

    it("rows run concurrently under the eval's own limit, whatever Jest runs one test at a time", async () => {
      const timing = path.join(dir, `timing-${major}.json`)
      const { r } = await jest(['evals/concurrency.eval.ts'], { TIMING_OUT: timing })
      expect(r.code, r.output).toBe(0)
      const t = JSON.parse(readFileSync(timing, 'utf8')) as { peak: number; elapsedMs: number }
      expect(t.peak).toBe(20)
      // 200 rows x 50 ms at 20 in flight = 10 waves of 50 ms; one at a time would take 10 s. The
      // bound leaves room for a loaded machine (the peak above is the exact check).
      expect(t.elapsedMs).toBeLessThanOrEqual(5 * 10 * 50)
      expect(t.elapsedMs).toBeGreaterThanOrEqual(10 * 50 * 0.95)
    })

    it('matchers from setupFilesAfterEnv, and .not: failures name scorer, value, threshold and rationale', async () => {
      const json = path.join(dir, `matchers-${major}.json`)
      const { r, report } = await jest(['evals/matchers.eval.ts', '--json', `--outputFile=${json}`])
      expect(r.code).toBe(1)
      const tests = readJestJson(json).testResults[0]!.assertionResults
      expect(tests.map((t) => [t.title, t.status])).toEqual([
        ['pass: yes/no scorer', 'passed'],
        ['pass: .not on a failing scorer', 'passed'],
        ['pass: threshold option, and toPassScorers', 'passed'],
        ['fail: yes/no scorer', 'failed'],
        ['fail: .not on a passing scorer', 'failed'],
        ['fail: scorer error', 'failed'],
      ])
      const failure = (title: string) => tests.find((t) => t.title === title)!.failureMessages[0]
      expect(failure('fail: yes/no scorer')).toContain(
        'expect(received).toPassScorer(scorer, options)',
      )
      expect(failure('fail: yes/no scorer')).toMatch(
        /capital_correct: FAIL\n\s+value:\s+"no"\n\s+score:\s+0\n\s+threshold: 1 [^\n]*\n\s+rationale: expected Paris/,
      )
      expect(failure('fail: .not on a passing scorer')).toContain(
        'expect(received).not.toPassScorer(scorer, options)',
      )
      expect(failure('fail: scorer error')).toContain('scorer exploded')
      // No eval in this run: the artifact is still written, with no evals.
      expect(expectArtifactAgreesWithExit(r, report).evals).toEqual([])
    })

    it('evalTest scores one case and forms a one-row eval; stored outputs re-score from csv', async () => {
      const { r, report } = await jest(['evals/single.eval.ts', 'evals/rescore.eval.ts'])
      expect(r.code).toBe(1)
      expect(r.output).toMatch(
        /row "rude reply" failed:\n\s+polite: value false \(score 0\) is below the pass rule \(>= 1\)\n\s+rationale: looks for please\/thank/,
      )
      const artifact = expectArtifactAgreesWithExit(r, report)
      expect(artifact.evals.map((e) => [e.name, e.file, e.status, e.rows.length])).toEqual([
        ['rescore csv', 'evals/rescore.eval.ts', 'passed', 2],
        ['rescore function', 'evals/rescore.eval.ts', 'passed', 2],
        ['polite reply', 'evals/single.eval.ts', 'passed', 1],
        ['rude reply', 'evals/single.eval.ts', 'failed', 1],
      ])
    })

    it('times out a hanging row; maxErrors decides, and a tolerated error is printed, not a plain pass', async () => {
      const strict = await jest(['evals/timeout.eval.ts'])
      expect(strict.r.code).toBe(1)
      expect(strict.r.output).toMatch(
        /row "hangs" errored:\n\s+TASK_TIMEOUT: evalgate: the task did not finish within the row timeout of 300 ms/,
      )
      const tolerant = await jest(['evals/timeout.eval.ts'], { FIXTURE_MAX_ERRORS: '1' })
      expect(tolerant.r.code, tolerant.r.output).toBe(0)
      expect(tolerant.r.output).toContain(
        'timeouts > hangs: errored (tolerated by maxErrors): TASK_TIMEOUT: evalgate: the task did not finish within the row timeout of 300 ms',
      )
      expect(expectArtifactAgreesWithExit(tolerant.r, tolerant.report).evals[0]!.erroredRows).toBe(
        1,
      )
    })
  },
)

describe.each([30, 29] as const)('Jest %i on an ESM project (native ESM)', (major) => {
  it('runs evals, an async source loaded first, evalTest and the @jest/globals matchers', async () => {
    const dir = copyProject('jest-esm')
    linkEvalgate(dir)
    const report = path.join(dir, 'report.json')
    const r = await runJest(
      dir,
      [],
      { EVALGATE_REPORT: report, NODE_OPTIONS: '--experimental-vm-modules --no-warnings' },
      major,
    )
    expect(r.code, r.output).toBe(1)
    expect(jestCounts(r.output)).toEqual({ passed: 18, failed: 1, skipped: 0, todo: 0 })
    expect(r.output).toContain('● esm failing gate › thresholds')
    const artifact = expectArtifactAgreesWithExit(r, report)
    expect(artifact.tool.hostVersion).toBe(jestVersion(major))
    expect(artifact.evals.map((e) => [e.name, e.status, e.rows.length])).toEqual([
      ['esm failing gate', 'failed', 2],
      ['esm arithmetic', 'passed', 10],
      ['esm async source', 'passed', 2],
      ['esm single', 'passed', 1],
    ])
  })
})
