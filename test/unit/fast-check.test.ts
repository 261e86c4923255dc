import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { RowSchema } from '../../src/core/dataset.js'
import {
  fastRow,
  isReportRowFast,
  parsedReportFastProblem,
  reportFastProblem,
} from '../../src/core/fast-check.js'
import { ReportRowSchema, ReportSchema } from '../../src/core/report-schema.js'

// The fast paths must never accept what zod rejects, and must build what zod builds. They are
// checked against the schemas on many generated values: valid ones, invalid ones, and the
// unusual ones zod treats specially.

/** mulberry32: a small seeded generator, so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Box {
  x = 1
}

/** Values of every kind a row's field could hold, usual and unusual. */
function values(): unknown[] {
  const nullProto = Object.create(null) as Record<string, unknown>
  nullProto['q'] = 'x'
  const withSymbol = { q: 1, [Symbol('s')]: 2 }
  const hiddenSymbol = { q: 1 }
  Object.defineProperty(hiddenSymbol, Symbol('h'), { value: 1, enumerable: false })
  const nonEnumerable = { q: 1 }
  Object.defineProperty(nonEnumerable, 'hidden', { value: 2, enumerable: false })
  const sparse: unknown[] = []
  sparse[2] = 1
  return [
    undefined,
    null,
    true,
    false,
    0,
    -0,
    1.5,
    -3,
    2 ** 53,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    '',
    'text',
    [],
    [1, 'a'],
    sparse,
    {},
    { q: 'x', n: 1 },
    { 1: 'a', b: 2, 0: 'c' },
    nullProto,
    withSymbol,
    hiddenSymbol,
    nonEnumerable,
    JSON.parse('{"__proto__": {"x": 1}, "a": 1}'),
    { constructor: 'x' },
    { constructor: () => 1 },
    new Box(),
    new Date(0),
    new Map(),
    () => 1,
    Symbol('v'),
    10n,
  ]
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!
}

const TRACE = {
  traceId: 't1',
  spans: [
    {
      spanId: 's1',
      parentId: null,
      name: 'task',
      type: 'CHAIN',
      startMs: 0,
      endMs: 1,
      inputs: { q: 'from trace' },
      outputs: 'traced answer',
      attributes: {},
      error: null,
    },
  ],
}

function randomRow(r: () => number): unknown {
  const pool = values()
  const row: Record<string, unknown> = {}
  // Usually a valid base, so the fast path is exercised; then perturb some fields.
  if (r() < 0.8) row['inputs'] = { question: `q${Math.floor(r() * 100)}` }
  if (r() < 0.5) row['outputs'] = `a${Math.floor(r() * 100)}`
  if (r() < 0.5) row['expectations'] = { expected_response: 'x' }
  if (r() < 0.3) row['id'] = r() < 0.5 ? `id-${Math.floor(r() * 1e6)}` : Math.floor(r() * 1e6)
  if (r() < 0.2) row['metadata'] = { tag: 'x' }
  if (r() < 0.15) row['trace'] = r() < 0.5 ? TRACE : pick(r, pool)
  const fields = ['inputs', 'outputs', 'expectations', 'trace', 'id', 'metadata', 'extra']
  const perturbations = Math.floor(r() * 3)
  for (let i = 0; i < perturbations; i++) row[pick(r, fields)] = pick(r, pool)
  if (r() < 0.05) return pick(r, pool)
  return row
}

function feedback(r: () => number): Record<string, unknown> {
  return {
    name: 'm',
    scorer: 'm',
    value: pick(r, [true, 0.5, 'yes', null, ['a'], { k: 1 }]),
    score: pick(r, [1, 0, 0.5, null]),
    passed: pick(r, [true, false, null]),
    rationale: pick(r, [null, 'because']),
    error: pick(r, [null, { code: 'SCORER_ERROR', message: 'x' }]),
    source: pick(r, [null, { type: 'CODE' }, { type: 'LLM_JUDGE', id: 'gpt' }]),
    metadata: pick(r, [null, { usage: { requests: 1 } }]),
  }
}

