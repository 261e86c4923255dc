import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { copyProject, type RunResult, runVitest } from './harness.js'

// The fixture project test/integration/projects/matchers runs as a real Vitest process against
// the built package (`evalgate/vitest` from setupFiles): pass.eval.ts must pass entirely, and
// every test of fail.eval.ts must fail, each with the message checked here.

interface AssertionResult {
  title: string
  status: string
  failureMessages: string[]
}

let run: RunResult
const results = new Map<string, AssertionResult>()

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g

beforeAll(async () => {
  const dir = copyProject('matchers')
  run = await runVitest(dir, [
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=report.json',
  ])
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
    testResults: { name: string; assertionResults: AssertionResult[] }[]
  }
  for (const file of report.testResults) {
    for (const a of file.assertionResults)
      results.set(`${path.basename(file.name)} > ${a.title}`, a)
  }
})

function failureOf(title: string): string {
  const r = results.get(`fail.eval.ts > ${title}`)
  expect(r, `no result for "${title}"\n${run.output}`).toBeDefined()
  expect(r?.status).toBe('failed')
  return (r?.failureMessages ?? []).join('\n').replace(ANSI, '')
}

describe('toPassScorer / toPassScorers in a real Vitest run', () => {
  it('runs every fixture test, exiting 1 because fail.eval.ts fails', () => {
    expect(run.code, run.output).toBe(1)
    expect(results.size, run.output).toBe(22)
  })

  it('passes every test of pass.eval.ts (pass, .not, options, async, toPassScorers, TypeError)', () => {
    const pass = [...results].filter(([key]) => key.startsWith('pass.eval.ts > '))
    expect(pass.map(([key, r]) => [key, r.status, r.failureMessages.join('\n')])).toEqual(
      pass.map(([key]) => [key, 'passed', '']),
    )
    expect(pass).toHaveLength(9)
  })

  it('fails every test of fail.eval.ts', () => {
    const fail = [...results].filter(([key]) => key.startsWith('fail.eval.ts > '))
    expect(fail.filter(([, r]) => r.status !== 'failed').map(([key]) => key)).toEqual([])
    expect(fail).toHaveLength(13)
  })

  it('names the scorer, value, score, threshold and rationale of a failing metric', () => {
    expect(failureOf('fail: yes/no scorer')).toContain(
      [
        'expect(received).toPassScorer(scorer, options)',
        '',
        'Expected: the output to pass scorer "capital_correct"',
        'Received: "Lyon"',
        '',
        'It did not pass: 1 of 1 judged metric failed.',
        '',
        'capital_correct: FAIL',
        '  value:     "no"',
        '  score:     0',
        '  threshold: 1 (the default for boolean and "yes"/"no" values)',
        '  rationale: The answer names Lyon; the capital is Paris.',
      ].join('\n'),
    )
  })

  it("shows the scorer's own threshold, and the threshold option when given", () => {
    expect(failureOf('fail: numeric below its threshold')).toContain(
      [
        'relevance: FAIL',
        '  value:     0.4',
        '  score:     0.4',
        '  threshold: 0.7 (score >= threshold passes)',
        '  rationale: keyword overlap',
      ].join('\n'),
    )
    expect(failureOf('fail: threshold option above the score')).toContain(
      ['  score:     0.9', '  threshold: 0.95 (score >= threshold passes)'].join('\n'),
    )
  })

  it('prints a diff of metric statuses', () => {
    expect(run.output).toMatch(/-\s+"capital_correct": "PASS",\n\+\s+"capital_correct": "FAIL",/)
  })

  it('says .not expected the output not to pass', () => {
    expect(failureOf('fail: .not on a passing scorer')).toContain(
      [
        'expect(received).not.toPassScorer(scorer, options)',
        '',
        'Expected: the output not to pass scorer "capital_correct"',
        'Received: "Paris"',
        '',
        'It passed: every judged metric (1) met its threshold.',
      ].join('\n'),
    )
  })

  it('fails on a scorer error, with and without .not', () => {
    const error = [
      'broken_judge: ERROR',
      '  error:     SCORER_ERROR: judge unreachable: connect ECONNREFUSED 127.0.0.1:9',
    ].join('\n')
    expect(failureOf('fail: scorer error')).toContain(error)
    const not = failureOf('fail: .not on a scorer error')
    expect(not).toContain('It cannot be said not to pass: a scorer errored')
    expect(not).toContain(error)
  })

  it('fails when no metric has a pass rule', () => {
    const message = failureOf('fail: no pass rule')
    expect(message).toContain('No metric has a pass rule, so the output could not be judged')
    expect(message).toContain(
      'threshold: none (a number without a threshold is recorded, never judged)',
    )
  })

  it('lists every metric of toPassScorers', () => {
    expect(failureOf('fail: toPassScorers with one failing')).toContain(
      [
        'expect(received).toPassScorers(scorers, options)',
        '',
        'Expected: the output to pass scorers "safety", "capital_correct"',
        'Received: "Lyon"',
        '',
        'It did not pass: 1 of 2 judged metrics failed.',
        '',
        'safety: PASS',
      ].join('\n'),
    )
  })

  it('throws a TypeError naming the matcher for a non-scorer', () => {
    expect(failureOf('fail: non-scorer')).toContain(
      'TypeError: toPassScorer: expected a Scorer { name, score(context) } as the first argument, received 42',
    )
    expect(failureOf('fail: scorer factory not called')).toContain(
      "TypeError: toPassScorers: expected a Scorer { name, score(context) } at index 0 of the first argument, received a function (safety); call a scorer factory (safety()), or wrap a scoring function: scorer('name', fn)",
    )
  })

  it('awaits an async scorer', () => {
    expect(failureOf('fail: async scorer')).toContain(
      ['slow_exact: FAIL', '  value:     false'].join('\n'),
    )
  })

  it('fails a test whose matcher was not awaited, with the verdict when there is one', () => {
    const failing = failureOf('fail: un-awaited failing matcher')
    expect(failing).toContain(
      'evalgate: `expect(...).toPassScorer(...)` was not awaited. It is asynchronous',
    )
    expect(failing).toContain('Its verdict, which would have failed the test:')
    expect(failing).toContain('slow_exact: FAIL')
    const passing = failureOf('fail: un-awaited passing matcher')
    expect(passing).toContain('`expect(...).not.toPassScorer(...)` was not awaited')
    expect(passing).not.toContain('Its verdict')
  })
})
