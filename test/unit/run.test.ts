import { describe, expect, it } from 'vitest'
import { prepareEval, runEval, summarizeEval } from '../../src/core/evaluate.js'
import { type RowResult, runRow } from '../../src/core/run.js'
import { type Scorer, scorer } from '../../src/core/scorer.js'

const exact = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected,
)
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      reject(signal.reason)
    })
  })

describe('runRow', () => {
  it('runs the task, records latency and scores the outputs', async () => {
    const r = await runRow({
      row: { inputs: { q: 'a' }, expectations: { expected: 'A' }, id: 'r1' },
      index: 3,
      task: async (inputs) => {
        await sleep(20)
        return String(inputs.q).toUpperCase()
      },
      scorers: [exact],
    })
    expect(r).toMatchObject({ index: 3, id: 'r1', outputs: 'A', error: null, passed: true })
    expect(r.latencyMs).toBeGreaterThanOrEqual(15)
    expect(r.feedback).toEqual([
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
    ])
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('scores stored outputs when there is no task', async () => {
    const r = await runRow({
      row: { inputs: {}, outputs: 'B', expectations: { expected: 'A' } },
      index: 0,
      scorers: [exact],
    })
    expect(r.latencyMs).toBeNull()
    expect(r.passed).toBe(false)
    expect(r.feedback[0]).toMatchObject({ value: false, score: 0, passed: false })
  })

  it('runs scorers concurrently', async () => {
    const slow = (name: string): Scorer => ({
      name,
      score: async () => {
        await sleep(100)
        return true
      },
    })
    const started = performance.now()
    const r = await runRow({
      row: { inputs: {}, outputs: 1 },
      index: 0,
      scorers: [slow('a'), slow('b'), slow('c')],
    })
    expect(performance.now() - started).toBeLessThan(250)
    expect(r.feedback.map((f) => f.name)).toEqual(['a', 'b', 'c'])
  })

  it('turns a thrown scorer error into SCORER_ERROR and keeps the other scorers', async () => {
    const boom = scorer('boom', () => {
      throw new Error('kaput')
    })
    const r = await runRow({
      row: { inputs: {}, outputs: 'A', expectations: { expected: 'A' } },
      index: 0,
      scorers: [boom, exact],
    })
    expect(r.passed).toBe(false)
    expect(r.feedback[0]).toMatchObject({
      name: 'boom',
      passed: false,
      score: null,
      error: { code: 'SCORER_ERROR', message: 'kaput' },
    })
    expect(r.feedback[0]!.error!.stack).toContain('kaput')
    expect(r.feedback[1]).toMatchObject({ name: 'exact_match', passed: true })
  })

  it('turns a task error into a row error and runs no scorer', async () => {
    let scored = 0
    const counting = scorer('c', () => {
      scored++
      return true
    })
    const r = await runRow({
      row: { inputs: {} },
      index: 0,
      task: () => {
        throw new TypeError('bad input')
      },
      scorers: [counting],
    })
    expect(r.error).toMatchObject({ code: 'TASK_ERROR', message: 'bad input' })
    expect(r.feedback).toEqual([])
    expect(r.passed).toBe(false)
    expect(scored).toBe(0)
  })

  it('times out the task, aborts its signal and says so', async () => {
    let aborted = false
    const r = await runRow({
      row: { inputs: {} },
      index: 0,
      task: async (_, { signal }) => {
        signal.addEventListener('abort', () => {
          aborted = true
        })
        await sleep(5_000)
        return 'late'
      },
      scorers: [exact],
      timeoutMs: 50,
    })
    expect(r.error).toEqual({
      code: 'TASK_TIMEOUT',
      message: 'evalgate: the task did not finish within the row timeout of 50 ms',
    })
    expect(aborted).toBe(true)
    expect(r.latencyMs).toBeGreaterThanOrEqual(45)
  })

  it('times out a slow scorer but keeps the finished ones', async () => {
    const slow = scorer('slow', async () => {
      await sleep(5_000)
      return true
    })
    const r = await runRow({
      row: { inputs: {}, outputs: 'A', expectations: { expected: 'A' } },
      index: 0,
      scorers: [exact, slow],
      timeoutMs: 50,
    })
    expect(r.feedback[0]).toMatchObject({ name: 'exact_match', passed: true })
    expect(r.feedback[1]!.error).toMatchObject({
      code: 'SCORER_TIMEOUT',
      message: 'evalgate: scorer "slow" did not finish within the row timeout of 50 ms',
    })
  })

  it('the row timeout covers task and scorers together, counted from the row start', async () => {
    const slowish = scorer('slowish', async () => {
      await sleep(60)
      return true
    })
    const r = await runRow({
      row: { inputs: {} },
      index: 0,
      task: async () => {
        await sleep(60)
        return 'A'
      },
      scorers: [slowish],
      timeoutMs: 100,
    })
    expect(r.error).toBeNull()
    expect(r.feedback[0]!.error).toMatchObject({ code: 'SCORER_TIMEOUT' })
  })

  it('a row without outputs and without task is an error', async () => {
    const r = await runRow({ row: { inputs: {} }, index: 7, scorers: [exact] })
    expect(r.error).toEqual({
      code: 'NO_OUTPUTS',
      message: 'evalgate: row 7 has no "outputs" and the eval has no task; received undefined',
    })
  })

  it('two scorers writing one metric in a row give one error naming both', async () => {
    const a = scorer('a', () => [{ name: 'shared', value: 1 }])
    const b = scorer('b', () => [{ name: 'shared', value: 0 }])
    const r = await runRow({ row: { inputs: {}, outputs: 1 }, index: 0, scorers: [a, b] })
    expect(r.feedback).toHaveLength(1)
    expect(r.feedback[0]!.error).toEqual({
      code: 'METRIC_NAME_CLASH',
      message:
        'evalgate: metric "shared" is returned by both scorer "a" and scorer "b"; metric names must be distinct within an eval',
    })
  })

  it('an outside abort aborts the task', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('cancelled by runner')), 20)
    const r = await runRow({
      row: { inputs: {} },
      index: 0,
      task: (_, { signal }) => sleep(5_000, signal).then(() => 'x'),
      scorers: [exact],
      signal: controller.signal,
    })
    expect(r.error).toMatchObject({ code: 'TASK_ABORTED', message: 'cancelled by runner' })
  })
})