function perturb(r: () => number, target: Record<string, unknown>, keys: readonly string[]): void {
  const pool = [
    ...values(),
    { code: 'X', message: 'y', stack: 's' },
    { code: 'X', message: 'y', stack: 1 },
    { code: 'X' },
    { type: 'HUMAN' },
    { type: 'ROBOT' },
    { type: 'CODE', id: 3 },
    // Schema v2: a trial must be a whole number >= 0; metadata a plain record or null.
    1,
    2.5,
    -1,
    { tag: 'x' },
    ['tag'],
  ]
  if (r() < 0.5) target[pick(r, keys)] = pick(r, pool)
  if (r() < 0.1) delete target[pick(r, keys)]
  if (r() < 0.05) target['extra'] = 1
}

function randomReportRow(r: () => number): unknown {
  const row: Record<string, unknown> = {
    index: Math.floor(r() * 100),
    trial: pick(r, [0, 1, 4]),
    id: pick(r, [null, 'a', 3]),
    inputs: { q: 'x' },
    outputs: pick(r, [null, 'a', { o: 1 }]),
    expectations: pick(r, [null, { e: 1 }]),
    metadata: pick(r, [null, {}, { tag: 'x', n: 1 }]),
    latencyMs: pick(r, [null, 0, 12.5]),
    feedback: Array.from({ length: Math.floor(r() * 3) }, () => feedback(r)),
    error: pick(r, [null, { code: 'TASK_ERROR', message: 'boom' }]),
    passed: r() < 0.5,
    trace: pick(r, [null, structuredClone(TRACE)]),
  }
  const fbs = row['feedback'] as Array<Record<string, unknown>>
  if (r() < 0.6) perturb(r, row, Object.keys(row))
  if (fbs.length > 0 && r() < 0.6) perturb(r, pick(r, fbs), Object.keys(fbs[0]!))
  return row
}

/** Keys of `v` and of its nested plain records, in order: zod's output and ours must agree. */
function keyOrder(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null
  return Object.keys(v).map((k) => [k, keyOrder((v as Record<string, unknown>)[k])])
}

describe('fastRow agrees with RowSchema', () => {
  test('on 20,000 generated rows: never accepts what zod rejects, and builds what zod builds', () => {
    const r = rng(20261123)
    let fast = 0
    let zodOk = 0
    for (let i = 0; i < 20_000; i++) {
      const value = randomRow(r)
      const row = fastRow(value)
      const parsed = RowSchema.safeParse(value)
      if (parsed.success) zodOk++
      if (row === undefined) continue
      fast++
      if (!parsed.success) expect.fail(`fastRow accepted what RowSchema rejects: ${inspect(value)}`)
      const data = { ...(parsed.data as Record<string, unknown>) }
      for (const k of Object.keys(data)) if (data[k] === undefined) delete data[k]
      expect(row).toStrictEqual(data)
      expect(keyOrder(row)).toEqual(keyOrder(data))
      // Copies, as zod makes them: the caller's objects are never handed back.
      expect(row.inputs).not.toBe((value as { inputs: unknown }).inputs)
    }
    // The generator is not vacuous: most valid rows take the fast path.
    expect(zodOk).toBeGreaterThan(5_000)
    expect(fast / zodOk).toBeGreaterThan(0.6)
  })

  test('takes the fast path for ordinary rows, and leaves the unusual ones to zod', () => {
    expect(fastRow({ inputs: { q: 'x' }, outputs: 'y', id: 1 })).toEqual({
      inputs: { q: 'x' },
      outputs: 'y',
      id: 1,
    })
    expect(fastRow({ inputs: { q: 'x' }, expectations: undefined })).toStrictEqual({
      inputs: { q: 'x' },
    })
    // A stored trace may supply the outputs: RowSchema's preprocess does that.
    expect(fastRow({ inputs: { q: 'x' }, trace: TRACE })).toBeUndefined()
    expect(fastRow({ inputs: new Box() })).toBeUndefined()
    expect(fastRow(JSON.parse('{"inputs": {"__proto__": 1}}'))).toBeUndefined()
    expect(fastRow({ inputs: {}, id: Number.NaN })).toBeUndefined()
    expect(fastRow({ inputs: {}, expectation: {} })).toBeUndefined()
  })
})

