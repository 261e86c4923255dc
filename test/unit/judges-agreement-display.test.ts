// Issue 14: a judge's agreement with human labels, shown in the terminal table and the Markdown.
import { describe, expect, it } from 'vitest'
import { prepareEval, summarizeEval } from '../../src/core/evaluate.js'
import { type EvalReport, emptyUsage } from '../../src/core/report.js'
import type { RowResult } from '../../src/core/run.js'
import { scorer } from '../../src/core/scorer.js'
import { agreementLines, metricColumns } from '../../src/reporter/format.js'
import { renderMarkdown } from '../../src/reporter/markdown.js'
import { renderEvalTable } from '../../src/reporter/table.js'
import { report } from './fixtures/report.js'

const judge = scorer('correctness', () => 'yes')

function row(index: number, judged: boolean, human: string): RowResult {
  return {
    index,
    trial: 0,
    id: null,
    inputs: {},
    outputs: 'x',
    expectations: { human: { correctness: human } },
    metadata: null,
    latencyMs: null,
    feedback: [
      {
        name: 'correctness',
        scorer: 'correctness',
        value: judged ? 'yes' : 'no',
        score: judged ? 1 : 0,
        passed: judged,
        rationale: null,
        error: null,
        source: { type: 'LLM_JUDGE', id: 'm' },
        metadata: null,
      },
    ],
    error: null,
    passed: judged,
    trace: null,
  }
}

/** Cohen's classic table: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no (κ = 0.4), through core. */
function evalWithAgreement(): EvalReport {
  const rows: RowResult[] = []
  const cells: Array<[boolean, string, number]> = [
    [true, 'yes', 20],
    [true, 'no', 5],
    [false, 'yes', 10],
    [false, 'no', 15],
  ]
  for (const [j, h, n] of cells) for (let i = 0; i < n; i++) rows.push(row(rows.length, j, h))
  const thresholds = { 'correctness/kappa': 0.3 }
  const s = summarizeEval(prepareEval({ scorers: [judge], hasTask: false, thresholds }), rows)
  return {
    name: 'judge vs people',
    file: 'test/judge.eval.ts',
    status: 'passed',
    trials: 1,
    rows: [],
    metrics: s.metrics,
    thresholds: s.thresholds,
    ...(s.agreement === undefined ? {} : { agreement: s.agreement }),
    maxErrors: 0,
    erroredRows: 0,
    datasetRows: 50,
    failures: [],
    usage: emptyUsage(),
  } as EvalReport
}

describe('agreement with human labels in the reports', () => {
  it('one line per judged metric, with every figure', () => {
    const e = evalWithAgreement()
    const [line] = agreementLines(e)
    expect(line).toMatch(
      /^correctness: agreement with human labels: n 50, accuracy 0\.7, κ 0\.4, TPR 0\.667, TNR 0\.75, corrected pass rate [0-9.]+ \[[0-9.]+, [0-9.]+\]$/,
    )
    expect(agreementLines({ ...e, agreement: undefined } as EvalReport)).toEqual([])
  })

  it('in the terminal table; only the gated figure (kappa) gets a metric column', () => {
    const e = evalWithAgreement()
    const out = renderEvalTable(e, { color: false, width: 200 })
    expect(out).toContain('correctness: agreement with human labels: n 50, accuracy 0.7, κ 0.4')
    expect(metricColumns(e)).toContain('kappa')
    expect(metricColumns(e)).not.toContain('accuracy')
    expect(metricColumns(e)).not.toContain('corrected')
    // The gate still says its value.
    expect(out).toMatch(/correctness\/kappa.*0\.4/)
  })

  it('in the Markdown', () => {
    const md = renderMarkdown(report([evalWithAgreement()]))
    expect(md).toContain('- correctness: agreement with human labels: n 50, accuracy 0.7, κ 0.4')
  })
})
