import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Report, ReportSchema } from '../../src/core/report-schema.js'
import {
  copyProject,
  expectArtifactAgreesWithExit,
  REPO,
  type RunResult,
  runVitest,
  VITEST_BIN,
} from './harness.js'

const VERSION = (
  JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }
).version
/** The version of the Vitest that runs the fixtures (Vitest 5 under test:compat). */
const VITEST_VERSION = (
  JSON.parse(readFileSync(path.join(path.dirname(VITEST_BIN), 'package.json'), 'utf8')) as {
    version: string
  }
).version

function readReport(file: string): Report {
  return ReportSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
}

/** Timing is the only thing allowed to differ between two runs of the same evals. */
function normalise(report: Report): Report {
  const r = structuredClone(report)
  r.startedAt = '1970-01-01T00:00:00.000Z'
  r.durationMs = 0
  for (const e of r.evals) {
    for (const row of e.rows) {
      if (row.latencyMs !== null) row.latencyMs = 0
      if (row.error?.stack !== undefined) row.error.stack = '<stack>'
      for (const fb of row.feedback) if (fb.error?.stack !== undefined) fb.error.stack = '<stack>'
    }
    const latency = e.metrics['latency_ms']
    if (latency !== undefined) {
      for (const key of Object.keys(latency)) {
        if (!['count', 'errors', 'unscored', 'passRate'].includes(key) && latency[key] !== null) {
          latency[key] = 0
        }
      }
    }
    for (const g of e.thresholds) if (g.key.startsWith('latency_ms/')) g.actual = 0
  }
  return r
}

/** The reporter's block of the terminal output: from the first eval heading to the last line. */
function evalgateBlock(r: RunResult): string[] {
  const lines = r.stdout.split('\n')
  const start = lines.findIndex((l) => /^(PASS|FAIL|SKIP) {2}/.test(l))
  const end = lines.findIndex((l) => l.startsWith('evalgate: report written to'))
  expect(start, r.output).toBeGreaterThanOrEqual(0)
  expect(end, r.output).toBeGreaterThan(start)
  return lines.slice(start, end + 1)
}

let dir: string
let unsharded: RunResult

beforeAll(async () => {
  dir = copyProject('reporter')
  unsharded = await runVitest(dir, ['run'])
})