describe('isReportRowFast agrees with ReportRowSchema', () => {
  test('on 20,000 generated rows: never accepts what zod rejects', () => {
    const r = rng(7)
    let fast = 0
    let zodOk = 0
    for (let i = 0; i < 20_000; i++) {
      const value = randomReportRow(r)
      const ok = ReportRowSchema.safeParse(value).success
      if (ok) zodOk++
      if (!isReportRowFast(value)) continue
      fast++
      if (!ok) expect.fail(`isReportRowFast accepted what zod rejects: ${inspect(value)}`)
    }
    expect(zodOk).toBeGreaterThan(5_000)
    expect(fast / zodOk).toBeGreaterThan(0.9)
  })

  test('rejects a wrong type in each typed field of a row and of its feedback', () => {
    const fb = feedback(rng(1))
    const base: Record<string, unknown> = {
      index: 0,
      trial: 0,
      id: 'a',
      inputs: { q: 'x' },
      outputs: 'y',
      expectations: null,
      metadata: null,
      latencyMs: 1,
      feedback: [fb],
      error: null,
      passed: true,
      trace: null,
    }
    expect(isReportRowFast(base)).toBe(true)
    // `outputs` and `trace` are z.unknown(): any value is valid there.
    for (const key of Object.keys(base).filter((k) => k !== 'outputs' && k !== 'trace')) {
      expect(isReportRowFast({ ...base, [key]: Symbol('bad') }), key).toBe(false)
    }
    for (const key of Object.keys(fb)) {
      const row = { ...base, feedback: [{ ...fb, [key]: Symbol('bad') }] }
      expect(isReportRowFast(row), `feedback.${key}`).toBe(false)
    }
    // Schema v2's row fields: each value zod refuses is refused here too, and the fast path
    // takes the valid ones. A v1 row (without trial and metadata) is not a v2 row.
    const v2: Array<[string, unknown, boolean]> = [
      ['trial', 3, true],
      ['trial', -1, false],
      ['trial', 0.5, false],
      ['trial', null, false],
      ['trial', '0', false],
      ['metadata', { tag: 'x' }, true],
      ['metadata', {}, true],
      ['metadata', ['tag'], false],
      ['metadata', 'tag', false],
      ['metadata', undefined, false],
    ]
    for (const [key, value, valid] of v2) {
      const row = { ...base, [key]: value }
      expect(ReportRowSchema.safeParse(row).success, `${key}: ${inspect(value)}`).toBe(valid)
      expect(isReportRowFast(row), `${key}: ${inspect(value)}`).toBe(valid)
    }
    for (const key of ['trial', 'metadata']) {
      const { [key]: _, ...v1 } = base
      expect(ReportRowSchema.safeParse(v1).success, key).toBe(false)
      expect(isReportRowFast(v1), key).toBe(false)
    }
  })
})

