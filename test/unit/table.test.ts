import { describe, expect, test } from 'vitest'
import { type EvalReport, emptyUsage } from '../../src/core/report.js'
import { renderEvalTable, usageLine } from '../../src/reporter/table.js'
import { metric } from './fixtures/report.js'

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g

function row(index: number): EvalReport['rows'][number] {
  return {
    index,
    id: null,
    inputs: { q: index },
    outputs: 'a',
    expectations: null,
    latencyMs: 1000,
    feedback: [],
    error: null,
    passed: true,
    trace: null,
  }
}

function evalReport(overrides: Partial<EvalReport> = {}): EvalReport {
  return {
    name: 'support bot',
    file: 'test/support.eval.ts',
    status: 'failed',
    rows: [0, 1, 2, 3].map(row),
    metrics: {
      exact_match: metric(4, { mean: 0.75, p50: 1, p90: 1, min: 0, max: 1, passRate: 0.75 }),
      latency_ms: metric(4, { mean: 1234.5678, p50: 1200.4, p90: 2100.6, min: 980, max: 2200 }),
    },
    thresholds: [
      { key: 'exact_match/mean', min: 0.9, actual: 0.75, passed: false, reason: '0.75 < min 0.9' },
      { key: 'latency_ms/p90', max: 2500, actual: 2100.6, passed: true },
      { key: 'exact_match/p50', min: 0.5, max: 1, actual: 1, passed: true },
    ],
    maxErrors: 0,
    erroredRows: 0,
    datasetRows: 4,
    failures: ['exact_match/mean: 0.75 < min 0.9'],
    usage: emptyUsage(),
    ...overrides,
  }
}

describe('renderEvalTable', () => {
  test('renders heading, metric table and gates exactly (no colour)', () => {
    const out = renderEvalTable(evalReport(), { color: false })
    expect(out).toBe(
      [
        'FAIL  support bot  test/support.eval.ts  4 rows, 0 errored',
        '  metric       count errors mean  p50  p90 min  max passRate',
        '  exact_match      4      0 0.75    1    1   0    1     0.75',
        '  latency_ms       4      0 1235 1200 2101 980 2200        –',
        '  gate              target   actual  result',
        '  exact_match/mean  >= 0.9     0.75  FAIL  0.75 < min 0.9',
        '  latency_ms/p90    <= 2500    2101  PASS',
        '  exact_match/p50   0.5..1        1  PASS',
      ].join('\n'),
    )
  })

  test('shows rows that ran of the dataset, a skipped eval, and failures no gate shows', () => {
    const out = renderEvalTable(
      evalReport({
        status: 'failed',
        datasetRows: 10,
        rows: [],
        erroredRows: 2,
        thresholds: [],
        failures: ['2 errored row(s), more than maxErrors (0)'],
      }),
      { color: false },
    )
    expect(out.split('\n')[0]).toBe('FAIL  support bot  test/support.eval.ts  0/10 rows, 2 errored')
    expect(out.split('\n').at(-1)).toBe('  ✗ 2 errored row(s), more than maxErrors (0)')

    const skipped = renderEvalTable(
      evalReport({ status: 'skipped', rows: [], metrics: {}, thresholds: [], failures: [] }),
      { color: false },
    )
    expect(skipped).toBe(
      ['SKIP  support bot  test/support.eval.ts  0/4 rows, 0 errored', '  no rows ran'].join('\n'),
    )
  })

  test('formats numbers compactly: 3 decimals, 3 significant digits below 1, – for null', () => {
    const out = renderEvalTable(
      evalReport({
        metrics: {
          score: metric(4, { mean: 2 / 3, p50: 0.000123456, p90: 12.34567, min: -0.5, max: 100 }),
        },
        thresholds: [],
        failures: [],
      }),
      { color: false },
    )
    expect(out.split('\n')[2]).toBe(
      '  score       4      0 0.667 0.000123 12.346 -0.5 100        –',
    )
  })

  test('every line fits 80 columns, long metric names, gate keys and reasons included', () => {
    const long = 'a_metric_name_that_is_much_too_long_to_fit_in_any_reasonable_terminal_column'
    const report = evalReport({
      name: 'an eval whose name alone is long enough to push the heading past the edge of it',
      file: 'test/some/deeply/nested/directory/structure/of/evals/support.eval.ts',
      metrics: {
        [long]: metric(4, {
          mean: 0.123,
          p50: 0.1,
          p90: 0.9,
          min: 0.000123,
          max: 1,
          passRate: 0.123,
        }),
        latency_ms: metric(4, { mean: 1, p50: 1, p90: 1, min: 1, max: 1 }),
      },
      thresholds: [
        {
          key: `${long}/passRate`,
          min: 0.95,
          actual: null,
          passed: false,
          reason: `passRate has no value: no scored value of "${long}" has a pass rule (numeric values need a scorer threshold)`,
        },
      ],
    })
    for (const color of [false, true]) {
      const lines = renderEvalTable(report, { color }).split('\n')
      for (const line of lines) {
        expect([...line.replace(ANSI, '')].length, line).toBeLessThanOrEqual(80)
      }
      const plain = lines.map((l) => l.replace(ANSI, ''))
      expect(
        plain.some((l) => l.startsWith('  a_metric_name_that_is_much_…      4      0 0.123')),
      ).toBe(true)
      // The reason is wrapped, not lost.
      expect(plain.join(' ')).toContain('(numeric values need a scorer threshold)')
    }
  })

  test('even absurdly wide numbers never push a line past the width', () => {
    const huge = metric(4, {
      mean: -123456.789,
      p50: 9999999.5,
      p90: -0.000123,
      min: -1e300,
      max: 1e300,
      passRate: 0.123,
    })
    const lines = renderEvalTable(
      evalReport({ metrics: { m: huge, [`${'x'.repeat(90)}`]: huge } }),
      {
        color: false,
      },
    ).split('\n')
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80)
  })

  test('narrower width is honoured too', () => {
    for (const line of renderEvalTable(evalReport(), { color: false, width: 60 }).split('\n')) {
      expect([...line].length, line).toBeLessThanOrEqual(60)
    }
  })

  test('colour codes appear only with color: true, and do not change the text', () => {
    const plain = renderEvalTable(evalReport(), { color: false })
    const colored = renderEvalTable(evalReport(), { color: true })
    expect(plain).not.toMatch(ANSI)
    expect(colored).toMatch(ANSI)
    expect(colored).toContain('\u001b[31mFAIL\u001b[39m')
    expect(colored).toContain('\u001b[32mPASS\u001b[39m')
    expect(colored.replace(ANSI, '')).toBe(plain)
  })
})

