// core/schedule.ts: the framework-free row scheduler both hosts are glue over.
import { describe, expect, it } from 'vitest'
import type { Row } from '../../src/core/dataset.js'
import { checkEvalOptions, evalShard, rowTestNames } from '../../src/core/eval-options.js'
import { prepareEval } from '../../src/core/evaluate.js'
import type { EvalSuiteMeta } from '../../src/core/meta.js'
import { EvalSchedule } from '../../src/core/schedule.js'
import { scorer } from '../../src/core/scorer.js'
import { shardOf } from '../../src/core/shard.js'

const even = scorer('even', ({ outputs }) => Number(outputs) % 2 === 0)

function rows(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({ id: `r${i}`, inputs: { n: i } }))
}

function schedule(
  n: number,
  options: {
    concurrency?: number
    trials?: number
    task?: (inputs: Record<string, unknown>) => unknown
    maxErrors?: number
    onSummary?: (meta: EvalSuiteMeta) => void
  } = {},
) {
  const task = options.task ?? ((inputs: Record<string, unknown>) => inputs.n)
  const prepared = prepareEval({
    scorers: [even],
    thresholds: { 'even/mean': 0.5 },
    maxErrors: options.maxErrors,
    hasTask: true,
    trials: options.trials,
  })
  return new EvalSchedule({
    name: 'numbers',
    file: 'numbers.eval.ts',
    prepared,
    rows: rows(n),
    task,
    timeoutMs: 5_000,
    concurrency: options.concurrency ?? 2,
    onSummary: options.onSummary,
  })
}

describe('EvalSchedule', () => {
  it('runs the selected rows at once, never more than `concurrency` in flight', async () => {
    let inFlight = 0
    let peak = 0
    const started: number[] = []
    const s = schedule(10, {
      concurrency: 3,
      task: async (inputs) => {
        started.push(Number(inputs.n))
        inFlight++
        peak = Math.max(peak, inFlight)
        await new Promise((r) => setTimeout(r, 5))
        inFlight--
        return inputs.n
      },
    })
    s.select([0, 2, 4, 6, 8])
    const { rows: results } = await s.summary()
    expect(peak).toBe(3)
    expect(started.sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8])
    expect(results.map((r) => r.index)).toEqual([0, 2, 4, 6, 8])
  })

  it('summarises once the last selected row is in, and hands the host the meta', async () => {
    const metas: EvalSuiteMeta[] = []
    const s = schedule(4, { onSummary: (m) => metas.push(m) })
    s.select([0, 1, 2, 3])
    await Promise.all([0, 1, 2, 3].map((i) => s.row(i)))
    await new Promise((r) => setTimeout(r, 0))
    expect(metas).toHaveLength(1)
    expect(metas[0]).toMatchObject({ name: 'numbers', datasetRows: 4, trials: 1 })
    expect(metas[0]?.summary?.metrics.even?.mean).toBe(0.5)
    expect(metas[0]?.summary?.partial).toBe(false)
  })

  it('a selection of some rows gives a partial summary: its gates are not evaluated', async () => {
    const s = schedule(4)
    s.select([1])
    const { summary } = await s.summary()
    expect(summary.partial).toBe(true)
    expect(summary.thresholds[0]).toMatchObject({
      passed: null,
      reason: 'not evaluated (partial run: 1 of 4 rows)',
    })
  })

  it('runs every trial of a row, each its own result with its trial index', async () => {
    let calls = 0
    const s = schedule(2, {
      trials: 3,
      task: (inputs) => {
        calls++
        return inputs.n
      },
    })
    s.select([0, 1])
    const results = await s.row(1)
    expect(results.map((r) => [r.index, r.trial])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
    ])
    await s.summary()
    expect(calls).toBe(6)
    expect(s.meta(null).trials).toBe(3)
  })

  it('a row test fails when any trial fails its row verdict, and says which', async () => {
    let k = 0
    const s = schedule(1, { trials: 2, task: () => (k++ === 0 ? 'boom' : 2), maxErrors: 0 })
    s.select([0])
    const results = await s.row(0)
    expect(results[0]?.feedback[0]?.value).toBe(false)
    // With thresholds, a failing metric does not fail the row; an error would.
    expect(s.verdict(results).failed).toBe(false)
    const throwing = schedule(1, {
      task: () => {
        throw new TypeError('no answer')
      },
      maxErrors: 1,
    })
    throwing.select([0])
    const v = throwing.verdict(await throwing.row(0))
    expect(v.failed).toBe(false)
    expect(v.tolerated).toBe('TASK_ERROR: no answer')
  })

  it('names each row test once, none named `thresholds`', () => {
    const s = schedule(3)
    expect(s.testNames).toEqual(['r0', 'r1', 'r2'])
    expect(s.indexOf('r2')).toBe(2)
    expect(s.indexOf('thresholds')).toBeUndefined()
    expect(
      rowTestNames([
        { id: 'thresholds', inputs: {} },
        { inputs: { q: 'b' } },
        { id: '[1] b', inputs: {} },
      ]),
    ).toEqual(['thresholds #0', '[1] b', '[1] b #2'])
  })
})

