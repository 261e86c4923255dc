import { describe, expect, test } from 'vitest'
import { runEval } from '../../src/core/evaluate.js'
import {
  describeFailingRow,
  type FailingRowSource,
  failingRows,
  formatFeedbackValue,
  listFailingRows,
} from '../../src/core/failing-rows.js'
import { scorer } from '../../src/core/scorer.js'
import { describeEvalFailure, describeFeedbackFailure } from '../../src/core/verdict.js'

const exactMatch = scorer('exact_match', ({ outputs, expectations }) => ({
  value: outputs === expectations?.['expected'],
  rationale: `expected ${JSON.stringify(expectations?.['expected'])}`,
}))

const brittle = scorer('brittle', ({ outputs }) => {
  if (outputs === 'boom') throw new TypeError('cannot read properties of undefined')
  return true
})

describe('describeEvalFailure', () => {
  test('lists the failing and errored rows (id, metric, value, rationale or error) after the gate table', async () => {
    const { rows, summary } = await runEval({
      data: [
        {
          id: 'paris',
          inputs: { q: 'capital of France' },
          outputs: 'Paris',
          expectations: { expected: 'Paris' },
        },
        {
          id: 'lyon',
          inputs: { q: 'capital of France' },
          outputs: 'Lyon',
          expectations: { expected: 'Paris' },
        },
        { inputs: { q: 'crash' }, outputs: 'boom', expectations: { expected: 'Paris' } },
      ],
      scorers: [exactMatch, brittle],
      thresholds: { 'exact_match/mean': 0.9 },
      maxErrors: 1,
    })
    expect(summary.passed).toBe(false)
    const message = describeEvalFailure('capitals', summary, rows)
    const lines = message.split('\n')
    expect(lines[0]).toBe('eval "capitals" failed:')
    expect(lines[1]).toMatch(/^gate +target +actual +reason$/)
    // The reason is core's thresholds' own text; the actual and target are rendered here.
    expect(lines[3]).toMatch(/^exact_match\/mean +>= 0\.9 +0\.333 +\S/)
    const listed = lines.slice(lines.indexOf('failing and errored rows (3):') + 1)
    expect(listed).toEqual([
      '  row "lyon", exact_match: false (rationale: expected "Paris")',
      '  row [2], exact_match: false (rationale: expected "Paris")',
      '  row [2], brittle: error SCORER_ERROR: cannot read properties of undefined',
    ])
  })

  test('lists the first 10 failing results, then how many more', async () => {
    const { rows, summary } = await runEval({
      data: Array.from({ length: 14 }, (_, i) => ({
        inputs: { i },
        outputs: 'x',
        expectations: { expected: 'y' },
      })),
      scorers: [exactMatch],
      thresholds: { 'exact_match/mean': 0.5 },
    })
    const lines = describeEvalFailure('many', summary, rows).split('\n')
    const start = lines.indexOf('failing and errored rows (14):')
    expect(start).toBeGreaterThan(0)
    expect(lines.slice(start + 1)).toHaveLength(11)
    expect(lines[start + 1]).toBe('  row [0], exact_match: false (rationale: expected "y")')
    expect(lines[start + 10]).toBe('  row [9], exact_match: false (rationale: expected "y")')
    expect(lines.at(-1)).toBe('  ... and 4 more')
  })

  test('renders numbers as the table does: 12222, never 12220 or a raw float', async () => {
    const big = scorer('big', () => 12222.22122)
    const { rows, summary } = await runEval({
      data: [{ inputs: { q: 1 }, outputs: 'a' }],
      scorers: [big],
      thresholds: { 'big/p90': { min: 100000 } },
    })
    const message = describeEvalFailure('big numbers', summary, rows)
    const gate = message.split('\n')[3]!
    expect(gate).toMatch(/^big\/p90 +>= 100000 +12222 /)
    expect(gate).not.toContain('12220 ')
  })
})