describe('prepareEval', () => {
  it('rejects two scorers with one metric name, naming both', () => {
    const a = scorer('dup', () => 1)
    const b = scorer(function dup() {
      return 2
    })
    expect(() => prepareEval({ scorers: [a, b], hasTask: false })).toThrow(
      'evalgate: metric "dup" is produced by both scorer "dup" and scorer "dup"; metric names must be distinct within an eval (rename one with scorer(name, fn) or the "name" option)',
    )
    const q = scorer('quality', () => [], { metrics: ['relevance', 'length'] })
    const r = scorer('relevance', () => true)
    expect(() => prepareEval({ scorers: [q, r], hasTask: false })).toThrow(
      'evalgate: metric "relevance" is produced by both scorer "quality" and scorer "relevance"',
    )
  })

  it('knows latency_ms only when a task runs', () => {
    expect(prepareEval({ scorers: [exact], hasTask: true }).metrics).toEqual([
      'exact_match',
      'latency_ms',
    ])
    expect(() =>
      prepareEval({
        scorers: [exact],
        hasTask: false,
        thresholds: { 'latency_ms/p90': { max: 10 } },
      }),
    ).toThrow(/no metric "latency_ms"/)
    expect(
      prepareEval({
        scorers: [exact],
        hasTask: true,
        thresholds: { 'latency_ms/p90': { max: 10 } },
      }).gates,
    ).toEqual([{ key: 'latency_ms/p90', metric: 'latency_ms', aggregation: 'p90', max: 10 }])
  })

  it('accepts gates on declared metrics and custom aggregations', () => {
    const q = scorer('quality', () => [], {
      metrics: ['relevance', 'length'],
      aggregations: [
        function trimmed(xs: number[]) {
          return xs[0] ?? 0
        },
      ],
    })
    const p = prepareEval({
      scorers: [q],
      hasTask: false,
      thresholds: { 'relevance/mean': 0.8, 'length/trimmed': { max: 200 } },
    })
    expect(p.gates.map((g) => g.key)).toEqual(['relevance/mean', 'length/trimmed'])
  })

  it('rejects a bad maxErrors', () => {
    expect(() => prepareEval({ scorers: [exact], hasTask: false, maxErrors: -1 })).toThrow(
      'evalgate: "maxErrors": expected a whole number >= 0, received -1',
    )
  })
})

function row(
  index: number,
  feedback: Array<Partial<RowResult['feedback'][number]>>,
  extra: Partial<RowResult> = {},
): RowResult {
  const fbs = feedback.map((f) => ({
    name: 'm',
    scorer: 'm',
    value: null,
    score: null,
    passed: null,
    rationale: null,
    error: null,
    source: null,
    metadata: null,
    ...f,
  }))
  return {
    index,
    trial: 0,
    id: null,
    inputs: {},
    outputs: null,
    expectations: null,
    metadata: null,
    latencyMs: null,
    feedback: fbs,
    error: null,
    passed: fbs.every((f) => f.passed !== false),
    trace: null,
    ...extra,
  }
}

