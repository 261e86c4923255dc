import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { EvalReport, Report } from '../../src/core/report-schema.js'
import {
  copyProject,
  expectArtifactAgreesWithExit,
  REPO,
  type RunResult,
  readVitestJson,
  runVitest,
} from './harness.js'

// Issue 11 in real Vitest runs of the `trials` fixture project: rows run k times and the
// artifact holds every trial; metrics carry stderr, a confidence interval and flaky counts;
// gates with `confidence` pass and fail with the right exit code, showing their interval; a row
// test in unit-test mode decides over its trials (`trialPassRate`); and a judge asked once per
// trial replays every trial offline, sending no request.

const ARTIFACT = 'out/report.json'
const KEY = 'sk-evalgate-it-trials-FAKE-51c2'
let dir: string

beforeAll(() => {
  dir = copyProject('trials')
})

interface Run extends RunResult {
  report: Report
  /** Requests the local OpenAI-wire server received during the run. */
  seen: Array<{ body: { messages: Array<{ content: string }> } }>
}

async function run(files: readonly string[], tag: string, env: Record<string, string> = {}) {
  const requestsOut = path.join(dir, `requests-${tag}.json`)
  const r = await runVitest(dir, ['run', ...files], {
    JUDGE_SERVER_MODULE: path.join(REPO, 'fixtures/openai-server/server.mjs'),
    JUDGE_REQUESTS_OUT: requestsOut,
    ...env,
  })
  // Every run writes an artifact that parses with ReportSchema and agrees with the exit code.
  const report = expectArtifactAgreesWithExit(r, path.join(dir, ARTIFACT))
  const seen = JSON.parse(readFileSync(requestsOut, 'utf8')) as Run['seen']
  return { ...r, report, seen } satisfies Run
}

function evalNamed(r: Run, name: string): EvalReport {
  const e = r.report.evals.find((x) => x.name === name)
  expect(e, `eval "${name}" in the artifact\n${r.output}`).toBeDefined()
  return e!
}

/** The evalgate reporter's table of one eval: from its heading to the next blank line. */
function tableOf(r: Run, name: string): string[] {
  const lines = r.stdout.split('\n')
  const start = lines.findIndex((l) => /^(PASS|FAIL|SKIP|PARTIAL) {2}/.test(l) && l.includes(name))
  expect(start, `the table of "${name}"\n${r.output}`).toBeGreaterThanOrEqual(0)
  const end = lines.indexOf('', start)
  return lines.slice(start, end === -1 ? undefined : end)
}

