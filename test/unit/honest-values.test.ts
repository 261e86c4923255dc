// Issue 9, items 1, 2, 9, 15 (two evals of one name), 19 (MLflow parity), and the v1 → v2
// artifact reader: one odd value is one errored Feedback in one row, never a lost artifact.
import { describe, expect, it } from 'vitest'
import type { EvalSuiteMeta } from '../../src/core/meta.js'
import { buildReport, REPORT_SCHEMA_VERSION } from '../../src/core/report.js'
import { parseReport } from '../../src/core/report-read.js'
import { ReportSchema } from '../../src/core/report-schema.js'
import { type RowResult, runRow } from '../../src/core/run.js'
import { normalizeFeedback, type Scorer, scorer } from '../../src/core/scorer.js'
import { Trace } from '../../src/trace/trace.js'

const HOST = { name: 'vitest', version: '4.1.12' } as const

function suite(name: string, file: string, rows: RowResult[]): EvalSuiteMeta {
  return {
    kind: 'eval',
    name,
    file,
    hasTask: false,
    metrics: ['ok'],
    gates: [],
    maxErrors: 0,
    datasetRows: rows.length,
    trials: 1,
    summary: {
      rows: rows.length,
      erroredRows: 0,
      failedRows: 0,
      metrics: {},
      thresholds: [],
      maxErrors: 0,
      passed: true,
      failures: [],
    } as unknown as EvalSuiteMeta['summary'],
  }
}

function report(evals: Array<{ meta: EvalSuiteMeta; rows: RowResult[] }>) {
  return buildReport({
    evals,
    startedAt: new Date(0),
    durationMs: 1,
    version: '0.0.0',
    host: HOST,
    hostFailed: false,
  })
}

const ok = scorer('ok', () => true)

describe('item 1: every value a row stores is a JSON-safe copy', () => {
  const cycle: Record<string, unknown> = { a: 1 }
  cycle.self = cycle
  const odd = {
    big: 12n,
    cycle,
    fn: function helper() {},
    sym: Symbol('s'),
    nan: Number.NaN,
    nested: [undefined, 1n, { inf: Number.POSITIVE_INFINITY }],
  }

  it('outputs, inputs, expectations and metadata of a task row become JSON with the trace rules', async () => {
    const result = await runRow({
      row: {
        inputs: { q: 'x', n: 3n },
        expectations: { e: cycle },
        metadata: { fn: () => 1, s: Symbol('m') },
      },
      index: 0,
      scorers: [ok],
      task: () => odd,
    })
    expect(result.passed).toBe(true)
    const text = JSON.stringify(result)
    expect(JSON.parse(text)).toEqual(result)
    expect(result.outputs).toEqual({
      big: '12n',
      cycle: { a: 1, self: '[Circular]' },
      fn: '[Function helper]',
      nan: null,
      nested: [null, '1n', { inf: null }],
    })
    expect(result.inputs).toEqual({ q: 'x', n: '3n' })
    expect(result.expectations).toEqual({ e: { a: 1, self: '[Circular]' } })
    expect(result.metadata).toEqual({ fn: '[Function fn]' })
    // The row crosses to the reporter's process by structured clone: a function or a symbol
    // anywhere would make that throw, and the eval would be silently missing.
    expect(() => structuredClone(result)).not.toThrow()
  })

  it('keeps plain data as it is, uncopied, and truncates a huge output with a marker', async () => {
    const outputs = { answer: 'Paris', list: [1, 2, 3] }
    const plain = await runRow({ row: { inputs: { q: 'x' }, outputs }, index: 0, scorers: [ok] })
    expect(plain.outputs).toBe(outputs)
    const huge = 'x'.repeat(300 * 1024)
    const big = await runRow({
      row: { inputs: { q: 'x' } },
      index: 0,
      scorers: [ok],
      task: () => huge,
    })
    expect(big.outputs).toMatchObject({ __truncated__: true, originalBytes: huge.length + 2 })
  })

  it('a value whose getter throws is stored as a marker, and the row is kept', async () => {
    const boom = {
      get answer(): string {
        throw new Error('getter threw')
      },
    }
    const r = await runRow({
      row: { inputs: { q: 'x' }, metadata: { boom } },
      index: 0,
      scorers: [ok],
      task: () => 'y',
    })
    expect(r.passed).toBe(true)
    expect(r.metadata).toEqual({ boom: '[Unserialisable: getter threw]' })
  })

  it('a report built from such rows passes ReportSchema', async () => {
    const r = await runRow({ row: { inputs: { n: 1n } }, index: 0, scorers: [ok], task: () => odd })
    const rep = report([{ meta: suite('e', 'a.eval.ts', [r]), rows: [r] }])
    expect(ReportSchema.safeParse(JSON.parse(JSON.stringify(rep))).success).toBe(true)
  })
})