describe('evalgate reporter in a real Vitest run', () => {
  it('fails the run through the failing gate test, not through the reporter', () => {
    expect(unsharded.code, unsharded.output).toBe(1)
    expect(unsharded.output).toContain('capitals | EU > thresholds')
    // 13 rows and each of the 4 evals' final thresholds test, plus plain.eval.ts's one test.
    expect(unsharded.output).toMatch(/Tests {2}1 failed \| 17 passed \(18\)/)
  })

  it('prints a table per eval (file then name order) with gates, within 80 columns, no colour', () => {
    const block = evalgateBlock(unsharded)
    const text = block.join('\n')
    const headings = block.filter((l) => /^(PASS|FAIL|SKIP) {2}/.test(l))
    expect(headings).toEqual([
      'FAIL  capitals | EU  evals/capitals.eval.ts  4 rows, 0 errored',
      'PASS  parity  evals/errors.eval.ts  4 rows, 1 errored',
      'PASS  greetings  evals/stored.eval.ts  2 rows, 0 errored',
      'PASS  stored answers  evals/stored.eval.ts  3 rows, 0 errored',
    ])
    expect(text).toContain(
      [
        '  metric       count errors mean         95% CI p50 p90 min max passRate',
        '  exact_match      4      0 0.75 [0.301, 0.954]   1   1   0   1     0.75',
      ].join('\n'),
    )
    expect(text).toMatch(/^ {2}latency_ms {7}4 {6}0 +\d+ +\[\d+, \d+\] +\d+ +\d+ +\d+ +\d+ +–$/m)
    expect(text).toContain('  exact_match/mean  >= 0.9     0.75  FAIL  0.75 < min 0.9')
    expect(text).toMatch(/^ {2}latency_ms\/p90 {4}<= 5000 +\d+ {2}PASS$/m)
    expect(text).toContain(
      '  is_even         3      1 0.667 [0.208, 0.939]   1   1   0   1    0.667',
    )
    expect(text).toContain('  polite/mean     0.5..1   0.667  PASS')
    // Under each eval's table, its failing and errored rows: the row that failed the gate, and
    // in a passing eval the failing row and the tolerated scorer error too.
    expect(text).toMatch(
      /^ {2}latency_ms\/p90 {4}<= 5000 +\d+ {2}PASS\n {2}failing and errored rows \(1\):\n {2}✗ row "pt", exact_match: false\n\nPASS {2}parity/m,
    )
    expect(text).toContain(
      [
        '  failing and errored rows (2):',
        '  ✗ row "n1", is_even: false',
        '  ✗ row "n3", is_even: error SCORER_ERROR: three is not allowed',
      ].join('\n'),
    )
    expect(block.at(-1)).toBe('evalgate: report written to out/report.json')
    for (const line of block) expect(line.length, line).toBeLessThanOrEqual(80)
    // NO_COLOR and a pipe instead of a TTY: not one escape code.
    expect(unsharded.stdout).not.toContain('\u001b[')
  })

  it('writes an artifact that parses with ReportSchema and carries every eval, row and gate', () => {
    const report = readReport(path.join(dir, 'out/report.json'))
    expect(report.schemaVersion).toBe(2)
    expect(report.tool).toEqual({
      name: 'evalgate',
      version: VERSION,
      host: 'vitest',
      hostVersion: VITEST_VERSION,
    })
    expect(report.status).toBe('failed')
    // Every row of every eval ran: a whole run, not a partial one.
    expect(report.partial).toBe(false)
    expect(report.durationMs).toBeGreaterThan(0)
    expect(Date.parse(report.startedAt)).toBeLessThanOrEqual(Date.now())
    expect(report.usage).toEqual({
      requests: 0,
      cacheHits: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      judges: {},
    })
    expect(report.evals.map((e) => [e.file, e.name, e.status, e.trials])).toEqual([
      ['evals/capitals.eval.ts', 'capitals | EU', 'failed', 1],
      ['evals/errors.eval.ts', 'parity', 'passed', 1],
      ['evals/stored.eval.ts', 'greetings', 'passed', 1],
      ['evals/stored.eval.ts', 'stored answers', 'passed', 1],
    ])
    const [capitals, parity, , stored] = report.evals
    expect(capitals!.rows.map((r) => [r.index, r.trial, r.id, r.outputs, r.passed])).toEqual([
      [0, 0, 'fr', 'Paris', true],
      [1, 0, 'it', 'Rome', true],
      [2, 0, 'es', 'Madrid', true],
      [3, 0, 'pt', 'unknown', false],
    ])
    expect(capitals!.rows[3]!.feedback[0]).toMatchObject({
      name: 'exact_match',
      value: false,
      score: 0,
      passed: false,
    })
    expect(capitals!.thresholds[0]).toEqual({
      key: 'exact_match/mean',
      min: 0.9,
      actual: 0.75,
      passed: false,
      reason: '0.75 < min 0.9',
    })
    expect(capitals!.failures).toEqual(['exact_match/mean: 0.75 < min 0.9'])
    expect(capitals!.rows.every((r) => typeof r.latencyMs === 'number')).toBe(true)
    expect(parity).toMatchObject({ erroredRows: 1, maxErrors: 1, datasetRows: 4 })
    expect(parity!.rows[2]!.feedback[0]!.error).toMatchObject({
      code: 'SCORER_ERROR',
      message: 'three is not allowed',
    })
    expect(parity!.metrics['is_even']).toMatchObject({
      count: 3,
      errors: 1,
      skipped: 0,
      passRate: 2 / 3,
    })
    expect(stored!.metrics['latency_ms']).toBeUndefined()
    expect(stored!.rows.every((r) => r.latencyMs === null)).toBe(true)
  })

  it('appends a Markdown summary with failing gates first and escaped pipes', () => {
    const md = readFileSync(path.join(dir, 'out/summary.md'), 'utf8')
    expect(md.startsWith('## evalgate: ❌ 1 of 4 evals failed\n')).toBe(true)
    expect(md).toContain('### ❌ FAIL: capitals \\| EU')
    // The gate table has a reason column, and HTML in the cells is escaped (>= as &gt;=).
    expect(md).toContain('| gate | target | actual | result | reason |')
    expect(md).toContain('| exact_match/mean | &gt;= 0.9 | 0.75 | **FAIL** | 0.75 &lt; min 0.9 |')
    expect(md.indexOf('| exact_match/mean | &gt;= 0.9')).toBeLessThan(
      md.indexOf('| latency_ms/p90 |'),
    )
    expect(md).toContain('| is_even | 3 | 1 | 0.667 | [0.208, 0.939] | 1 | 1 | 0 | 1 | 0.667 |')
    // Each eval's failing and errored rows, with the scorer error of the tolerated row.
    expect(md).toContain(
      [
        '**Failing and errored rows (1)**',
        '',
        '| row | metric | value | rationale / error |',
        '| --- | --- | --- | --- |',
        '| "pt" | exact_match | false |  |',
      ].join('\n'),
    )
    expect(md).toContain('| "n3" | is_even | error | SCORER_ERROR: three is not allowed |')
    expect(md).not.toMatch(/[<>]/)
  })

  it('--shard=1/2 and 2/2 as blobs, then --merge-reports, give the unsharded artifact', async () => {
    const env = { FIXTURE_NO_OPTIONS: '1' }
    const shards: Report[] = []
    for (const shard of ['1/2', '2/2']) {
      const n = shard[0]!
      // Each shard also writes its own partial artifact: proof that the shards split the evals.
      const r = await runVitest(
        dir,
        ['run', `--shard=${shard}`, '--reporter=blob', '--reporter=evalgate/reporter'],
        { ...env, EVALGATE_REPORT: `out/shard-${n}.json` },
      )
      shards.push(expectArtifactAgreesWithExit(r, path.join(dir, `out/shard-${n}.json`)))
    }
    const names = shards.map((s) => s.evals.map((e) => e.name))
    expect(names[0]!.length).toBeGreaterThan(0)
    expect(names[1]!.length).toBeGreaterThan(0)
    expect([...names[0]!, ...names[1]!].sort()).toEqual(
      ['capitals | EU', 'greetings', 'parity', 'stored answers'].sort(),
    )

    const summary = path.join(dir, 'out/gh-summary.md')
    const merged = await runVitest(dir, ['--merge-reports', '--reporter=evalgate/reporter'], {
      ...env,
      EVALGATE_REPORT: 'out/merged.json',
      GITHUB_STEP_SUMMARY: summary,
    })
    expect(merged.code, merged.output).toBe(1)
    expectArtifactAgreesWithExit(merged, path.join(dir, 'out/merged.json'))
    expect(evalgateBlock(merged).join('\n')).toContain(
      '  exact_match/mean  >= 0.9     0.75  FAIL  0.75 < min 0.9',
    )
    const mergedReport = readReport(path.join(dir, 'out/merged.json'))
    // The merge keeps the shards' times (their tests' span), not its own few milliseconds.
    const [first, second] = shards as [Report, Report]
    const shardsStart = Date.parse(first.startedAt)
    const shardsEnd = Date.parse(second.startedAt) + second.durationMs
    expect(Date.parse(mergedReport.startedAt)).toBeGreaterThanOrEqual(shardsStart)
    expect(Date.parse(mergedReport.startedAt)).toBeLessThan(shardsEnd)
    expect(mergedReport.durationMs).toBeGreaterThan(0)
    expect(Date.parse(mergedReport.startedAt) + mergedReport.durationMs).toBeLessThanOrEqual(
      shardsEnd,
    )
    expect(normalise(mergedReport)).toEqual(
      normalise(readReport(path.join(dir, 'out/report.json'))),
    )
    // GITHUB_STEP_SUMMARY is used when no markdown option is given; latency may differ.
    const stable = (file: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('| latency_ms'))
    expect(stable(summary)).toEqual(stable(path.join(dir, 'out/summary.md')))
  })

  it('an eval that fails before any row runs is listed in the artifact and fails its status', async () => {
    const fresh = copyProject('reporter')
    writeFileSync(
      path.join(fresh, 'evals/broken.eval.ts'),
      [
        "import { scorer } from 'evalgate'",
        "import { describeEval } from 'evalgate/vitest'",
        "describeEval('broken', { data: [{ outputs: 'no inputs' }] as never, scorers: [scorer('x', () => true)] })",
      ].join('\n'),
    )
    const r = await runVitest(fresh, ['run', 'evals/broken.eval.ts', 'evals/stored.eval.ts'])
    expect(r.code).toBe(1)
    const report = expectArtifactAgreesWithExit(r, path.join(fresh, 'out/report.json'))
    expect(report.status).toBe('failed')
    expect(report.errors).toEqual([
      { file: 'evals/broken.eval.ts', message: 'evalgate: data[0]: "inputs" is required' },
    ])
    expect(report.evals.every((e) => e.status === 'passed')).toBe(true)
    expect(r.stdout).toContain(
      'FAIL  evals/broken.eval.ts: evalgate: data[0]: "inputs" is required',
    )
  })

  it('a run without any eval writes an artifact with evals: [] whose status agrees with the exit code', async () => {
    // A stale artifact from an earlier run (here the full run's, failed, with 4 evals) must
    // never survive a run in which no eval ran.
    const fresh = copyProject('reporter')
    const artifact = path.join(fresh, 'out/report.json')
    mkdirSync(path.dirname(artifact))
    copyFileSync(path.join(dir, 'out/report.json'), artifact)
    const passed = await runVitest(fresh, ['run', 'evals/plain.eval.ts'])
    expect(passed.code, passed.output).toBe(0)
    expect(passed.output).toContain('1 passed')
    expect(passed.stdout).toContain('evalgate: report written to out/report.json')
    // No eval, so no eval table.
    expect(passed.stdout).not.toMatch(/^(PASS|FAIL|SKIP|PARTIAL) {2}/m)
    const empty = expectArtifactAgreesWithExit(passed, artifact)
    expect(empty).toMatchObject({ status: 'passed', partial: false, evals: [], errors: [] })
    expect(readFileSync(path.join(fresh, 'out/summary.md'), 'utf8').trimEnd()).toBe(
      '## evalgate: ✅ no eval ran',
    )

    // The same without any eval, but a plain test fails: the artifact says failed, as the exit.
    writeFileSync(
      path.join(fresh, 'evals/plain-fail.eval.ts'),
      "import { expect, test } from 'vitest'\ntest('wrong sum', () => { expect(1 + 1).toBe(3) })\n",
    )
    const failed = await runVitest(fresh, ['run', 'evals/plain'])
    expect(failed.code, failed.output).toBe(1)
    expect(expectArtifactAgreesWithExit(failed, artifact)).toMatchObject({
      status: 'failed',
      evals: [],
    })
  })

  it('baseline: the comparison under each eval, in the Markdown and the HTML; failOnRegression fails the run and its artifact', async () => {
    const fresh = copyProject('reporter')
    const first = await runVitest(fresh, ['run'])
    const baseline = JSON.parse(readFileSync(path.join(fresh, 'out/report.json'), 'utf8')) as Report
    expect(first.code).toBe(1)
    // A baseline whose tasks were instant: this run's latency is a regression (lower is better).
    for (const e of baseline.evals)
      for (const row of e.rows) if (row.latencyMs !== null) row.latencyMs = 0
    writeFileSync(path.join(fresh, 'baseline.json'), JSON.stringify(baseline))
    const compared = await runVitest(fresh, ['run'], { FIXTURE_BASELINE: 'baseline.json' })
    expect(compared.code).toBe(1)
    expect(compared.output).toMatch(/latency_ms[^\n]*REGRESSION/)
    expect(readFileSync(path.join(fresh, 'out/summary.md'), 'utf8')).toContain('regression')
    expect(existsSync(path.join(fresh, 'out/report.html'))).toBe(true)

    // Only the failing gate fails this run; drop it, and failOnRegression alone decides.
    writeFileSync(
      path.join(fresh, 'evals/capitals.eval.ts'),
      readFileSync(path.join(fresh, 'evals/capitals.eval.ts'), 'utf8').replace(
        "'exact_match/mean': 0.9",
        "'exact_match/mean': 0.5",
      ),
    )
    const lenient = await runVitest(fresh, ['run'], { FIXTURE_BASELINE: 'baseline.json' })
    expect(lenient.code, lenient.output).toBe(0)
    expectArtifactAgreesWithExit(lenient, path.join(fresh, 'out/report.json'))
    const strict = await runVitest(fresh, ['run'], {
      FIXTURE_BASELINE: 'baseline.json',
      FIXTURE_FAIL_ON_REGRESSION: '1',
    })
    expect(strict.code).toBe(1)
    const report = expectArtifactAgreesWithExit(strict, path.join(fresh, 'out/report.json'))
    expect(report.errors.map((e) => e.message)).toContain(
      'regression against the baseline baseline.json (failOnRegression)',
    )
  })
})