describe('checkEvalOptions', () => {
  it('names the eval, the option, what was expected and what was received', () => {
    expect(() => checkEvalOptions('qa', { data: [], scorers: [], concurrency: 0 })).toThrow(
      'evalgate: describeEval "qa": expected "concurrency" to be a whole number from 1 and up, received 0',
    )
    expect(() => checkEvalOptions('qa', { data: [], scorers: [], trails: 3 })).toThrow(
      'evalgate: describeEval "qa": unknown option "trails"',
    )
    expect(() => checkEvalOptions('', {})).toThrow('expected a non-empty eval name')
  })
})

describe('row shards', () => {
  it('the shards of an eval partition its rows, by a stable hash of the id', () => {
    const prepared = prepareEval({ scorers: [even], hasTask: false })
    const data = rows(50).map((r) => ({ ...r, outputs: 2 }))
    const of = (index: number) =>
      new EvalSchedule({
        name: 'n',
        file: 'f',
        prepared,
        rows: data,
        timeoutMs: 1000,
        concurrency: 2,
        shard: { index, count: 3 },
      }).rowIndices
    const parts = [of(1), of(2), of(3)]
    expect(parts.flat().sort((a, b) => a - b)).toEqual(data.map((_, i) => i))
    for (const p of parts) expect(p.length).toBeGreaterThan(5)
    expect(of(2)).toEqual(of(2))
  })

  it('a shard without rows of an eval gives a partial summary, not a failure', async () => {
    const prepared = prepareEval({
      scorers: [even],
      hasTask: false,
      thresholds: { 'even/mean': 1 },
    })
    const s = new EvalSchedule({
      name: 'n',
      file: 'f',
      prepared,
      rows: [{ id: 'only', inputs: {}, outputs: 2 }],
      timeoutMs: 1000,
      concurrency: 1,
      // The other shard than the one row's own.
      shard: { index: 3 - shardOf({ id: 'only', index: 0 }, 2), count: 2 },
    })
    expect(s.rowIndices).toEqual([])
    const { summary } = await s.summary()
    expect(summary.partial).toBe(true)
    expect(summary.passed).toBe(true)
    expect(summary.thresholds[0]?.passed).toBeNull()
  })
})

describe('evalShard', () => {
  it('takes the option, else EVALGATE_SHARD, and names where a bad value came from', () => {
    expect(evalShard({ shard: '2/4' }, {})).toEqual({ index: 2, count: 4 })
    expect(evalShard({}, { EVALGATE_SHARD: '1/3' })).toEqual({ index: 1, count: 3 })
    expect(evalShard({}, {})).toBeUndefined()
    expect(() => evalShard({}, { EVALGATE_SHARD: '4/3' })).toThrow('EVALGATE_SHARD: expected "i/n"')
  })
})