describe('summarizeEval', () => {
  const m = scorer('m', () => true)

  it('aggregates scored values and counts errors and unscored ones apart', () => {
    const p = prepareEval({ scorers: [m], hasTask: false, maxErrors: 5 })
    const s = summarizeEval(p, [
      row(0, [{ value: true, score: 1, passed: true }]),
      row(1, [{ value: false, score: 0, passed: false }]),
      row(2, [{ value: 'eh', score: null, passed: null }]),
      row(3, [{ error: { code: 'SCORER_ERROR', message: 'x' }, passed: false }]),
    ])
    expect(s.metrics.m).toMatchObject({
      count: 2,
      errors: 1,
      unscored: 1,
      mean: 0.5,
      passRate: 0.5,
    })
    expect(s).toMatchObject({ rows: 4, erroredRows: 1, failedRows: 2 })
    expect(s.failures).toEqual(['1 row(s) failed a metric'])
    expect(s.passed).toBe(false)
  })

  it('counts a task error against every metric and excludes its latency', () => {
    const p = prepareEval({ scorers: [m], hasTask: true, maxErrors: 1 })
    const s = summarizeEval(p, [
      row(0, [{ value: true, score: 1, passed: true }], { latencyMs: 10 }),
      row(1, [], { latencyMs: 2, error: { code: 'TASK_ERROR', message: 'x' }, passed: false }),
    ])
    expect(s.metrics.m).toMatchObject({ count: 1, errors: 1 })
    expect(s.metrics.latency_ms).toMatchObject({ count: 1, errors: 1, mean: 10 })
    expect(s.passed).toBe(true)
  })

  it('fails when errored rows exceed maxErrors', () => {
    const p = prepareEval({ scorers: [m], hasTask: false })
    // One row scored, so the errored row is the only reason (an eval in which no row scored a
    // value fails on that too).
    const s = summarizeEval(p, [
      row(0, [{ value: true, score: 1, passed: true }]),
      row(1, [{ error: { code: 'E', message: 'x' }, passed: false }]),
    ])
    expect(s.failures).toEqual(['1 errored row(s), more than maxErrors (0)'])
    expect(s.passed).toBe(false)
  })

  it('with thresholds, gates decide and failing rows alone do not', () => {
    const p = prepareEval({ scorers: [m], hasTask: false, thresholds: { 'm/mean': 0.5 } })
    const rows = [
      row(0, [{ value: true, score: 1, passed: true }]),
      row(1, [{ value: false, score: 0, passed: false }]),
    ]
    expect(summarizeEval(p, rows)).toMatchObject({ passed: true, failures: [] })
    const strict = prepareEval({ scorers: [m], hasTask: false, thresholds: { 'm/mean': 0.75 } })
    expect(summarizeEval(strict, rows).failures).toEqual(['m/mean: 0.5 < min 0.75'])
  })

  it('a gate over zero scored values fails', () => {
    const p = prepareEval({
      scorers: [m],
      hasTask: false,
      thresholds: { 'm/mean': 0 },
      maxErrors: 1,
    })
    const s = summarizeEval(p, [row(0, [{ error: { code: 'E', message: 'x' }, passed: false }])])
    expect(s.thresholds[0]).toMatchObject({
      key: 'm/mean',
      passed: false,
      actual: null,
      reason: 'no scored values',
    })
    expect(s.passed).toBe(false)
  })

  it('gives the same summary whatever order rows come in (shards merge exactly)', () => {
    const p = prepareEval({ scorers: [m], hasTask: false })
    const rows = Array.from({ length: 20 }, (_, i) =>
      row(i, [{ value: i % 3, score: i % 3, passed: null }]),
    )
    const reversed = [...rows].reverse()
    expect(summarizeEval(p, reversed)).toEqual(summarizeEval(p, rows))
  })
})

describe('runEval', () => {
  it('loads, runs with bounded concurrency and summarises', async () => {
    let inFlight = 0
    let peak = 0
    const { rows, summary } = await runEval({
      data: Array.from({ length: 30 }, (_, i) => ({
        inputs: { n: i },
        expectations: { expected: i * 2 },
      })),
      task: async (inputs) => {
        inFlight++
        peak = Math.max(peak, inFlight)
        await sleep(5)
        inFlight--
        return Number(inputs.n) * 2
      },
      scorers: [exact],
      concurrency: 3,
      thresholds: { 'exact_match/mean': 1, 'latency_ms/max': { max: 1000 } },
    })
    expect(peak).toBe(3)
    expect(rows).toHaveLength(30)
    expect(summary.metrics.exact_match!.count).toBe(30)
    expect(summary.passed).toBe(true)
  })

  it('rejects a bad threshold before any row runs', async () => {
    let ran = 0
    await expect(
      runEval({
        data: [{ inputs: {} }],
        task: () => {
          ran++
          return 1
        },
        scorers: [exact],
        thresholds: { 'exact_macth/mean': 1 },
      }),
    ).rejects.toThrow(/no metric "exact_macth"/)
    expect(ran).toBe(0)
  })

  it('without a task, every row must have outputs before any row runs', async () => {
    await expect(
      runEval({
        data: [
          { inputs: {}, outputs: 1 },
          { inputs: {}, id: 'q2' },
        ],
        scorers: [exact],
      }),
    ).rejects.toThrow(
      'evalgate: 1 row(s) have no "outputs" and the eval has no task: data[1] (id "q2"). Give a task, or store "outputs" in each row',
    )
  })

  it('rejects a bad concurrency', async () => {
    await expect(
      runEval({ data: [{ inputs: {} }], scorers: [exact], concurrency: 0 }),
    ).rejects.toThrow('evalgate: "concurrency": expected a whole number from 1 and up, received 0')
  })
})