/** A valid report of two evals, built fresh each time (the generator mutates it). */
function validReport(r: () => number): Record<string, unknown> {
  const counts = () => ({
    requests: 2,
    cacheHits: 1,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.01,
  })
  const usage = () => ({ ...counts(), judges: { safety: counts() } })
  const evalReport = (name: string) => ({
    name,
    file: `evals/${name}.eval.ts`,
    status: pick(r, ['failed', 'partial']),
    trials: pick(r, [1, 3]),
    trialPassRate: pick(r, [1, 0.6]),
    statistics: { confidence: 0.95, method: pick(r, ['t', 'bootstrap']), resamples: 2000, seed: 0 },
    rows: Array.from({ length: 3 }, () => {
      const row = randomReportRow(() => 0.99) as Record<string, unknown>
      row['feedback'] = [feedback(r)]
      return row
    }),
    metrics: {
      m: {
        count: 3,
        errors: 0,
        unscored: 0,
        skipped: 1,
        mean: 0.5,
        p90: null,
        passRate: 1,
        stderr: 0.2,
        ci: { level: 0.95, method: pick(r, ['t', 'wilson', 'bootstrap']), low: 0.1, high: 0.9 },
        flaky: 1,
        'pass@2': 0.7,
      },
      latency_ms: {
        count: 3,
        errors: 1,
        unscored: 0,
        skipped: 0,
        mean: 12,
        trimmed: null,
        aggregationErrors: { trimmed: 'trimmed threw: boom' },
      },
    },
    thresholds: [
      { key: 'm/mean', min: 0.9, actual: 0.5, passed: false, reason: 'below' },
      {
        key: 'm/pass@2',
        min: 0.5,
        confidence: 0.9,
        require: 'plausible',
        actual: 0.7,
        bound: null,
        passed: false,
        reason: 'no interval',
      },
      { key: 'latency_ms/p90', max: 100, actual: null, passed: true },
      {
        key: 'm/passRate',
        min: 0.8,
        confidence: 0.95,
        actual: 1,
        bound: 0.44,
        passed: null,
        reason: 'not evaluated (partial run: 3 of 4 rows)',
      },
    ],
    maxErrors: 1,
    erroredRows: 1,
    datasetRows: 4,
    failures: ['m/mean 0.5 < min 0.9'],
    usage: usage(),
  })
  return {
    schemaVersion: 2,
    tool: { name: 'evalgate', version: '0.1.0', host: 'vitest', hostVersion: '4.1.0' },
    startedAt: '2026-11-23T12:34:56.789Z',
    durationMs: 1234,
    status: 'failed',
    partial: r() < 0.5,
    evals: [evalReport('a'), evalReport('b')],
    errors: [{ file: 'evals/broken.eval.ts', message: 'boom' }],
    usage: usage(),
  }
}

/** Every plain object or array inside `v` (the report's places to perturb). */
function places(
  v: unknown,
  out: Array<Record<string, unknown> | unknown[]> = [],
  seen = new Set<unknown>(),
) {
  if (typeof v !== 'object' || v === null || seen.has(v)) return out
  seen.add(v)
  out.push(v as Record<string, unknown>)
  for (const child of Object.values(v)) places(child, out, seen)
  return out
}

/** A valid report with one or two of its fields perturbed (set, added or removed). */
function perturbedReport(r: () => number): Record<string, unknown> {
  const pool = [
    ...values(),
    '2026-02-30T00:00:00.000Z',
    '2026-11-23T12:34:56Z',
    '2026-11-23T12:34:56.789+01:00',
    'passed',
    'skipped',
    'evalgate',
    { count: 1, errors: 0, unscored: 0 },
    { count: 1, errors: 0 },
    // Schema v2's fields and their edges: the version, host, eval status, trials, metric
    // skipped and aggregationErrors, gate confidence (0 < c < 1), bound and passed: null.
    1,
    2,
    0.95,
    'partial',
    'failed',
    'vitest',
    'jest',
    'mocha',
    { count: 1, errors: 0, unscored: 0, skipped: 0 },
    { count: 1, errors: 0, unscored: 0, skipped: -1 },
    { count: 1, errors: 0, unscored: 0, skipped: 0, aggregationErrors: {} },
    { trimmed: 'threw' },
    { trimmed: 3 },
    { name: 'evalgate', version: '0.1.0' },
    { name: 'evalgate', version: '0.1.0', host: 'jest', hostVersion: '30.0.0' },
  ]
  const report = validReport(r)
  const spots = places(report)
  for (let k = 0; k < 1 + Math.floor(r() * 2); k++) {
    const spot = pick(r, spots)
    const keys = Object.keys(spot)
    if (Array.isArray(spot)) {
      if (r() < 0.5) spot.push(pick(r, pool))
      else if (spot.length > 0) spot[Math.floor(r() * spot.length)] = pick(r, pool)
    } else if (r() < 0.1 || keys.length === 0) {
      spot[
        pick(r, [
          'extra',
          'min',
          'max',
          'reason',
          'p50',
          'confidence',
          'bound',
          'skipped',
          'aggregationErrors',
          'trial',
          'metadata',
          'partial',
        ])
      ] = pick(r, pool)
    } else if (r() < 0.15) {
      delete spot[pick(r, keys)]
    } else {
      spot[pick(r, keys)] = pick(r, pool)
    }
  }
  return report
}

