import { describe, expect, test } from 'vitest'
import type { EvalSuiteMeta } from '../../src/core/meta.js'
import { buildReport, emptyUsage, type Report, toReportRow } from '../../src/core/report.js'
import { ReportSchema, toJSONSchema } from '../../src/core/report-schema.js'
import type { RowResult } from '../../src/core/run.js'

function row(index: number, overrides: Partial<RowResult> = {}): RowResult {
  return {
    index,
    trial: 0,
    id: `r${index}`,
    inputs: { question: `q${index}` },
    outputs: `a${index}`,
    expectations: { expected_response: `a${index}` },
    metadata: null,
    latencyMs: 10 + index,
    feedback: [
      {
        name: 'exact_match',
        scorer: 'exact_match',
        value: true,
        score: 1,
        passed: true,
        rationale: null,
        error: null,
        source: { type: 'CODE', id: 'exact_match' },
        metadata: null,
      },
    ],
    error: null,
    passed: true,
    trace: null,
    ...overrides,
  }
}

const metric = {
  count: 2,
  errors: 0,
  unscored: 0,
  skipped: 0,
  mean: 1,
  min: 1,
  max: 1,
  median: 1,
  variance: 0,
  stdev: 0,
  p50: 1,
  p90: 1,
  p95: 1,
  p99: 1,
  passRate: 1,
}

function suite(name: string, file: string, summary: EvalSuiteMeta['summary']): EvalSuiteMeta {
  return {
    kind: 'eval',
    name,
    file,
    hasTask: true,
    metrics: ['exact_match', 'latency_ms'],
    gates: [{ key: 'exact_match/mean', metric: 'exact_match', aggregation: 'mean', min: 0.9 }],
    maxErrors: 0,
    datasetRows: 2,
    trials: 1,
    summary,
  }
}

function summary(passed: boolean): NonNullable<EvalSuiteMeta['summary']> {
  return {
    rows: 2,
    erroredRows: 0,
    failedRows: passed ? 0 : 1,
    metrics: { exact_match: metric, latency_ms: { ...metric, passRate: null } },
    thresholds: [
      passed
        ? { key: 'exact_match/mean', min: 0.9, actual: 1, passed: true }
        : {
            key: 'exact_match/mean',
            min: 0.9,
            actual: 0.5,
            passed: false,
            reason: '0.5 < min 0.9',
          },
    ],
    maxErrors: 0,
    partial: false,
    passed,
    failures: passed ? [] : ['exact_match/mean: 0.5 < min 0.9'],
  }
}

const startedAt = new Date('2026-01-02T03:04:05.678Z')
const host = { name: 'vitest', version: '4.0.0' } as const

function fullReport(): Report {
  return buildReport({
    evals: [{ meta: suite('qa', 'test/qa.eval.ts', summary(true)), rows: [row(1), row(0)] }],
    startedAt,
    durationMs: 1234,
    version: '0.1.0',
    host,
    hostFailed: false,
  })
}

describe('ReportSchema', () => {
  test('a full report parses, and parsing returns it unchanged', () => {
    const report = fullReport()
    expect(ReportSchema.parse(report)).toEqual(report)
    // JSON round trip: what the writer writes is what a reader parses.
    expect(ReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report)
  })

  test('a row with an errored feedback, a free-text value and a judge source parses', () => {
    const r = row(0, {
      feedback: [
        {
          name: 'tone',
          scorer: 'tone',
          value: 'friendly',
          score: null,
          passed: null,
          rationale: 'sounds nice',
          error: null,
          source: { type: 'LLM_JUDGE', id: 'gpt-4.1-mini' },
          metadata: { tokens: 12 },
        },
        {
          name: 'safety',
          scorer: 'safety',
          value: null,
          score: null,
          passed: false,
          rationale: null,
          error: { code: 'SCORER_ERROR', message: 'boom', stack: 'Error: boom' },
          source: null,
          metadata: null,
        },
      ],
      passed: false,
      error: { code: 'TASK_TIMEOUT', message: 'row timed out after 10 ms' },
    })
    const report = buildReport({
      evals: [{ meta: suite('qa', 'test/qa.eval.ts', summary(false)), rows: [r] }],
      startedAt,
      durationMs: 1,
      version: '0.1.0',
      host,
      hostFailed: false,
    })
    expect(ReportSchema.safeParse(report).success).toBe(true)
  })

  test('a missing field is rejected with its path', () => {
    const report = fullReport() as unknown as {
      evals: Array<{ rows: Array<Record<string, unknown>> }>
    }
    delete report.evals[0]!.rows[1]!['latencyMs']
    const result = ReportSchema.safeParse(report)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.path)).toEqual([['evals', 0, 'rows', 1, 'latencyMs']])
  })

  test('a wrong type is rejected with its path', () => {
    const report = fullReport() as unknown as { evals: Array<{ metrics: Record<string, unknown> }> }
    report.evals[0]!.metrics['exact_match'] = { ...metric, p90: '1' }
    const result = ReportSchema.safeParse(report)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['evals', 0, 'metrics', 'exact_match', 'p90'])
    expect(result.error?.issues[0]?.code).toBe('invalid_type')
  })

  test('an unknown key, a bad status and a non-ISO startedAt are rejected', () => {
    const bad = { ...fullReport(), extra: true, status: 'ok', startedAt: 'yesterday' }
    const result = ReportSchema.safeParse(bad)
    expect(result.success).toBe(false)
    const paths = result.error?.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['', 'status', 'startedAt']))
  })

  test('a NaN aggregate is rejected: the artifact never carries a non-number as a number', () => {
    const report = fullReport()
    report.evals[0]!.metrics['exact_match'] = { ...metric, mean: Number.NaN }
    expect(ReportSchema.safeParse(report).success).toBe(false)
  })
})