describe('describeFeedbackFailure', () => {
  test('renders the threshold and the value with the one number formatter', () => {
    const line = describeFeedbackFailure(
      {
        name: 'relevance',
        scorer: 'relevance',
        value: 0.1 + 0.1,
        score: 0.1 + 0.1,
        passed: false,
        rationale: null,
        error: null,
        source: null,
        metadata: null,
      },
      0.1 + 0.2,
    )
    expect(line).toBe('relevance: value 0.2 (score 0.2) is below threshold 0.3')
  })
})

function row(over: Partial<FailingRowSource> & Pick<FailingRowSource, 'index'>): FailingRowSource {
  return { id: null, trial: 0, feedback: [], error: null, ...over }
}

const fb = (
  name: string,
  value: unknown,
  passed: boolean | null,
  more: { rationale?: string; error?: { code: string; message: string } } = {},
) => ({ name, value, passed, rationale: more.rationale ?? null, error: more.error ?? null })

describe('failingRows', () => {
  test('failing Feedback, errored Feedback and row errors, in row then trial order', () => {
    const entries = failingRows([
      row({ index: 2, error: { code: 'TASK_ERROR', message: 'timed out\nafter 10 ms' } }),
      row({
        index: 0,
        id: 'a',
        feedback: [fb('safety', 'no', false, { rationale: 'rude' }), fb('ok', true, true)],
      }),
      row({
        index: 1,
        feedback: [
          fb('judge', null, false, { error: { code: 'SCORER_ERROR', message: 'HTTP 500' } }),
        ],
      }),
    ])
    expect(entries.map(describeFailingRow)).toEqual([
      'row "a", safety: "no" (rationale: rude)',
      'row [1], judge: error SCORER_ERROR: HTTP 500',
      'row [2]: error TASK_ERROR: timed out after 10 ms',
    ])
    expect(entries[2]).toMatchObject({ metric: null, errored: true, value: '–' })
  })

  test('abstentions, values without a pass rule and passing values are not failures', () => {
    expect(
      failingRows([
        row({
          index: 0,
          feedback: [fb('tone', null, null), fb('length', 120, null), fb('safety', 'yes', true)],
        }),
      ]),
    ).toEqual([])
  })

  test('names the trial when the eval runs several (trials count from 0, as in the artifact)', () => {
    const rows = [
      row({ index: 0, trial: 1, id: 7, feedback: [fb('m', false, false)] }),
      row({ index: 0, trial: 0, id: 7, feedback: [fb('m', false, false)] }),
    ]
    expect(failingRows(rows, 3).map((e) => e.row)).toEqual(['7 (trial 0)', '7 (trial 1)'])
    // Derived from the rows when not given.
    expect(failingRows(rows).map((e) => e.row)).toEqual(['7 (trial 0)', '7 (trial 1)'])
    expect(failingRows([rows[1]!]).map((e) => e.row)).toEqual(['7'])
  })

  test('values: numbers formatted once, strings quoted, long values cut', () => {
    expect(formatFeedbackValue(12222.22122)).toBe('12222')
    expect(formatFeedbackValue(0.1 + 0.2)).toBe('0.3')
    expect(formatFeedbackValue('Lyon')).toBe('"Lyon"')
    expect(formatFeedbackValue({ a: [1, 2] })).toBe('{"a":[1,2]}')
    expect(formatFeedbackValue('x'.repeat(200))).toHaveLength(80)
    expect(formatFeedbackValue(null)).toBe('–')
  })

  test('listFailingRows: the first 10 lines, then a count', () => {
    const entries = failingRows(
      Array.from({ length: 12 }, (_, index) => row({ index, feedback: [fb('m', false, false)] })),
    )
    const lines = listFailingRows(entries)
    expect(lines).toHaveLength(11)
    expect(lines.at(-1)).toBe('... and 2 more')
    expect(listFailingRows(entries.slice(0, 10))).toHaveLength(10)
  })
})
