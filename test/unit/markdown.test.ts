import { describe, expect, test } from 'vitest'
import { type EvalReport, emptyUsage } from '../../src/core/report.js'
import { renderMarkdown } from '../../src/reporter/markdown.js'
import { feedback, metric, report, reportRow } from './fixtures/report.js'

function evalReport(overrides: Partial<EvalReport>): EvalReport {
  return {
    name: 'qa',
    file: 'test/qa.eval.ts',
    status: 'passed',
    trials: 1,
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
        '| gate | target | actual | result | reason |',
        '| --- | --- | ---: | --- | --- |',
        '| exact_match/mean | &gt;= 0.9 | 0.5 | **FAIL** | 0.5 &lt; min 0.9 |',
        '| latency_ms/p90 | &lt;= 2000 | 1500 | PASS |  |',
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
    expect(md).toContain('| x\\|y/mean | &gt;= 2 | 1 | **FAIL** | bad \\| worse worst |')
    expect(md).toContain('| x\\|y | 2 | 0 | 1 |')
    // Every table row still has exactly its columns: no unescaped pipe inside a cell.
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2
      expect([5, 9]).toContain(cells)
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

describe('renderMarkdown: failing rows, usage, partial runs, columns', () => {
  const failingRow = (index: number, rationale = 'expected "Paris"') =>
    reportRow(index, {
      id: `case-${index}`,
      passed: false,
      feedback: [feedback('exact_match', { value: false, score: 0, passed: false, rationale })],
    })

  test('lists the failing and errored rows (row, metric, value, rationale or error) and the judges usage', () => {
    const md = renderMarkdown(
      report([
        evalReport({
          status: 'failed',
          rows: [
            reportRow(0),
            failingRow(1),
            reportRow(2, {
              passed: false,
              feedback: [
                feedback('judge', {
                  value: null,
                  score: null,
                  passed: false,
                  error: { code: 'SCORER_ERROR', message: 'HTTP 401: invalid key' },
                }),
                feedback('tone', { value: null, score: null, passed: null }), // abstained
              ],
            }),
            reportRow(3, { passed: false, error: { code: 'TIMEOUT', message: 'timed out' } }),
          ],
          datasetRows: 4,
          usage: {
            ...emptyUsage(),
            requests: 6,
            inputTokens: 900,
            outputTokens: 80,
            costUsd: 0.28,
          },
        }),
      ]),
    )
    const lines = md.split('\n')
    const at = lines.indexOf('**Failing and errored rows (3)**')
    expect(at).toBeGreaterThan(0)
    expect(lines.slice(at + 2, at + 8)).toEqual([
      '| row | metric | value | rationale / error |',
      '| --- | --- | --- | --- |',
      '| "case-1" | exact_match | false | expected "Paris" |',
      '| [2] | judge | error | SCORER_ERROR: HTTP 401: invalid key |',
      '| [3] | – | error | TIMEOUT: timed out |',
      '',
    ])
    expect(md).toContain('\njudges: 6 requests, 0 cache hits, 900 in / 80 out tokens, $0.28\n')
  })

  test('the first 10 failing results, then how many more', () => {
    const rows = Array.from({ length: 12 }, (_, i) => failingRow(i))
    const md = renderMarkdown(report([evalReport({ status: 'failed', rows, datasetRows: 12 })]))
    expect(md.split('\n').filter((l) => l.startsWith('| "case-'))).toHaveLength(10)
    expect(md).toContain('_… and 2 more in the JSON artifact._')
  })

  test('escapes HTML in eval names, metric names, gate keys, rationales and ids', () => {
    const md = renderMarkdown(
      report([
        evalReport({
          name: '<script>alert(1)</script> & co',
          status: 'failed',
          metrics: { '<b>m</b>': metric(1, { mean: 0 }) },
          thresholds: [{ key: '<b>m</b>/mean', min: 1, actual: 0, passed: false, reason: '<i>' }],
          rows: [
            reportRow(0, {
              id: '<img src=x onerror=alert(1)>',
              passed: false,
              feedback: [
                feedback('<b>m</b>', {
                  value: false,
                  score: 0,
                  passed: false,
                  rationale: 'says <details> & </table>',
                }),
              ],
            }),
          ],
        }),
      ]),
    )
    expect(md).not.toMatch(/<(script|b|i|img|details|\/table)\b/)
    expect(md).toContain('### ❌ FAIL: &lt;script&gt;alert(1)&lt;/script&gt; &amp; co')
    expect(md).toContain('| &lt;b&gt;m&lt;/b&gt;/mean | &gt;= 1 | 0 | **FAIL** | &lt;i&gt; |')
    expect(md).toContain(
      '| "&lt;img src=x onerror=alert(1)&gt;" | &lt;b&gt;m&lt;/b&gt; | false | says &lt;details&gt; &amp; &lt;/table&gt; |',
    )
  })

  test('a partial eval: its icon, N/A gates with their reason, the rows that ran, and a note', () => {
    const reason = 'not evaluated (partial run: 1 of 20 rows)'
    const md = renderMarkdown(
      report([
        evalReport({}),
        evalReport({
          name: 'picked',
          status: 'partial',
          rows: [reportRow(4)],
          datasetRows: 20,
          thresholds: [{ key: 'exact_match/mean', min: 0.9, actual: 1, passed: null, reason }],
        }),
      ]),
    )
    const lines = md.split('\n')
    expect(lines[0]).toBe('## evalgate: ✅ 1 eval passed, 1 partial')
    expect(lines[2]).toMatch(/^_Partial run: some rows were left out/)
    expect(md).toContain('### 🟡 PARTIAL: picked')
    expect(md).toContain('`test/qa.eval.ts` · 1/20 rows, 0 errored')
    expect(md).toContain(`| exact_match/mean | &gt;= 0.9 | 1 | N/A | ${reason} |`)
  })

  test('a run in which no eval ran says so', () => {
    expect(renderMarkdown(report([])).split('\n')[0]).toBe('## evalgate: ✅ no eval ran')
  })

  test('gated and custom aggregations get columns; a failed aggregation is – with its reason', () => {
    const md = renderMarkdown(
      report([
        evalReport({
          metrics: {
            score: metric(
              4,
              { mean: 0.5, p99: 0.99, trimmed_mean: null },
              { skipped: 1, aggregationErrors: { trimmed_mean: 'returned NaN' } },
            ),
          },
          thresholds: [{ key: 'score/p99', max: 1, actual: 0.99, passed: true }],
        }),
      ]),
    )
    expect(md).toContain(
      '| metric | count | errors | skipped | mean | p50 | p90 | min | max | passRate | p99 | trimmed_mean |',
    )
    expect(md).toContain('| score | 4 | 0 | 1 | 0.5 | – | – | – | – | – | 0.99 | – |')
    expect(md).toContain('- score/trimmed_mean has no value: returned NaN')
  })
})

describe('renderMarkdown: trials and statistics', () => {
  const withStats = (m: EvalReport['metrics'][string]) => {
    m.stderr = 0.333
    m.ci = { level: 0.95, method: 't', low: 0, high: 1 }
    m.flaky = 1
    m['pass^3'] = 0.5
    return m
  }
  const trials = (index: number, marks: readonly boolean[]) =>
    marks.map((m, trial) =>
      reportRow(index, {
        id: `q${index}`,
        trial,
        passed: m,
        feedback: [feedback('correct', { value: m, score: m ? 1 : 0, passed: m })],
      }),
    )

  test('the 95% CI and flaky columns, confidence gates with bound, interval and n, and the flaky rows', () => {
    const md = renderMarkdown(
      report([
        evalReport({
          status: 'failed',
          trials: 3,
          rows: [...trials(0, [true, true, true]), ...trials(1, [false, true, false])],
          datasetRows: 2,
          metrics: {
            correct: withStats(
              metric(6, { mean: 0.667, p50: 1, p90: 1, min: 0, max: 1, passRate: 0.667 }),
            ),
          },
          thresholds: [
            {
              key: 'correct/mean',
              min: 0.5,
              confidence: 0.95,
              actual: 0.667,
              bound: 0,
              passed: false,
              reason: 'lower bound 0 < min 0.5 (95% CI [0, 1] (t, n = 6 in 2 rows))',
            },
            {
              key: 'correct/mean',
              max: 1,
              confidence: 0.9,
              require: 'plausible',
              actual: 0.667,
              bound: 0.1,
              passed: true,
              reason: '90% CI [0.1, 1] (t, n = 6 in 2 rows)',
            },
          ],
        }),
      ]),
    )
    const lines = md.split('\n')
    expect(lines).toContain(
      '| correct/mean | &gt;= 0.5 (95%) | 0.667 | **FAIL** | lower bound 0 &lt; min 0.5 (95% CI [0, 1] (t, n = 6 in 2 rows)) |',
    )
    expect(lines).toContain(
      '| correct/mean | &lt;= 1 (90%, plausible) | 0.667 | PASS | lower bound 0.1 &lt;= max 1 (90% CI [0.1, 1] (t, n = 6 in 2 rows)) |',
    )
    expect(lines).toContain(
      '| metric | count | errors | mean | 95% CI | p50 | p90 | min | max | passRate | flaky |',
    )
    expect(lines).toContain('| correct | 6 | 0 | 0.667 | [0, 1] | 1 | 1 | 0 | 1 | 0.667 | 1 |')
    const at = lines.indexOf('**Flaky rows (1)**: trials that disagree')
    expect(at).toBeGreaterThan(0)
    expect(lines.slice(at + 2, at + 6)).toEqual([
      '| row | metric | passed | trials |',
      '| --- | --- | ---: | --- |',
      '| "q1" | correct | 1 of 3 | ✗✓✗ |',
      '',
    ])
  })

  test('the first 10 flaky rows, then how many more', () => {
    const rows = Array.from({ length: 13 }, (_, i) => trials(i, [i % 2 === 0, i % 2 === 1])).flat()
    const md = renderMarkdown(report([evalReport({ trials: 2, rows, datasetRows: 13 })]))
    const at = md.indexOf('**Flaky rows (13)**')
    expect(at).toBeGreaterThan(0)
    const section = md.slice(at).split('\n')
    expect(section.filter((l) => l.startsWith('| "q'))).toHaveLength(10)
    expect(section).toContain('_… and 3 more in the JSON artifact._')
  })
})
