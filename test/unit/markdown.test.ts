import { describe, expect, test } from 'vitest'
import { type EvalReport, emptyUsage, type Report } from '../../src/core/report.js'
import { renderMarkdown } from '../../src/reporter/markdown.js'
import { metric } from './fixtures/report.js'

function evalReport(overrides: Partial<EvalReport>): EvalReport {
  return {
    name: 'qa',
    file: 'test/qa.eval.ts',
    status: 'passed',
    rows: [],
    metrics: {
      exact_match: metric(2, { mean: 0.5, p50: 0.5, p90: 0.9, min: 0, max: 1, passRate: 0.5 }),
    },
    thresholds: [],
    maxErrors: 0,
    erroredRows: 0,
    datasetRows: 0,
    failures: [],
    usage: emptyUsage(),
    ...overrides,
  }
}

function report(evals: EvalReport[]): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'evalgate', version: '0.1.0' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 10,
    status: evals.some((e) => e.status === 'failed') ? 'failed' : 'passed',
    evals,
    errors: [],
    usage: {
      requests: 0,
      cacheHits: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      judges: {},
    },
  }
}

const failing = evalReport({
  name: 'support bot',
  status: 'failed',
  thresholds: [
    { key: 'latency_ms/p90', max: 2000, actual: 1500.4, passed: true },
    { key: 'exact_match/mean', min: 0.9, actual: 0.5, passed: false, reason: '0.5 < min 0.9' },
  ],
  failures: ['exact_match/mean: 0.5 < min 0.9', '3 errored row(s), more than maxErrors (1)'],
})

describe('renderMarkdown', () => {
  test('renders the verdict, then per eval: heading, gates failing first, metric table', () => {
    const md = renderMarkdown(report([failing, evalReport({})]))
    expect(md).toBe(
      [
        '## evalgate: ❌ 1 of 2 evals failed',
        '',
        '### ❌ FAIL: support bot',
        '',
        '`test/qa.eval.ts` · 0 rows, 0 errored',
        '',
        '| gate | target | actual | result |',
        '| --- | --- | ---: | --- |',
        '| exact_match/mean | >= 0.9 | 0.5 | **FAIL** (0.5 < min 0.9) |',
        '| latency_ms/p90 | <= 2000 | 1500 | PASS |',
        '',
        '- 3 errored row(s), more than maxErrors (1)',
        '',
        '| metric | count | errors | mean | p50 | p90 | min | max | passRate |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| exact_match | 2 | 0 | 0.5 | 0.5 | 0.9 | 0 | 1 | 0.5 |',
        '',
        '### ✅ PASS: qa',
        '',
        '`test/qa.eval.ts` · 0 rows, 0 errored',
        '',
        '| metric | count | errors | mean | p50 | p90 | min | max | passRate |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| exact_match | 2 | 0 | 0.5 | 0.5 | 0.9 | 0 | 1 | 0.5 |',
        '',
      ].join('\n'),
    )
  })

  test('failing gates come before passing ones whatever their order in the eval', () => {
    const md = renderMarkdown(report([failing]))
    expect(md.indexOf('exact_match/mean')).toBeLessThan(md.indexOf('latency_ms/p90'))
    expect(md.indexOf('| gate |')).toBeLessThan(md.indexOf('| metric |'))
  })

  test('escapes pipes (and flattens line breaks) in every cell and heading', () => {
    const md = renderMarkdown(
      report([
        evalReport({
          name: 'a|b',
          status: 'failed',
          metrics: { 'x|y': metric(2, { mean: 1 }) },
          thresholds: [
            { key: 'x|y/mean', min: 2, actual: 1, passed: false, reason: 'bad | worse\nworst' },
          ],
          failures: ['x|y/mean: bad | worse\nworst'],
        }),
      ]),
    )
    expect(md).toContain('### ❌ FAIL: a\\|b')
    expect(md).toContain('| x\\|y/mean | >= 2 | 1 | **FAIL** (bad \\| worse worst) |')
    expect(md).toContain('| x\\|y | 2 | 0 | 1 |')
    // Every table row still has exactly its columns: no unescaped pipe inside a cell.
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2
      expect([4, 9]).toContain(cells)
    }
  })

  test('a skipped eval says no rows ran, and the verdict counts it', () => {
    const md = renderMarkdown(
      report([evalReport({}), evalReport({ name: 'later', status: 'skipped', metrics: {} })]),
    )
    expect(md.split('\n')[0]).toBe('## evalgate: ✅ 1 eval passed, 1 skipped')
    expect(md).toContain('### ⏭️ SKIP: later')
    expect(md).toContain('_No rows ran._')
  })
})
