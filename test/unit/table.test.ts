import { describe, expect, test } from 'vitest'
import { type EvalReport, emptyUsage } from '../../src/core/report.js'
import { renderEvalTable, terminalWidth, usageLine } from '../../src/reporter/table.js'
import { feedback, metric, reportRow } from './fixtures/report.js'

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g

const row = (index: number) => reportRow(index)

function evalReport(overrides: Partial<EvalReport> = {}): EvalReport {
  return {
    name: 'support bot',
    file: 'test/support.eval.ts',
    status: 'failed',
    trials: 1,
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

/** Lines `from`..`to` of a rendering, without the indentation. */
function lines(out: readonly string[], from: number, to: number): string[] {
  return out.slice(from, to + 1).map((l) => l.slice(2))
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

  test('every line fits 80 columns but a name wider than the line, which is printed whole', () => {
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
      const plain = lines.map((l) => l.replace(ANSI, ''))
      for (const line of plain) {
        // Only a name (alone, or quoted in a reason) wider than the line may pass its edge.
        if (!line.trim().includes(' ') && line.includes(long)) continue
        expect([...line].length, line).toBeLessThanOrEqual(80)
      }
      // The heading wraps the eval's name; the metric and the gate key are whole, on their own
      // lines, their numbers below.
      expect(plain[0]).toBe(
        'FAIL  an eval whose name alone is long enough to push the heading past the edge',
      )
      expect(plain[1]).toBe('      of it')
      expect(plain[2]).toBe(
        '  test/some/deeply/nested/directory/structure/of/evals/support.eval.ts',
      )
      const at = plain.indexOf(`  ${long}`)
      expect(at).toBeGreaterThan(0)
      expect(plain[at + 1]).toMatch(/^ +4 +0 0\.123 +0\.1 +0\.9 0\.000123 +1 +0\.123$/)
      const gate = plain.indexOf(`  ${long}/passRate`)
      expect(plain[gate + 1]).toMatch(/^ +>= 0\.95 +– +FAIL$/)
      // The reason is wrapped, not lost, and the name in it is whole.
      expect(plain.join(' ')).toContain('(numeric values need a scorer threshold)')
      expect(plain.join(' ')).toContain(`"${long}"`)
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
    const wide = 'x'.repeat(90)
    const lines = renderEvalTable(evalReport({ metrics: { m: huge, [wide]: huge } }), {
      color: false,
    }).split('\n')
    for (const line of lines) {
      if (line === `  ${wide}`) continue
      expect([...line].length, line).toBeLessThanOrEqual(80)
    }
    expect(lines).toContain(`  ${wide}`)
  })

  test('two names with a long common prefix are both readable in full, at 60 and 80 columns', () => {
    const query = 'answer_relevance_to_customer_query'
    const intent = 'answer_relevance_to_customer_intent'
    const report = evalReport({
      metrics: {
        [query]: metric(4, { mean: 0.75, p50: 1, p90: 1, min: 0, max: 1, passRate: 0.75 }),
        [intent]: metric(4, { mean: 0.5, p50: 0.5, p90: 1, min: 0, max: 1, passRate: 0.5 }),
        latency_ms: metric(4, { mean: 1234.5678, p50: 1200.4, p90: 2100.6, min: 980, max: 2200 }),
      },
      thresholds: [
        { key: `${query}/mean`, min: 0.9, actual: 0.75, passed: false, reason: '0.75 < min 0.9' },
        { key: `${intent}/mean`, min: 0.4, actual: 0.5, passed: true },
      ],
      failures: [`${query}/mean: 0.75 < min 0.9`],
    })
    for (const width of [60, 80]) {
      const lines = renderEvalTable(report, { color: false, width }).split('\n')
      for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(width)
      const text = lines.join('\n')
      expect(text).not.toContain('…')
      for (const name of [query, intent, `${query}/mean`, `${intent}/mean`]) {
        expect(lines.some((l) => l.trim() === name || l.trim().startsWith(`${name} `))).toBe(true)
      }
      // Each stacked name is followed by its own numbers, aligned under the header.
      const header = lines.findIndex((l) => l.trimStart().startsWith('metric'))
      const meanEnd = lines[header]!.indexOf('mean') + 'mean'.length
      const q = lines.findIndex((l) => l.trim() === query)
      expect(lines[q + 1]!.slice(0, meanEnd).trimEnd().endsWith('0.75')).toBe(true)
      const i = lines.findIndex((l) => l.trim() === intent)
      expect(lines[i + 1]!.slice(0, meanEnd).trimEnd().endsWith('0.5')).toBe(true)
    }
    // Wide enough, they share the line with their numbers.
    const wide = renderEvalTable(report, { color: false, width: 120 }).split('\n')
    expect(wide.some((l) => l.startsWith(`  ${query}   `))).toBe(true)
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

describe('terminalWidth', () => {
  test("the TTY's columns, else COLUMNS when a positive whole number, else 80", () => {
    expect(terminalWidth({ isTTY: true, columns: 132 }, { COLUMNS: '60' })).toBe(132)
    expect(terminalWidth({ isTTY: false }, { COLUMNS: '160' })).toBe(160)
    expect(terminalWidth({}, { COLUMNS: ' 100 ' })).toBe(100)
    expect(terminalWidth({ isTTY: true, columns: 0 }, { COLUMNS: '90' })).toBe(90)
    for (const COLUMNS of ['0', '-5', '12.5', 'wide', '', undefined]) {
      expect(terminalWidth({ isTTY: false, columns: 200 }, { COLUMNS }), String(COLUMNS)).toBe(80)
    }
  })
})

describe('columns', () => {
  test('every gated aggregation and every custom one gets a column, with its value', () => {
    const out = renderEvalTable(
      evalReport({
        metrics: {
          score: metric(4, {
            mean: 0.5,
            p50: 0.5,
            p90: 0.9,
            min: 0,
            max: 1,
            stdev: 0.25,
            p99: 0.99,
            p95: 0.95,
            trimmed_mean: 0.625,
          }),
        },
        thresholds: [
          { key: 'score/p99', max: 1, actual: 0.99, passed: true },
          { key: 'score/stdev', max: 0.3, actual: 0.25, passed: true },
        ],
        failures: [],
      }),
      { color: false, width: 100 },
    ).split('\n')
    expect(lines(out, 1, 2)).toEqual([
      'metric  count errors mean p50 p90 min max passRate stdev  p99 trimmed_mean',
      'score       4      0  0.5 0.5 0.9   0   1        –  0.25 0.99        0.625',
    ])
  })

  test('skipped (abstentions) is shown when a metric has any; a failed aggregation is – with its reason', () => {
    const out = renderEvalTable(
      evalReport({
        metrics: {
          tone: metric(
            3,
            { mean: 1, p50: 1, p90: 1, min: 1, max: 1, passRate: 1, trimmed_mean: null },
            { skipped: 2, aggregationErrors: { trimmed_mean: 'threw RangeError: too few scores' } },
          ),
        },
        thresholds: [],
        failures: [],
      }),
      { color: false },
    ).split('\n')
    expect(lines(out, 1, 3)).toEqual([
      'metric  count errors skipped mean p50 p90 min max passRate trimmed_mean',
      'tone        3      0       2    1   1   1   1   1        1            –',
      '! tone/trimmed_mean has no value: threw RangeError: too few scores',
    ])
  })

  test('more columns than the width holds are split into tables of the same metrics', () => {
    const values = Object.fromEntries(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [`custom_${k}`, 123.456]),
    )
    const out = renderEvalTable(
      evalReport({
        metrics: { quality: metric(4, { mean: 0.5, p50: 0.5, ...values }) },
        thresholds: [],
        failures: [],
      }),
      { color: false, width: 60 },
    ).split('\n')
    for (const line of out) expect([...line].length, line).toBeLessThanOrEqual(60)
    const headers = out.filter((l) => l.startsWith('  metric'))
    expect(headers.length).toBeGreaterThan(1)
    expect(out.filter((l) => l.startsWith('  quality '))).toHaveLength(headers.length)
    expect(headers.join(' ')).toContain('custom_f')
  })

  test("the table shows exactly the report's metrics: a gate on an absent one invents no row", () => {
    const out = renderEvalTable(
      evalReport({
        metrics: { exact_match: metric(2, { mean: 1 }) },
        thresholds: [
          { key: 'length/mean', min: 1, actual: null, passed: false, reason: 'no metric' },
        ],
      }),
      { color: false },
    ).split('\n')
    const table = out.slice(
      2,
      out.findIndex((l) => l.startsWith('  gate')),
    )
    expect(table.map((l) => l.trim().split(/\s+/)[0])).toEqual(['exact_match'])
  })
})

describe('partial evals', () => {
  test('PARTIAL heading, 1/20 rows, gates not evaluated shown as N/A with their reason', () => {
    const reason = 'not evaluated (partial run: 1 of 20 rows)'
    const out = renderEvalTable(
      evalReport({
        status: 'partial',
        rows: [row(3)],
        datasetRows: 20,
        metrics: { exact_match: metric(1, { mean: 1, p50: 1, p90: 1, min: 1, max: 1 }) },
        thresholds: [{ key: 'exact_match/mean', min: 0.9, actual: 1, passed: null, reason }],
        failures: [],
      }),
      { color: false },
    ).split('\n')
    expect(out[0]).toBe('PARTIAL  support bot  test/support.eval.ts  1/20 rows, 0 errored')
    expect(out.slice(-3)).toEqual([
      '  gate              target  actual  result',
      '  exact_match/mean  >= 0.9       1  N/A',
      `    ${reason}`,
    ])
    const colored = renderEvalTable(
      evalReport({
        status: 'partial',
        thresholds: [{ key: 'exact_match/mean', min: 0.9, actual: 1, passed: null, reason }],
      }),
      { color: true },
    )
    expect(colored).toContain('\u001b[33mPARTIAL\u001b[39m')
    expect(colored).toContain('\u001b[33mN/A\u001b[39m')
  })

  test('rows of several trials: dataset rows and trials', () => {
    const rows = [0, 1].flatMap((index) => [0, 1, 2].map((trial) => reportRow(index, { trial })))
    const out = renderEvalTable(evalReport({ trials: 3, rows, datasetRows: 2 }), { color: false })
    expect(out.split('\n')[0]).toBe(
      'FAIL  support bot  test/support.eval.ts  2 rows × 3 trials, 0 errored',
    )
  })
})

describe('failing and errored rows', () => {
  const failing = (index: number) =>
    reportRow(index, {
      id: `case-${index}`,
      passed: false,
      feedback: [
        feedback('exact_match', {
          value: false,
          score: 0,
          passed: false,
          rationale: 'expected "Paris"',
        }),
        feedback('tone', { value: null, score: null, passed: null }), // abstained: not a failure
      ],
    })

  test('are listed under the table: failing values with their rationale, errors with code and message', () => {
    const out = renderEvalTable(
      evalReport({
        rows: [
          row(0),
          failing(1),
          reportRow(2, {
            passed: false,
            feedback: [
              feedback('judge', {
                value: null,
                score: null,
                passed: false,
                error: { code: 'SCORER_ERROR', message: 'TypeError: fetch failed' },
              }),
            ],
          }),
          reportRow(3, {
            passed: false,
            error: { code: 'TIMEOUT', message: 'row timed out after 60000 ms' },
          }),
        ],
        erroredRows: 2,
        maxErrors: 2,
      }),
      { color: false },
    ).split('\n')
    const at = out.indexOf('  failing and errored rows (3):')
    expect(at).toBeGreaterThan(0)
    expect(out.slice(at + 1)).toEqual([
      '  ✗ row "case-1", exact_match: false (rationale: expected "Paris")',
      '  ✗ row [2], judge: error SCORER_ERROR: TypeError: fetch failed',
      '  ✗ row [3]: error TIMEOUT: row timed out after 60000 ms',
    ])
  })

  test('the first 10, then how many more; long rationales wrap within the width', () => {
    const rows = Array.from({ length: 13 }, (_, i) => failing(i))
    rows[0]!.feedback[0]!.rationale = `${'The answer names Lyon, not Paris. '.repeat(4)}`
    const out = renderEvalTable(evalReport({ rows }), { color: false, width: 60 }).split('\n')
    for (const line of out) expect([...line].length, line).toBeLessThanOrEqual(60)
    const at = out.indexOf('  failing and errored rows (13):')
    const listed = out.slice(at + 1)
    expect(listed.filter((l) => l.startsWith('  ✗ '))).toHaveLength(10)
    expect(listed[1]).toMatch(/^ {4}\S/) // the rationale's continuation, indented
    expect(listed.at(-1)).toBe('  ... and 3 more (see the JSON artifact)')
  })

  test('a line too long for the width puts the rationale under what failed, whole when it fits', () => {
    const rows = [
      reportRow(0, {
        id: 'bad-01',
        passed: false,
        feedback: [
          feedback('exact_match', {
            value: false,
            score: 0,
            passed: false,
            rationale: 'expected right, got wrong answer 101, which is not right at all',
          }),
        ],
      }),
    ]
    const out = renderEvalTable(evalReport({ rows }), { color: false }).split('\n')
    expect(out.slice(-2)).toEqual([
      '  ✗ row "bad-01", exact_match: false',
      '    rationale: expected right, got wrong answer 101, which is not right at all',
    ])
  })

  test('an eval where every row passed lists nothing', () => {
    expect(renderEvalTable(evalReport(), { color: false })).not.toContain('failing and errored')
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

  test('money is rounded to cents, below a cent is <$0.01, and requests that all failed cost $0.00', () => {
    const line = (over: Partial<EvalReport['usage']>) => usageLine(usage(over))!.split(', ').at(-1)
    expect(
      line({ requests: 3, inputTokens: 9000, outputTokens: 800, costUsd: 0.2880000000000003 }),
    ).toBe('$0.29')
    expect(line({ requests: 3, inputTokens: 9000, outputTokens: 800, costUsd: 0.28 })).toBe('$0.28')
    expect(line({ requests: 1, inputTokens: 10, outputTokens: 2, costUsd: 0.000042 })).toBe(
      '<$0.01',
    )
    expect(line({ requests: 1, inputTokens: 10, outputTokens: 2, costUsd: 1234.5 })).toBe(
      '$1234.50',
    )
    // Every request failed: no token was billed, whatever the price.
    for (const costUsd of [0, null]) {
      expect(usageLine(usage({ requests: 4, costUsd }))).toBe(
        'judges: 4 requests, 0 cache hits, 0 in / 0 out tokens, $0.00 (no tokens used)',
      )
    }
  })

  test('an eval without judges prints no usage line', () => {
    expect(usageLine(emptyUsage())).toBeUndefined()
    expect(renderEvalTable(evalReport(), { color: false })).not.toContain('judges:')
  })
})

describe('trials and statistics', () => {
  /** A yes/no metric of rows × trials with its interval and flaky rows. */
  const withStats = (
    count: number,
    values: Record<string, number | null>,
    ci: { low: number; high: number; method?: 't' | 'wilson' | 'bootstrap' } | null,
    flaky?: number,
  ): EvalReport['metrics'][string] => {
    const m = metric(count, values)
    m.stderr = ci === null ? null : (ci.high - ci.low) / 4
    m.ci =
      ci === null ? null : { level: 0.95, method: ci.method ?? 't', low: ci.low, high: ci.high }
    if (flaky !== undefined) m.flaky = flaky
    return m
  }

  /** Row `index`'s trials: `marks[t]` true passed, false failed, null errored. */
  const trialsOf = (index: number, marks: readonly (boolean | null)[]) =>
    marks.map((m, trial) =>
      reportRow(index, {
        id: `q${index}`,
        trial,
        passed: m === true,
        feedback: [
          m === null
            ? feedback('correct', {
                value: null,
                score: null,
                passed: null,
                error: { code: 'SCORER_ERROR', message: 'boom' },
              })
            : feedback('correct', { value: m, score: m ? 1 : 0, passed: m }),
        ],
      }),
    )

  test("a 95% CI column after the mean: [low, high] in the metric's unit, – without an interval", () => {
    const out = renderEvalTable(
      evalReport({
        status: 'passed',
        metrics: {
          exact_match: withStats(
            4,
            { mean: 0.75, p50: 1, p90: 1, min: 0, max: 1, passRate: 0.75 },
            { low: 0.30064, high: 0.95442, method: 'wilson' },
          ),
          latency_ms: withStats(
            4,
            { mean: 1234.5678, p50: 1200.4, p90: 2100.6, min: 980, max: 2200 },
            { low: 1017.6, high: 1451.4 },
          ),
          lonely: withStats(1, { mean: 1, p50: 1, p90: 1, min: 1, max: 1, passRate: 1 }, null),
        },
        thresholds: [],
        failures: [],
      }),
      { color: false },
    ).split('\n')
    expect(lines(out, 1, 4)).toEqual([
      'metric       count errors mean         95% CI  p50  p90 min  max passRate',
      'exact_match      4      0 0.75 [0.301, 0.954]    1    1   0    1     0.75',
      'latency_ms       4      0 1235   [1018, 1451] 1200 2101 980 2200        –',
      'lonely           1      0    1              –    1    1   1    1        1',
    ])
  })

  test('with trials: flaky per metric, gated pass^k alone of the pass@k / pass^k, within 80 columns', () => {
    const rows = [
      ...trialsOf(0, [true, true, true, true, true]),
      ...trialsOf(1, [true, false, true, true, false]),
      ...trialsOf(2, [false, null, false, false, false]),
    ]
    const passes = Object.fromEntries(
      [1, 2, 3, 4, 5].flatMap((k) => [
        [`pass@${k}`, 0.6],
        [`pass^${k}`, 0.3],
      ]),
    )
    const out = renderEvalTable(
      evalReport({
        status: 'failed',
        trials: 5,
        rows,
        datasetRows: 3,
        erroredRows: 1,
        metrics: {
          correct: withStats(
            14,
            { mean: 0.5, p50: 0.5, p90: 1, min: 0, max: 1, passRate: 0.5, ...passes },
            { low: 0.1875, high: 0.8125 },
            1,
          ),
          latency_ms: withStats(
            15,
            { mean: 812.4, p50: 800, p90: 990, min: 700, max: 1010 },
            { low: 760, high: 865 },
            0,
          ),
        },
        thresholds: [{ key: 'correct/pass^5', min: 0.3, actual: 0.3, passed: true }],
        failures: [],
      }),
      { color: false },
    ).split('\n')
    for (const line of out) expect([...line].length, line).toBeLessThanOrEqual(80)
    expect(out[0]).toBe('FAIL  support bot  test/support.eval.ts  3 rows × 5 trials, 1 errored')
    expect(lines(out, 1, 3)).toEqual([
      'metric      count errors mean         95% CI p50 p90 min  max passRate flaky',
      'correct        14      0  0.5 [0.188, 0.813] 0.5   1   0    1      0.5     1',
      'latency_ms     15      0  812     [760, 865] 800 990 700 1010        –     –',
    ])
    // The one gated pass^k has a column (here in a second table of the same metrics); the
    // nine others do not.
    expect(lines(out, 4, 6)).toEqual([
      'metric      pass^5',
      'correct        0.3',
      'latency_ms       –',
    ])
    expect(out.join('\n')).not.toMatch(/pass@|pass\^[1-4]/)
  })

  test('flaky rows are listed under the table: row, metric, trials passed of judged, each trial', () => {
    const rows = [
      ...trialsOf(0, [true, true, true]),
      ...trialsOf(1, [true, false, true]),
      ...trialsOf(2, [false, null, true]),
      ...trialsOf(3, [false, null, false]),
    ]
    const out = renderEvalTable(
      evalReport({ status: 'passed', trials: 3, rows, datasetRows: 4, thresholds: [] }),
      { color: false },
    ).split('\n')
    const at = out.indexOf('  flaky rows (2): trials that disagree')
    expect(at).toBeGreaterThan(0)
    expect(out.slice(at + 1)).toEqual([
      '  ~ row "q1", correct: passed 2 of 3 trials (✓✗✓)',
      '  ~ row "q2", correct: passed 1 of 2 trials (✗!✓)',
    ])
    // The failing trials are listed as failing rows too, each with its trial.
    expect(out).toContain('  ✗ row "q1" (trial 1), correct: false')
  })

  test('the first 10 flaky rows, then how many more; none with one trial', () => {
    const rows = Array.from({ length: 12 }, (_, i) => trialsOf(i, [true, false])).flat()
    const out = renderEvalTable(
      evalReport({ status: 'passed', trials: 2, rows, datasetRows: 12, thresholds: [] }),
      { color: false },
    ).split('\n')
    const at = out.indexOf('  flaky rows (12): trials that disagree')
    expect(out.slice(at + 1).filter((l) => l.startsWith('  ~ '))).toHaveLength(10)
    expect(out.at(-1)).toBe('  ... and 2 more (see the JSON artifact)')
    const single = renderEvalTable(evalReport(), { color: false })
    expect(single).not.toContain('flaky')
  })

  test('gates with confidence show the level in the target, and the bound, interval and n passing or failing', () => {
    const interval = '95% CI [0.74, 0.86] (t, n = 150 in 50 rows)'
    const out = renderEvalTable(
      evalReport({
        thresholds: [
          {
            key: 'correct/mean',
            min: 0.7,
            confidence: 0.95,
            actual: 0.8,
            bound: 0.74,
            passed: true,
            reason: interval,
          },
          {
            key: 'correct/passRate',
            min: 0.8,
            confidence: 0.95,
            actual: 0.8,
            bound: 0.74,
            passed: false,
            reason: `lower bound 0.74 < min 0.8 (${interval})`,
          },
          {
            key: 'correct/pass^3',
            min: 0.9,
            confidence: 0.95,
            require: 'plausible',
            actual: 0.85,
            bound: 0.93,
            passed: true,
            reason: '95% CI [0.77, 0.93] (t, n = 50)',
          },
          {
            key: 'latency_ms/mean',
            max: 900,
            confidence: 0.9,
            actual: 812.4,
            bound: 865.2,
            passed: true,
            reason: '90% CI [760, 865] (t, n = 150 in 50 rows)',
          },
        ],
      }),
      { color: false },
    ).split('\n')
    for (const line of out) expect([...line].length, line).toBeLessThanOrEqual(80)
    const at = out.findIndex((l) => l.startsWith('  gate'))
    expect(lines(out, at, at + 8)).toEqual([
      'gate              target                   actual  result',
      'correct/mean      >= 0.7 (95%)                0.8  PASS',
      `  lower bound 0.74 >= min 0.7 (${interval})`,
      'correct/passRate  >= 0.8 (95%)                0.8  FAIL',
      `  lower bound 0.74 < min 0.8 (${interval})`,
      'correct/pass^3    >= 0.9 (95%, plausible)    0.85  PASS',
      '  upper bound 0.93 >= min 0.9 (95% CI [0.77, 0.93] (t, n = 50))',
      'latency_ms/mean   <= 900 (90%)                812  PASS',
      '  upper bound 865 <= max 900 (90% CI [760, 865] (t, n = 150 in 50 rows))',
    ])
  })
})