describe('buildReport', () => {
  test('orders rows by index then trial and evals by file then name, whatever the input order', () => {
    const rows = [row(2), row(0, { trial: 1 }), row(1), row(0)]
    const report = buildReport({
      evals: [
        { meta: suite('b', 'test/z.eval.ts', summary(true)), rows: [] },
        { meta: { ...suite('b', 'test/a.eval.ts', summary(true)), trials: 2 }, rows },
        { meta: suite('a', 'test/a.eval.ts', summary(true)), rows: [] },
        { meta: suite('Z', 'test/a.eval.ts', summary(true)), rows: [] },
      ],
      startedAt,
      durationMs: 5,
      version: '1.2.3',
      host,
      hostFailed: false,
    })
    expect(report.evals.map((e) => `${e.file}#${e.name}`)).toEqual([
      'test/a.eval.ts#Z',
      'test/a.eval.ts#a',
      'test/a.eval.ts#b',
      'test/z.eval.ts#b',
    ])
    expect(report.evals[2]!.rows.map((r) => `${r.index}.${r.trial}`)).toEqual([
      '0.0',
      '0.1',
      '1.0',
      '2.0',
    ])
    expect(report.evals[2]!.trials).toBe(2)
  })

  test('takes status, metrics, gates and failures from the summary; run fails when an eval fails', () => {
    const report = buildReport({
      evals: [
        { meta: suite('good', 'test/a.eval.ts', summary(true)), rows: [row(0)] },
        { meta: suite('bad', 'test/b.eval.ts', summary(false)), rows: [row(0)] },
      ],
      startedAt,
      durationMs: 5,
      version: '1.2.3',
      host,
      hostFailed: false,
    })
    expect(report.status).toBe('failed')
    expect(report.evals.map((e) => e.status)).toEqual(['passed', 'failed'])
    const bad = report.evals[1]!
    expect(bad.thresholds).toEqual(summary(false).thresholds)
    expect(bad.failures).toEqual(['exact_match/mean: 0.5 < min 0.9'])
    expect(bad.metrics['latency_ms']?.passRate).toBeNull()
    expect(report).toMatchObject({
      schemaVersion: 2,
      tool: { name: 'evalgate', version: '1.2.3', host: 'vitest', hostVersion: '4.0.0' },
      startedAt: '2026-01-02T03:04:05.678Z',
      durationMs: 5,
      partial: false,
      usage: emptyUsage(),
    })
  })

  test('an eval where no row ran is skipped, and does not fail the run', () => {
    const report = buildReport({
      evals: [
        { meta: suite('ran', 'test/a.eval.ts', summary(true)), rows: [row(0), row(1)] },
        { meta: suite('filtered', 'test/b.eval.ts', null), rows: [] },
      ],
      startedAt,
      durationMs: 5,
      version: '1.2.3',
      host,
      hostFailed: false,
    })
    expect(report.status).toBe('passed')
    // A run that left an eval out is partial (API.md: "a skipped eval").
    expect(report.partial).toBe(true)
    expect(report.evals[1]).toMatchObject({
      status: 'skipped',
      rows: [],
      metrics: {},
      thresholds: [],
      erroredRows: 0,
      datasetRows: 2,
      failures: [],
    })
    expect(ReportSchema.safeParse(report).success).toBe(true)
  })

  test('copies only the artifact fields and records undefined outputs and trace as null', () => {
    const r = { ...row(0, { outputs: undefined, trace: undefined }), secret: 'x' } as RowResult
    const report = buildReport({
      evals: [{ meta: suite('qa', 'test/qa.eval.ts', summary(true)), rows: [r] }],
      startedAt,
      durationMs: 5,
      version: '1.2.3',
      host,
      hostFailed: false,
    })
    const out = report.evals[0]!.rows[0]!
    expect(out.outputs).toBeNull()
    expect(out.trace).toBeNull()
    expect(Object.keys(out)).not.toContain('secret')
    expect(ReportSchema.safeParse(report).success).toBe(true)
  })

  test('toReportRow keeps a RowResult of exactly the artifact fields as it is, and copies any other', () => {
    const exact = row(0)
    expect(toReportRow(exact)).toBe(exact)
    // An extra field on a feedback entry, or an undefined outputs: a copy without it.
    const extraFeedback = row(1)
    ;(extraFeedback.feedback[0] as unknown as Record<string, unknown>)['internal'] = 1
    const copied = toReportRow(extraFeedback)
    expect(copied).not.toBe(extraFeedback)
    expect(Object.keys(copied.feedback[0]!)).not.toContain('internal')
    const noOutputs = toReportRow(row(2, { outputs: undefined }))
    expect(noOutputs.outputs).toBeNull()
  })

  test('sums judge usage from feedback metadata per judge, per eval and per run', () => {
    const judged = (index: number, usage: Record<string, unknown>) => ({
      ...row(index),
      feedback: [
        {
          name: 'safety',
          scorer: 'safety',
          value: 'yes',
          score: 1,
          passed: true,
          rationale: 'fine',
          error: null,
          source: { type: 'LLM_JUDGE' as const, id: 'gpt-4.1-mini' },
          metadata: { usage },
        },
      ],
    })
    const paid = {
      model: 'm',
      requests: 2,
      cacheHits: 0,
      inputTokens: 100,
      outputTokens: 10,
      costUsd: 0.5,
    }
    const cached = {
      model: 'm',
      requests: 0,
      cacheHits: 1,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
    }
    const report = buildReport({
      evals: [
        {
          meta: suite('a', 'test/a.eval.ts', summary(true)),
          rows: [judged(0, paid), judged(1, cached)],
        },
        { meta: suite('b', 'test/b.eval.ts', summary(true)), rows: [judged(0, paid)] },
      ],
      startedAt,
      durationMs: 0,
      version: '1',
      host,
      hostFailed: false,
    })
    const a = { requests: 2, cacheHits: 1, inputTokens: 100, outputTokens: 10, costUsd: 0.5 }
    expect(report.evals[0]!.usage).toEqual({ ...a, judges: { safety: a } })
    const run = { requests: 4, cacheHits: 1, inputTokens: 200, outputTokens: 20, costUsd: 1 }
    expect(report.usage).toEqual({ ...run, judges: { safety: run } })
  })

  test('a paid request of unknown price makes the cost unknown, never a partial guess', () => {
    const withUsage = (usage: Record<string, unknown>) => ({
      ...row(0),
      feedback: [
        {
          name: 'j',
          scorer: 'j',
          value: 'yes',
          score: 1,
          passed: true,
          rationale: null,
          error: null,
          source: null,
          metadata: { usage },
        },
      ],
    })
    const report = buildReport({
      evals: [
        {
          meta: suite('a', 'test/a.eval.ts', summary(true)),
          rows: [
            withUsage({ requests: 1, inputTokens: 5, outputTokens: 1, costUsd: 0.1 }),
            {
              ...withUsage({ requests: 1, inputTokens: 5, outputTokens: 1, costUsd: null }),
              index: 1,
            },
          ],
        },
      ],
      startedAt,
      durationMs: 0,
      version: '1',
      host,
      hostFailed: false,
    })
    expect(report.usage.costUsd).toBeNull()
    expect(report.usage.inputTokens).toBe(10)
  })

  test('files that failed outside their rows are listed and fail the run', () => {
    const report = buildReport({
      evals: [{ meta: suite('a', 'test/a.eval.ts', summary(true)), rows: [row(0)] }],
      startedAt,
      durationMs: 0,
      version: '1',
      host,
      hostFailed: false,
      errors: [
        {
          file: 'test/bad.eval.ts',
          message: 'evalgate: data/x.jsonl line 3: "inputs" is required',
        },
      ],
    })
    expect(report.status).toBe('failed')
    expect(report.errors).toEqual([
      { file: 'test/bad.eval.ts', message: 'evalgate: data/x.jsonl line 3: "inputs" is required' },
    ])
    expect(ReportSchema.parse(report)).toEqual(report)
  })
})

describe('toJSONSchema', () => {
  test('is draft 2020-12, closed at the top, and requires every top-level field', () => {
    const schema = toJSONSchema()
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema['additionalProperties']).toBe(false)
    expect(schema['required']).toEqual([
      'schemaVersion',
      'tool',
      'startedAt',
      'durationMs',
      'status',
      'partial',
      'evals',
      'errors',
      'usage',
    ])
    // Serialisable as it is: this is what ships as evalgate/schema.json.
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
  })
})
