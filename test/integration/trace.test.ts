import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Report, ReportSchema } from '../../src/core/report-schema.js'
import type { TraceJSON } from '../../src/trace/index.js'
import { copyProject, runVitest } from './harness.js'

let dir: string
beforeAll(() => {
  dir = copyProject('trace')
})

function readReport(file: string): Report {
  return ReportSchema.parse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))
}

describe('traces in a real Vitest run', () => {
  it('records each row in its own trace, scorers read it, and the artifact carries it; a second eval re-scores it with fromReport', async () => {
    const first = await runVitest(dir, ['run', 'traced.eval.ts'])
    expect(first.code, first.output).toBe(0)
    const report = readReport('report.json')
    const e = report.evals.find((x) => x.name === 'traced agent')!
    expect(e.status).toBe('passed')
    expect(e.metrics.tool_call_trajectory).toMatchObject({ count: 3, mean: 1 })
    expect(e.metrics.retrieved_document_recall!.mean).toBeCloseTo(2 / 3, 10)

    const traces: Record<string, TraceJSON> = Object.fromEntries(
      e.rows.map((r) => [String(r.id), r.trace as TraceJSON]),
    )
    expect(traces.refund!.spans.map((s) => [s.name, s.type])).toEqual([
      ['task', 'CHAIN'],
      ['support_agent', 'AGENT'],
      ['get_order', 'TOOL'],
      ['search_docs', 'RETRIEVER'],
    ])
    expect(new Set(e.rows.map((r) => (r.trace as TraceJSON).traceId)).size).toBe(3)
    const root = traces.refund!.spans[0]!
    expect(root).toMatchObject({
      parentId: null,
      inputs: { question: 'Can I get a refund for order 42?' },
      outputs: 'Order 42 is delivered. Refunds are accepted within 30 days.',
      status: { code: 'OK', message: null },
    })
    expect(traces.refund!.spans[3]!.outputs).toEqual([
      { id: 'refund-policy', text: 'Refunds are accepted within 30 days.' },
    ])
    // The 50 kB invoice is capped in the artifact, with a marker saying so.
    const invoice = traces.invoice!.spans.find((s) => s.name === 'fetch_invoice')!
    expect(invoice.outputs).toMatchObject({ __truncated__: true, originalBytes: 50_019 })
    expect(readFileSync(path.join(dir, 'report.json'), 'utf8').length).toBeLessThan(40_000)

    const second = await runVitest(dir, ['run', 'rescore.eval.ts'], {
      FIXTURE_REPORT: 'rescore-report.json',
    })
    expect(second.code, second.output).toBe(0)
    const rescored = readReport('rescore-report.json').evals[0]!
    expect(rescored.name).toBe('traced agent (re-scored)')
    // No task ran: no latency metric, and outputs and traces are the stored ones.
    expect(Object.keys(rescored.metrics).sort()).toEqual(['calls_superset', 'tool_count'])
    expect(rescored.rows.map((r) => [r.id, r.latencyMs])).toEqual([
      ['refund', null],
      ['shipping', null],
      ['invoice', null],
    ])
    expect(rescored.rows.map((r) => r.feedback.find((f) => f.name === 'tool_count'))).toEqual([
      expect.objectContaining({ value: 1, rationale: 'get_order' }),
      expect.objectContaining({ value: 0, rationale: 'no tools' }),
      expect.objectContaining({ value: 2, rationale: 'get_order, fetch_invoice' }),
    ])
    expect(rescored.rows[0]!.outputs).toBe(e.rows[0]!.outputs)
    expect(rescored.rows[0]!.trace).toEqual(e.rows[0]!.trace)
  })

  it('fromReport with an eval name that is not in the report names the evals that are', async () => {
    const seed = await runVitest(dir, ['run', 'traced.eval.ts'])
    expect(seed.code, seed.output).toBe(0)
    const r = await runVitest(dir, ['run', 'unknown-eval.eval.ts'], {
      FIXTURE_REPORT: 'unknown-report.json',
    })
    expect(r.code).toBe(1)
    expect(r.output).toContain(
      'evalgate: fromReport(): no eval named "traced agnet" in report.json; the evals in it are: "traced agent"',
    )
  })

  it('fromReport with a missing file says which file and where it looked', async () => {
    const r = await runVitest(dir, ['run', 'rescore.eval.ts'], {
      FIXTURE_FROM: 'nowhere/report.json',
      FIXTURE_REPORT: 'missing-report.json',
    })
    expect(r.code).toBe(1)
    expect(r.output).toContain(
      `evalgate: fromReport(): report file not found: nowhere/report.json (resolved to ${path.join(dir, 'nowhere/report.json')})`,
    )
  })
})