describe('reportFastProblem agrees with ReportSchema', () => {
  test('a valid report takes the fast path', () => {
    const report = validReport(rng(5))
    expect(ReportSchema.safeParse(report).success).toBe(true)
    expect(reportFastProblem(report)).toBeUndefined()
  })

  test('on 5,000 reports with a perturbed field: never accepts what zod rejects', () => {
    const r = rng(11)
    let fast = 0
    for (let i = 0; i < 5_000; i++) {
      const report = perturbedReport(r)
      const problem = reportFastProblem(report)
      if (problem !== undefined) continue
      fast++
      if (!ReportSchema.safeParse(report).success) {
        expect.fail(
          `reportFastProblem accepted what ReportSchema rejects: ${inspect(report, { depth: 8 })}`,
        )
      }
    }
    // Some perturbations keep the report valid (a number for a number): the fast path is live.
    expect(fast).toBeGreaterThan(50)
  })

  test('on every schema v2 field set to each unusual value or removed: never accepts what zod rejects', () => {
    type Spot = Record<string, unknown>
    type R = Spot & { tool: Spot; evals: Array<Spot & { metrics: Record<string, Spot> }> }
    const evalOf = (x: R) => x.evals[0]!
    const fields: Array<[string, (x: R) => Spot, string]> = [
      ['schemaVersion', (x) => x, 'schemaVersion'],
      ['partial', (x) => x, 'partial'],
      ['tool.host', (x) => x.tool, 'host'],
      ['tool.hostVersion', (x) => x.tool, 'hostVersion'],
      ['evals[0].status', evalOf, 'status'],
      ['evals[0].trials', evalOf, 'trials'],
      ['rows[0].trial', (x) => (evalOf(x)['rows'] as Spot[])[0]!, 'trial'],
      ['rows[0].metadata', (x) => (evalOf(x)['rows'] as Spot[])[0]!, 'metadata'],
      ['metrics.m.skipped', (x) => evalOf(x).metrics['m']!, 'skipped'],
      ['metrics.m.aggregationErrors', (x) => evalOf(x).metrics['m']!, 'aggregationErrors'],
      [
        'metrics.latency_ms.aggregationErrors',
        (x) => evalOf(x).metrics['latency_ms']!,
        'aggregationErrors',
      ],
      ['thresholds[0].confidence', (x) => (evalOf(x)['thresholds'] as Spot[])[0]!, 'confidence'],
      ['thresholds[2].confidence', (x) => (evalOf(x)['thresholds'] as Spot[])[2]!, 'confidence'],
      ['thresholds[2].bound', (x) => (evalOf(x)['thresholds'] as Spot[])[2]!, 'bound'],
      ['thresholds[2].passed', (x) => (evalOf(x)['thresholds'] as Spot[])[2]!, 'passed'],
    ]
    const edges = [
      ...values(),
      1,
      2,
      3,
      0.5,
      0.95,
      'vitest',
      'jest',
      'mocha',
      'partial',
      'skipped',
      { trimmed: 'threw' },
      { trimmed: 3 },
      { trimmed: null },
      { tag: 'x' },
      ['tag'],
    ]
    const REMOVED = Symbol('removed')
    let fastAccepted = 0
    let fastRefused = 0
    for (const [name, at, key] of fields) {
      for (const value of [...edges, REMOVED]) {
        const report = validReport(rng(5)) as R
        if (value === REMOVED) delete at(report)[key]
        else at(report)[key] = value
        const zodOk = ReportSchema.safeParse(report).success
        if (reportFastProblem(report) !== undefined) {
          fastRefused++
          continue
        }
        fastAccepted++
        if (!zodOk) {
          expect.fail(`reportFastProblem accepted ${name} = ${inspect(value)}, which zod rejects`)
        }
      }
    }
    // Both outcomes happen: valid values take the fast path, invalid ones are refused.
    expect(fastAccepted).toBeGreaterThan(20)
    expect(fastRefused).toBeGreaterThan(fields.length * 20)
  })

  test('names the first place it cannot vouch for', () => {
    const report = validReport(rng(5)) as { evals: Array<{ rows: unknown[]; name: unknown }> }
    report.evals[1]!.rows[2] = { ...(report.evals[1]!.rows[2] as object), passed: 'yes' }
    expect(reportFastProblem(report)).toBe('evals[1].rows[2]')
    report.evals[0]!.name = 3
    expect(reportFastProblem(report)).toBe('evals[0]')
    expect(reportFastProblem({ ...report, startedAt: '2026-02-30T00:00:00.000Z' })).toBe('(report)')
  })
})