describe('judge usage line', () => {
  const usage = (over: Partial<EvalReport['usage']>): EvalReport['usage'] => ({
    ...emptyUsage(),
    ...over,
  })

  test('shows requests, cache hits, tokens and a known cost', () => {
    const out = renderEvalTable(
      evalReport({
        usage: usage({
          requests: 12,
          cacheHits: 3,
          inputTokens: 4100,
          outputTokens: 380,
          costUsd: 0.0123,
        }),
      }),
      { color: false },
    )
    expect(out).toContain('  judges: 12 requests, 3 cache hits, 4100 in / 380 out tokens, $0.01')
  })

  test('never invents a cost: unknown price and all-cached runs say so', () => {
    expect(usageLine(usage({ requests: 2, inputTokens: 10, outputTokens: 2, costUsd: null }))).toBe(
      'judges: 2 requests, 0 cache hits, 10 in / 2 out tokens, cost unknown (no price for a model used)',
    )
    expect(usageLine(usage({ cacheHits: 1, costUsd: null }))).toBe(
      'judges: 0 requests, 1 cache hit, 0 in / 0 out tokens, no cost (all cached)',
    )
    // As the report sums it for cached rows: a zero cost, still no paid request.
    expect(usageLine(usage({ cacheHits: 18, costUsd: 0 }))).toBe(
      'judges: 0 requests, 18 cache hits, 0 in / 0 out tokens, no cost (all cached)',
    )
  })

  test('an eval without judges prints no usage line', () => {
    expect(usageLine(emptyUsage())).toBeUndefined()
    expect(renderEvalTable(evalReport(), { color: false })).not.toContain('judges:')
  })
})
