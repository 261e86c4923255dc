import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { EvalgateMeta } from '../../src/core/meta.js'
import { copyProject, expectArtifactAgreesWithExit, runVitest } from './harness.js'

let dir: string
beforeAll(() => {
  dir = copyProject('qa')
})

function counts(output: string) {
  const line = output.split('\n').find((l) => /^\s*Tests\s/.test(l)) ?? ''
  const n = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0)
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped') }
}

describe('describeEval in a real Vitest run', () => {
  it('passes an eval whose gates hold: one test per row plus the thresholds test', async () => {
    const r = await runVitest(dir, ['run', 'pass.eval.ts'])
    expect(r.code, r.output).toBe(0)
    expect(counts(r.output)).toEqual({ passed: 11, failed: 0, skipped: 0 })
  })

  it('fails the thresholds test with a table of failing gates, and only it', async () => {
    const r = await runVitest(dir, ['run', 'fail-gates.eval.ts'])
    expect(r.code).toBe(1)
    expect(counts(r.output)).toEqual({ passed: 10, failed: 1, skipped: 0 })
    expect(r.output).toContain('flaky arithmetic > thresholds')
    expect(r.output).toMatch(
      /eval "flaky arithmetic" failed:\ngate\s+target\s+actual\s+reason\n[- ]+\nexact_match\/mean\s+>= 0\.9\s+0\.6\s+0\.6 < min 0\.9/,
    )
    // Passing gates are not in the failure table.
    expect(r.output).not.toMatch(/exact_match\/count\s+10/)
    // After the table, the rows behind the failing gate, every one (all row tests pass).
    expect(r.output).toContain(
      [
        '0.6 < min 0.9',
        '',
        'failing and errored rows (4):',
        '  row "q0", exact_match: false',
        '  row "q3", exact_match: false',
        '  row "q6", exact_match: false',
        '  row "q9", exact_match: false',
      ].join('\n'),
    )
  })

  it('without thresholds, a row failing a metric fails its test with metric, value, threshold and rationale', async () => {
    const r = await runVitest(dir, ['run', 'rows-mode.eval.ts'])
    expect(r.code).toBe(1)
    // 2 rows and the eval's final thresholds test: only the failing row's own test fails (the
    // final test does not fail a second time for a row that already failed its test).
    expect(counts(r.output)).toEqual({ passed: 2, failed: 1, skipped: 0 })
    expect(r.output).toMatch(/× off by three/)
    expect(r.output).toMatch(/✓ thresholds/)
    expect(r.output).toContain(
      'EvalRowError: row "off by three" failed:\n  close_enough: value 0.25 (score 0.25) is below threshold 0.5\n    rationale: off by 3',
    )
  })

  it('a bad dataset fails the eval with the core error before any row runs', async () => {
    const r = await runVitest(dir, ['run', 'bad-data.eval.ts'])
    expect(r.code).toBe(1)
    expect(r.output).toContain('evalgate: data/bad.jsonl line 3: "inputs" is required')
    expect(existsSync(path.join(dir, 'row-ran.txt'))).toBe(false)
  })

  it('an unknown threshold key fails the eval, listing the metrics, before any row runs', async () => {
    const r = await runVitest(dir, ['run', 'bad-threshold.eval.ts'])
    expect(r.code).toBe(1)
    expect(r.output).toContain(
      'evalgate: threshold "exact_macth/mean": no metric "exact_macth" (did you mean "exact_match"?); metrics: exact_match, latency_ms',
    )
    expect(existsSync(path.join(dir, 'row-ran.txt'))).toBe(false)
    // The error points at the describeEval call in the eval file, not into evalgate's dist/.
    expect(r.output).toMatch(/❯ bad-threshold\.eval\.ts:5:1/)
    expect(r.output).not.toMatch(/❯ .*dist\//)
  })

  it('-t selects rows by id, and the artifact says the run was partial', async () => {
    const report = path.join(dir, 'select-report.json')
    const r = await runVitest(
      dir,
      ['run', 'pass.eval.ts', '-t', 'q3', '--reporter=default', '--reporter=evalgate/reporter'],
      { EVALGATE_REPORT: report },
    )
    expect(r.code, r.output).toBe(0)
    // 1 of 10 rows runs; the other rows and the final thresholds test are skipped.
    expect(counts(r.output)).toEqual({ passed: 1, failed: 0, skipped: 10 })
    const artifact = expectArtifactAgreesWithExit(r, report)
    expect(artifact.partial).toBe(true)
    expect(artifact.evals.map((e) => [e.name, e.status, e.rows.map((row) => row.id)])).toEqual([
      ['arithmetic', 'partial', ['q3']],
    ])
    // A gate over 1 of 10 rows is neither PASS nor FAIL.
    expect(artifact.evals[0]!.thresholds.map((g) => [g.key, g.passed, g.reason])).toEqual([
      ['exact_match/mean', null, 'not evaluated (partial run: 1 of 10 rows)'],
      ['latency_ms/p90', null, 'not evaluated (partial run: 1 of 10 rows)'],
    ])
  })

  it('re-scores stored outputs from csv, json and async iterables without a task', async () => {
    const r = await runVitest(dir, ['run', 'rescore.eval.ts'])
    expect(r.code, r.output).toBe(0)
    // 2 csv + 2 json + 2 async rows, and each of the 3 evals' final thresholds test.
    expect(counts(r.output)).toEqual({ passed: 9, failed: 0, skipped: 0 })
  })

  it('holds `concurrency` whatever Vitest maxConcurrency and sequence.concurrent say', async () => {
    for (const env of [
      { FIXTURE_MAX_CONCURRENCY: '2' },
      { FIXTURE_MAX_CONCURRENCY: '100', FIXTURE_CONCURRENT: '1' },
    ]) {
      const out = path.join(dir, `timing-${env.FIXTURE_MAX_CONCURRENCY}.json`)
      const r = await runVitest(dir, ['run', 'concurrency.eval.ts'], { ...env, TIMING_OUT: out })
      expect(r.code, r.output).toBe(0)
      const timing = JSON.parse(readFileSync(out, 'utf8')) as { peak: number; elapsedMs: number }
      expect(timing.peak).toBe(20)
      // The peak is the exact check. 200 rows x 50 ms at 20 in flight take at least 10 waves of
      // 50 ms (more in flight would be faster); how much longer depends on the machine's load,
      // which no test asserts (the bench measures speed).
      expect(timing.elapsedMs).toBeGreaterThanOrEqual(10 * 50 * 0.95)
    }
  })

  it('times out a hanging row, and maxErrors decides whether the error fails the run', async () => {
    const strict = await runVitest(dir, ['run', 'timeout.eval.ts'])
    expect(strict.code).toBe(1)
    expect(strict.output).toContain(
      'row "hangs" errored:\n  TASK_TIMEOUT: evalgate: the task did not finish within the row timeout of 300 ms',
    )
    // The verbose reporter prints annotations on passing tests (the default one only on failures).
    const tolerant = await runVitest(dir, ['run', 'timeout.eval.ts', '--reporter=verbose'], {
      FIXTURE_MAX_ERRORS: '1',
    })
    expect(tolerant.code, tolerant.output).toBe(0)
    expect(counts(tolerant.output)).toEqual({ passed: 3, failed: 0, skipped: 0 })
    // A tolerated error is not a plain green tick: its row's test carries it as an annotation.
    expect(tolerant.output).toMatch(
      /✓ timeout\.eval\.ts > timeouts > hangs [^\n]*\n\s*❯ warning\n\s*↳ errored \(tolerated by maxErrors\): TASK_TIMEOUT: evalgate: the task did not finish within the row timeout of 300 ms/,
    )
  })

  it('evalTest scores one case, fails with the rationale, and forms a one-row eval in the artifact', async () => {
    const report = path.join(dir, 'single-report.json')
    const r = await runVitest(
      dir,
      ['run', 'single.eval.ts', '--reporter=default', '--reporter=evalgate/reporter'],
      { EVALGATE_REPORT: report },
    )
    expect(r.code).toBe(1)
    expect(counts(r.output)).toEqual({ passed: 1, failed: 1, skipped: 0 })
    expect(r.output).toContain(
      'row "rude reply" failed:\n  polite: value false (score 0) is below the pass rule (>= 1)\n    rationale: looks for please/thank',
    )
    const artifact = expectArtifactAgreesWithExit(r, report)
    expect(artifact.status).toBe('failed')
    expect(artifact.evals.map((e) => [e.name, e.file, e.status, e.rows[0]?.outputs])).toEqual([
      ['polite reply', 'single.eval.ts', 'passed', 'Thank you for asking!'],
      ['rude reply', 'single.eval.ts', 'failed', 'Go away.'],
    ])
  })

  it('stores every row result and the eval summary in task meta, JSON-serialisable', async () => {
    const out = path.join(dir, 'meta-out.json')
    const r = await runVitest(
      dir,
      ['run', 'fail-gates.eval.ts', '--reporter=./meta-reporter.mjs'],
      { META_OUT: out },
    )
    expect(r.code).toBe(1)
    const metas = JSON.parse(readFileSync(out, 'utf8')) as EvalgateMeta[]
    const suite = metas.find((m) => m.kind === 'eval')
    const rows = metas.filter((m) => m.kind === 'row')
    expect(rows).toHaveLength(10)
    expect(rows[3]).toMatchObject({
      eval: 'flaky arithmetic',
      rows: [{ index: 3, trial: 0, id: 'q3', outputs: 'no idea', passed: false }],
    })
    expect(suite).toMatchObject({
      kind: 'eval',
      name: 'flaky arithmetic',
      file: 'fail-gates.eval.ts',
      metrics: ['exact_match', 'latency_ms'],
      datasetRows: 10,
      summary: { rows: 10, passed: false, metrics: { exact_match: { count: 10, mean: 0.6 } } },
    })
    if (suite?.kind !== 'eval' || suite.summary === null)
      throw new Error('no summary in suite meta')
    expect(suite.summary.thresholds.map((g) => [g.key, g.passed])).toEqual([
      ['exact_match/mean', false],
      ['exact_match/count', true],
      ['latency_ms/max', true],
    ])
    expect(suite.summary.metrics.latency_ms!.count).toBe(10)
  })
})