/** `v` as an artifact file gives it back: JSON text, parsed; `undefined` when JSON cannot hold it. */
function throughJson(v: unknown): unknown {
  try {
    const text = JSON.stringify(v)
    return text === undefined ? undefined : JSON.parse(text)
  } catch {
    return undefined // a bigint
  }
}

describe('parsedReportFastProblem agrees with ReportSchema on what JSON.parse makes', () => {
  test('on 5,000 perturbed reports read back from JSON: never accepts what zod rejects, and answers as reportFastProblem does', () => {
    const r = rng(13)
    let fast = 0
    let read = 0
    for (let i = 0; i < 5_000; i++) {
      const report = throughJson(perturbedReport(r))
      if (report === undefined) continue
      read++
      const problem = parsedReportFastProblem(report)
      expect(problem).toBe(reportFastProblem(report))
      if (problem !== undefined) continue
      fast++
      if (!ReportSchema.safeParse(report).success) {
        expect.fail(`parsedReportFastProblem accepted what zod rejects: ${inspect(report)}`)
      }
    }
    expect(read).toBeGreaterThan(4_000)
    expect(fast).toBeGreaterThan(50)
  })

  test('keys zod treats specially, and a number too big for a double, go to zod', () => {
    type Spot = Record<string, unknown>
    const row = (x: Spot) => ((x['evals'] as Spot[])[0]!['rows'] as Spot[])[0]!
    /** The artifact's text with the value at one place written as `raw` JSON. */
    const withRaw = (at: (x: Spot) => Spot, key: string, raw: string): unknown => {
      const report = validReport(rng(5))
      at(report)[key] = 'RAW'
      return JSON.parse(JSON.stringify(report).replace('"RAW"', raw))
    }
    expect(parsedReportFastProblem(withRaw(row, 'inputs', '{"q":1}'))).toBeUndefined()
    const cases: Array<[(x: Spot) => Spot, string, string]> = [
      [row, 'inputs', '{"__proto__":{"x":1}}'],
      [row, 'inputs', '{"constructor":1}'],
      [row, 'metadata', '{"__proto__":null}'],
      [(x) => x, 'durationMs', '1e999'],
      [row, 'latencyMs', '1e999'],
    ]
    for (const [at, key, raw] of cases) {
      const data = withRaw(at, key, raw)
      expect(parsedReportFastProblem(data), `${key}: ${raw}`).not.toBeUndefined()
      expect(ReportSchema.safeParse(data).success && raw.includes('1e999'), raw).toBe(false)
    }
  })
})