describe('item 2: normalisation accepts exactly what the report schema accepts', () => {
  const s: Scorer = { name: 'judge', score: () => true }
  const cycle: Record<string, unknown> = {}
  cycle.me = cycle
  const cases: Array<[string, unknown, string]> = [
    ['a bigint value', { value: 1n }, '"value" must be a boolean, a number, a string'],
    ['a bigint nested in value', { value: { n: 1n } }, '"value".n is a bigint (1n)'],
    ['a cycle in metadata', { value: 1, metadata: cycle }, '"metadata".me refers back to itself'],
    [
      'a function in metadata',
      { value: 1, metadata: { f: () => 1 } },
      '"metadata".f is a function',
    ],
    ['a numeric source id', { value: 1, source: { type: 'CODE', id: 42 } }, '"source" must be'],
    [
      'an extra key in error',
      { error: { code: 'X', message: 'm', extra: 1 } },
      '"error" must be { code: string, message: string, stack?: string }',
    ],
    [
      'a negative cost',
      { value: 'yes', metadata: { usage: { requests: 1, costUsd: -1 } } },
      '"metadata.usage.costUsd" is -1',
    ],
  ]
  for (const [what, returned, message] of cases) {
    it(`${what} is a SCORER_ERROR naming the scorer and the field`, () => {
      const [fb] = normalizeFeedback(s, returned)
      expect(fb?.error?.code).toBe('SCORER_ERROR')
      expect(fb?.error?.message).toContain('scorer "judge"')
      expect(fb?.error?.message).toContain(message)
    })
  }

  it('a Date in metadata is accepted (it has toJSON)', () => {
    const [fb] = normalizeFeedback(s, { value: 1, metadata: { at: new Date(0) } })
    expect(fb?.error).toBeUndefined()
  })
})

describe('item 19: MLflow parity', () => {
  it('a scorer returning null or [] abstains: neither value nor error, for each metric', () => {
    expect(normalizeFeedback(ok, null)).toEqual([
      { name: 'ok', source: { type: 'CODE', id: 'ok' } },
    ])
    expect(normalizeFeedback({ ...ok, metrics: ['a', 'b'] }, [])).toEqual([
      { name: 'a', source: { type: 'CODE', id: 'ok' } },
      { name: 'b', source: { type: 'CODE', id: 'ok' } },
    ])
  })

  it('an abstention neither passes nor fails the row, and is no error', async () => {
    const abstain = scorer('maybe', () => null)
    const r = await runRow({ row: { inputs: {}, outputs: 'x' }, index: 0, scorers: [abstain] })
    expect(r.feedback).toEqual([
      expect.objectContaining({
        name: 'maybe',
        value: null,
        error: null,
        passed: null,
        score: null,
      }),
    ])
    expect(r.passed).toBe(true)
  })

  it('a Feedback named "feedback" takes the scorer\'s name', () => {
    expect(normalizeFeedback(ok, { name: 'feedback', value: true })[0]?.name).toBe('ok')
  })

  it('a static row gets a minimal trace whose root span holds its inputs and outputs', async () => {
    const reads = scorer('reads_trace', ({ trace }) => {
      const t = trace as Trace
      return (
        Trace.isTrace(t) &&
        t.rootSpan?.outputs === 'Paris' &&
        (t.rootSpan.inputs as { q: string }).q === 'capital?'
      )
    })
    const r = await runRow({
      row: { inputs: { q: 'capital?' }, outputs: 'Paris' },
      index: 0,
      scorers: [reads],
    })
    expect(r.feedback[0]?.value).toBe(true)
    // The minimal trace repeats the row: it is not stored.
    expect(r.trace).toBeNull()
  })

  it('a row with only a stored trace is scored from its root span', async () => {
    const stored = {
      traceId: 't1',
      spans: [
        {
          spanId: 's1',
          parentId: null,
          name: 'app',
          type: 'CHAIN',
          startMs: 0,
          endMs: 5,
          inputs: { q: 'capital?' },
          outputs: 'Paris',
          attributes: {},
          status: { code: 'OK', message: null },
        },
      ],
    }
    const paris = scorer('paris', ({ outputs }) => outputs === 'Paris')
    const r = await runRow({
      row: { inputs: { q: 'capital?' }, trace: stored },
      index: 0,
      scorers: [paris],
    })
    expect(r.error).toBeNull()
    expect(r.feedback[0]?.value).toBe(true)
  })

  it('scorers receive the row metadata', async () => {
    const meta = scorer('meta', ({ metadata }) => metadata.lang === 'fr')
    const r = await runRow({
      row: { inputs: {}, outputs: 'x', metadata: { lang: 'fr' } },
      index: 0,
      scorers: [meta],
    })
    expect(r.feedback[0]?.value).toBe(true)
    expect(r.metadata).toEqual({ lang: 'fr' })
  })
})