describe('trials and statistics in a real Vitest run', () => {
  it('confidence gates that the data prove pass (exit 0); the artifact holds every trial and the statistics', async () => {
    const r = await run(['evals/confidence-pass.eval.ts'], 'pass')
    expect(r.code, r.output).toBe(0)
    const e = evalNamed(r, 'confident')
    expect(e.status).toBe('passed')
    expect(e.trials).toBe(3)
    // One row entry per (row, trial), in row then trial order.
    expect(e.rows).toHaveLength(60)
    expect(e.rows.slice(0, 4).map((row) => [row.index, row.trial, row.id])).toEqual([
      [0, 0, 'r0'],
      [0, 1, 'r0'],
      [0, 2, 'r0'],
      [1, 0, 'r1'],
    ])
    // r1 answers "yyn": its third trial failed.
    expect(e.rows.filter((row) => row.index === 1).map((row) => row.outputs)).toEqual([
      'y',
      'y',
      'n',
    ])
    const ok = e.metrics.ok!
    expect(ok).toMatchObject({ count: 60, mean: 0.8, flaky: 12, 'pass@3': 1, 'pass^3': 0.4 })
    expect(ok.stderr).toBeGreaterThan(0)
    expect(ok.ci).toMatchObject({ level: 0.95, method: 't' })
    expect(ok.ci!.low).toBeLessThan(0.8)
    expect(ok.ci!.high).toBeGreaterThan(0.8)
    const mean = e.thresholds.find((g) => g.key === 'ok/mean')!
    expect(mean).toMatchObject({ min: 0.6, confidence: 0.95, actual: 0.8, passed: true })
    expect(mean.bound).toBe(ok.ci!.low)
    expect(mean.reason).toMatch(/^95% CI \[0\.\d+, 0\.\d+\] \(t, n = 60 in 20 rows\)$/)
    expect(e.thresholds.find((g) => g.key === 'ok/passRate')).toMatchObject({
      require: 'plausible',
      passed: true,
    })

    // The terminal: the interval beside the mean, flaky counts, the gated pass@3 and pass^3,
    // and each confidence gate with the bound it compared, its interval and n, within 80 columns.
    const table = tableOf(r, 'confident')
    for (const line of table) expect(line.length, line).toBeLessThanOrEqual(80)
    const text = table.join('\n')
    expect(table[0]).toBe(
      'PASS  confident  evals/confidence-pass.eval.ts  20 rows × 3 trials, 0 errored',
    )
    expect(text).toMatch(/^ {2}metric +count errors mean +95% CI .* passRate flaky/m)
    expect(text).toMatch(/^ {2}ok +60 +0 +0\.8 \[0\.\d+, 0\.\d+\] .* 0\.8 +12/m)
    expect(text).toMatch(/pass@3 pass\^3/)
    expect(text).toMatch(
      /^ {2}ok\/mean +>= 0\.6 \(95%\) +0\.8 {2}PASS\n {4}lower bound 0\.\d+ >= min 0\.6 \(95% CI \[0\.\d+, 0\.\d+\] \(t, n = 60 in 20 rows\)\)$/m,
    )
    expect(text).toMatch(/^ {2}ok\/passRate +>= 0\.85 \(95%, plausible\) +0\.8 {2}PASS$/m)
    expect(text).toMatch(/^ {4}upper bound 0\.\d+ >= min 0\.85 \(95% CI/m)
    expect(text).toContain('  flaky rows (12): trials that disagree')
    expect(text).toContain('  ~ row "r1", ok: passed 2 of 3 trials (✓✓✗)')
    expect(text).toContain('  ... and 2 more (see the JSON artifact)')
  })

  it('a confidence gate the data cannot prove fails the run (exit 1), showing the interval, the bound and n', async () => {
    const r = await run(['evals/confidence-fail.eval.ts'], 'fail')
    expect(r.code, r.output).toBe(1)
    const e = evalNamed(r, 'unproven')
    expect(e.status).toBe('failed')
    const [proven, point] = e.thresholds
    // The point estimate clears 0.78; the lower end of its interval does not.
    expect(point).toMatchObject({ key: 'ok/passRate', actual: 0.8, passed: true })
    expect(proven).toMatchObject({ key: 'ok/mean', actual: 0.8, passed: false })
    expect(proven!.bound).toBeLessThan(0.78)
    expect(e.failures).toEqual([expect.stringMatching(/^ok\/mean: lower bound 0\.\d+ < min 0\.78/)])
    // The thresholds test's failure message: the gate, its level, and why.
    expect(r.output).toContain('unproven > thresholds')
    expect(r.output).toMatch(
      /ok\/mean +>= 0\.78 \(95%\) +0\.8 +lower bound 0\.\d+ < min 0\.78 \(95% CI \[0\.\d+, 0\.\d+\] \(t, n = 60 in 20 rows\)\)/,
    )
    const text = tableOf(r, 'unproven').join('\n')
    expect(text).toMatch(/^ {2}ok\/mean +>= 0\.78 \(95%\) +0\.8 {2}FAIL$/m)
    expect(text).toMatch(/^ {4}lower bound 0\.\d+ < min 0\.78 \(95% CI/m)
  })

  it('unit-test mode decides a row over its trials with trialPassRate; evalTest takes trials too', async () => {
    const r = await run(['evals/unit-mode.eval.ts'], 'unit')
    expect(r.code, r.output).toBe(1)
    // r0 passes 4 of 4, r1 3 of 4 (= 0.75); r2 passes only 2 of 4.
    const tests = readVitestJson(path.join(dir, 'out/vitest.json')).testResults.flatMap(
      (f) => f.assertionResults,
    )
    expect(Object.fromEntries(tests.map((t) => [t.fullName, t.status]))).toEqual({
      'three of four r0': 'passed',
      'three of four r1': 'passed',
      'three of four r2': 'failed',
      'three of four thresholds': 'passed',
      'single case, 2 of 3 trials': 'passed',
      'single case, every trial': 'failed',
    })
    expect(r.output).toContain(
      'row "r2" failed:\n  ok passed 2 of 4 trials, below trialPassRate 0.75\n    e.g. ok: value false (score 0) is below the pass rule (>= 1)',
    )
    expect(r.output).toContain('ok passed 2 of 3 trials, below trialPassRate 1')
    const e = evalNamed(r, 'three of four')
    expect(e.trials).toBe(4)
    expect(e.rows).toHaveLength(12)
    expect(e.metrics.ok).toMatchObject({ count: 12, flaky: 2 })
    const single = evalNamed(r, 'single case, 2 of 3 trials')
    expect(single.trials).toBe(3)
    expect(single.rows.map((row) => [row.trial, row.outputs])).toEqual([
      [0, 'y'],
      [1, 'n'],
      [2, 'y'],
    ])
    expect(evalNamed(r, 'single case, every trial').status).toBe('failed')
  })

  it('a judge asked once per trial: recorded once, then replayed offline with no request; a trial never recorded misses', async () => {
    const cache = { EVALGATE_CACHE_DIR: 'judge-cache' }
    const first = await run(['evals/judged.eval.ts'], 'record', {
      OPENAI_API_KEY: KEY,
      EVALGATE_CACHE: 'auto',
      ...cache,
    })
    expect(first.code, first.output).toBe(0)
    // 3 rows x 3 trials: every trial its own request (the same prompt, a new sample), and its
    // own cache entry.
    expect(first.seen).toHaveLength(9)
    const entries = readdirSync(path.join(dir, 'judge-cache'), { recursive: true }).filter((f) =>
      String(f).endsWith('.json'),
    )
    expect(entries).toHaveLength(9)
    const recorded = evalNamed(first, 'judged trials')
    expect(recorded.rows).toHaveLength(9)
    const verdicts = (e: EvalReport) =>
      e.rows.map((row) => [
        row.index,
        row.trial,
        row.feedback[0]!.value,
        row.feedback[0]!.rationale,
      ])
    // The judge said "no" to every third request: trials disagree, and the artifact says so.
    expect(recorded.rows.filter((row) => row.feedback[0]!.value === 'no')).toHaveLength(3)
    expect(first.report.usage).toMatchObject({ requests: 9, cacheHits: 0 })

    // Offline CI: no key at all, replay only. Every trial gets its own recorded verdict.
    const replay = await run(['evals/judged.eval.ts'], 'replay', {
      EVALGATE_CACHE: 'replay',
      ...cache,
    })
    expect(replay.code, replay.output).toBe(0)
    expect(replay.seen).toHaveLength(0)
    expect(replay.report.usage).toMatchObject({ requests: 0, cacheHits: 9 })
    expect(verdicts(evalNamed(replay, 'judged trials'))).toEqual(verdicts(recorded))
    expect(evalNamed(replay, 'judged trials').metrics.safety).toEqual(recorded.metrics.safety)

    // A fourth trial was never recorded: it misses (saying so), the three others replay.
    const more = await run(['evals/judged.eval.ts'], 'more', {
      EVALGATE_CACHE: 'replay',
      TRIALS: '4',
      ...cache,
    })
    expect(more.code).toBe(1)
    expect(more.seen).toHaveLength(0)
    const e = evalNamed(more, 'judged trials')
    const errors = e.rows.filter((row) => row.feedback[0]!.error !== null)
    expect(errors.map((row) => row.trial)).toEqual([3, 3, 3])
    expect(errors[0]!.feedback[0]!.error!.code).toBe('JUDGE_CACHE_MISS')
    expect(errors[0]!.feedback[0]!.error!.message).toContain(
      '(trial 3: each trial is recorded on its own)',
    )
    expect(more.report.usage).toMatchObject({ requests: 0, cacheHits: 9 })
  })
})