describe('item 9: money is summed exactly', () => {
  it('many small costs sum to the exact total, in every total of the artifact', () => {
    const costs = Array.from({ length: 3600 }, () => 0.00008)
    const rows: RowResult[] = costs.map((costUsd, index) => ({
      index,
      trial: 0,
      id: null,
      inputs: {},
      outputs: 'x',
      expectations: null,
      metadata: null,
      latencyMs: null,
      feedback: [
        {
          name: 'j',
          scorer: 'j',
          value: 'yes',
          score: 1,
          passed: true,
          rationale: null,
          error: null,
          source: { type: 'LLM_JUDGE', id: 'm' },
          metadata: {
            usage: { requests: 1, cacheHits: 0, inputTokens: 1, outputTokens: 1, costUsd },
          },
        },
      ],
      error: null,
      passed: true,
      trace: null,
    }))
    const half = rows.length / 2
    const rep = report([
      { meta: suite('a', 'a.eval.ts', rows.slice(0, half)), rows: rows.slice(0, half) },
      { meta: suite('b', 'b.eval.ts', rows.slice(half)), rows: rows.slice(half) },
    ])
    expect(rep.usage.costUsd).toBe(0.288)
    expect(rep.usage.judges.j?.costUsd).toBe(0.288)
    expect(rep.evals[0]?.usage.costUsd).toBe(0.144)
  })
})

describe('item 15: two evals of one name in one run', () => {
  it('is an error in the report naming both files, and fails it', () => {
    const rep = report([
      { meta: suite('support', 'a.eval.ts', []), rows: [] },
      { meta: suite('support', 'b.eval.ts', []), rows: [] },
    ])
    expect(rep.status).toBe('failed')
    expect(rep.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('2 evals are named "support" (in a.eval.ts, b.eval.ts)'),
      }),
    ])
  })
})

describe('the artifact: version 2, and readers of version 1', () => {
  it('writes version 2 with the host, partial and trials', () => {
    const rep = report([])
    expect(rep.schemaVersion).toBe(REPORT_SCHEMA_VERSION)
    expect(REPORT_SCHEMA_VERSION).toBe(2)
    expect(rep.tool).toEqual({
      name: 'evalgate',
      version: '0.0.0',
      host: 'vitest',
      hostVersion: '4.1.12',
    })
    expect(rep.partial).toBe(false)
    expect(rep.status).toBe('passed')
  })

  it('a run the host failed is failed, whatever the evals say', () => {
    const rep = buildReport({
      evals: [],
      startedAt: new Date(0),
      durationMs: 1,
      version: '0.0.0',
      host: HOST,
      hostFailed: true,
    })
    expect(rep.status).toBe('failed')
  })

  const v1 = {
    schemaVersion: 1,
    tool: { name: 'evalgate', version: '0.1.0' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 5,
    status: 'passed',
    evals: [
      {
        name: 'e',
        file: 'a.eval.ts',
        status: 'passed',
        rows: [
          {
            index: 0,
            id: 'r0',
            inputs: { q: 1 },
            outputs: 'x',
            expectations: null,
            latencyMs: 1,
            feedback: [],
            error: null,
            passed: true,
            trace: null,
          },
        ],
        metrics: { ok: { count: 1, errors: 0, unscored: 0, mean: 1 } },
        thresholds: [{ key: 'ok/mean', min: 1, actual: 1, passed: true }],
        maxErrors: 0,
        erroredRows: 0,
        datasetRows: 1,
        failures: [],
        usage: {
          requests: 0,
          cacheHits: 0,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: null,
          judges: {},
        },
      },
    ],
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

  it('reads a version-1 artifact as version 2', () => {
    const upgraded = parseReport(v1, 'old.json')
    expect(ReportSchema.safeParse(upgraded).success).toBe(true)
    expect(upgraded.evals[0]?.rows[0]).toMatchObject({ trial: 0, metadata: null })
    expect(upgraded.evals[0]?.trials).toBe(1)
    expect(upgraded.evals[0]?.metrics.ok?.skipped).toBe(0)
  })

  it('refuses what is not an evalgate artifact, or is newer, naming the file', () => {
    expect(() => parseReport([], 'x.json')).toThrow('x.json is not an evalgate report')
    expect(() => parseReport({ tool: { name: 'other' } }, 'x.json')).toThrow(
      'x.json is not an evalgate report: expected "tool.name" to be "evalgate"',
    )
    expect(() => parseReport({ ...v1, schemaVersion: 3 }, 'x.json')).toThrow(
      'x.json has report schema version 3, newer than this evalgate reads (1 to 2); upgrade evalgate',
    )
    expect(() => parseReport({ ...v1, durationMs: -1 }, 'x.json')).toThrow(
      'x.json is not a valid evalgate report: "durationMs"',
    )
  })
})
