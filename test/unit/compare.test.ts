import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compareReports } from '../../src/core/compare.js'
import { parseDirections, parseMargins } from '../../src/core/compare-options.js'
import { ComparisonSchema } from '../../src/core/compare-schema.js'
import type { Report } from '../../src/core/report.js'
import { scorer } from '../../src/core/scorer.js'
import { artifactOf, type EvalDef, runAll } from './cli-artifacts.js'

interface Scenario {
  name: string
  kind: 'binary' | 'numeric'
  trials: number
  direction: 'higher' | 'lower'
  margin: number | null
  confidence: number
  gate: { max?: number; min?: number } | null
  baseline: number[][]
  candidate: number[][]
  expected: {
    pairs: number
    baseline: number
    candidate: number
    diff: number
    stderr: number
    low: number
    high: number
    df: number
    pValue: number
    rows: { improved: number; regressed: number; unchanged: number }
    verdict: string
    mcnemar: { failToPass: number; passToFail: number; pValue: number } | null
  }
}

const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/compare/reference.json', import.meta.url), 'utf8'),
) as { scipy: string; scenarios: Scenario[] }

/** A task that returns, for row i, its next trial's value from `table` (trials in order). */
function replay(table: number[][]) {
  const calls = new Map<number, number>()
  return (inputs: Record<string, unknown>) => {
    const i = Number(inputs.i)
    const t = calls.get(i) ?? 0
    calls.set(i, t + 1)
    return table[i]![t]!
  }
}

async function side(s: Scenario, table: number[][], metric: string): Promise<Report> {
  const fn =
    s.kind === 'binary'
      ? ({ outputs }: { outputs: unknown }) => ({
          value: outputs === 1,
          rationale: outputs === 1 ? 'right' : 'wrong',
        })
      : ({ outputs }: { outputs: unknown }) => Number(outputs)
  const def: EvalDef = {
    name: 'scenario',
    file: 'evals/scenario.eval.ts',
    data: table.map((_, i) => ({ id: `r${i}`, inputs: { i } })),
    scorers: [scorer(metric, fn)],
    task: replay(table),
    trials: s.trials,
    ...(s.gate === null ? {} : { thresholds: { [`${metric}/mean`]: s.gate } }),
  }
  return artifactOf([{ def, rows: await runAll(def) }])
}

/** Equal to 12 significant digits (p-values as small as 1e-54 included). */
function close(actual: number | null | undefined, expected: number): void {
  expect(actual).toBeTypeOf('number')
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE)
  expect(Math.abs(actual! - expected) / scale, `${actual} vs ${expected}`).toBeLessThan(1e-9)
}

describe('compareReports against scipy (fixtures/compare/generate.py)', () => {
  it.each(reference.scenarios.map((s) => [s.name, s] as const))('%s', async (_, s) => {
    const metric = s.direction === 'lower' ? 'cost' : s.kind === 'binary' ? 'correct' : 'score'
    const baseline = await side(s, s.baseline, metric)
    const candidate = await side(s, s.candidate, metric)
    const c = compareReports(
      { file: 'base.json', report: baseline },
      { file: 'cand.json', report: candidate },
      {
        version: '0.1.0',
        confidence: s.confidence,
        ...(s.margin === null ? {} : { margins: { [metric]: s.margin } }),
        ...(s.direction === 'lower' && s.gate === null ? { directions: { cost: 'lower' } } : {}),
      },
    )
    expect(ComparisonSchema.safeParse(c).success).toBe(true)
    const m = c.evals[0]!.metrics.find((x) => x.name === metric)!
    const e = s.expected
    expect(m.pairs).toBe(e.pairs)
    expect(m.direction).toBe(s.direction)
    close(m.baseline, e.baseline)
    close(m.candidate, e.candidate)
    close(m.diff, e.diff)
    close(m.stderr, e.stderr)
    close(m.ci?.low, e.low)
    close(m.ci?.high, e.high)
    close(m.pValue, e.pValue)
    expect(m.df).toBe(e.df)
    expect(m.rows).toEqual(e.rows)
    expect(m.verdict).toBe(e.verdict)
    expect(m.binary).toBe(s.kind === 'binary')
    if (e.mcnemar === null) expect(m.mcnemar).toBeNull()
    else {
      expect(m.mcnemar?.failToPass).toBe(e.mcnemar.failToPass)
      expect(m.mcnemar?.passToFail).toBe(e.mcnemar.passToFail)
      close(m.mcnemar?.pValue, e.mcnemar.pValue)
    }
    expect(c.regression).toBe(e.verdict === 'regression')
    // Identical latencies on both sides: a zero difference, no change.
    const latency = c.evals[0]!.metrics.find((x) => x.name === 'latency_ms')!
    expect(latency).toMatchObject({ direction: 'lower', diff: 0, pValue: 1 })
    expect(latency.verdict).toBe('no significant change')
  })
})

const judged = scorer('correct', ({ outputs, expectations }) => ({
  value: outputs === expectations.answer,
  rationale: `said ${String(outputs)}, expected ${String(expectations.answer)}`,
}))

function evalOf(
  answers: Record<string, string>,
  options: { ids?: boolean; name?: string; extra?: Partial<EvalDef> } = {},
): EvalDef {
  const keys = Object.keys(answers)
  return {
    name: options.name ?? 'qa',
    file: 'evals/qa.eval.ts',
    data: keys.map((k) => ({
      ...(options.ids === false ? {} : { id: k }),
      inputs: { q: k },
      outputs: answers[k],
      expectations: { answer: 'yes' },
    })),
    scorers: [judged],
    ...options.extra,
  }
}

async function artifact(def: EvalDef): Promise<Report> {
  return artifactOf([{ def, rows: await runAll(def) }])
}

const files = (a: Report, b: Report) =>
  [
    { file: 'base.json', report: a },
    { file: 'cand.json', report: b },
  ] as const

describe('compareReports: pairing', () => {
  it('pairs rows by id whatever their order, and lists rows added and removed', async () => {
    const a = await artifact(evalOf({ a: 'yes', b: 'yes', c: 'no', d: 'yes' }))
    const b = await artifact(evalOf({ e: 'yes', d: 'no', c: 'yes', b: 'yes' }))
    const c = compareReports(...files(a, b), { version: '0.1.0' })
    const e = c.evals[0]!
    expect(e.pairing).toBe('id')
    expect(e.pairedRows).toBe(3)
    expect(e.added).toEqual([{ index: 0, id: 'e' }])
    expect(e.removed).toEqual([{ index: 0, id: 'a' }])
    // d went yes → no (regressed), c went no → yes (improved): regressions first.
    expect(e.flips.map((f) => [f.id, f.change])).toEqual([
      ['d', 'regressed'],
      ['c', 'improved'],
    ])
    expect(e.flips[0]).toMatchObject({
      metric: 'correct',
      baselineIndex: 3,
      candidateIndex: 1,
      baseline: { passed: true, value: true, rationale: 'said yes, expected yes' },
      candidate: { passed: false, value: false, rationale: 'said no, expected yes' },
    })
    expect(e.metrics[0]).toMatchObject({ mcnemar: { failToPass: 1, passToFail: 1, pValue: 1 } })
  })

  it('pairs id-less rows by position when both datasets have the same length', async () => {
    const a = await artifact(evalOf({ a: 'yes', b: 'no', c: 'yes' }, { ids: false }))
    const b = await artifact(evalOf({ a: 'no', b: 'no', c: 'yes' }, { ids: false }))
    const e = compareReports(...files(a, b), { version: '0.1.0' }).evals[0]!
    expect(e.pairing).toBe('index')
    expect(e.pairedRows).toBe(3)
    expect(e.flips.map((f) => f.candidateIndex)).toEqual([0])
  })

  it('refuses id-less rows of datasets of different lengths: ids are needed', async () => {
    const a = await artifact(evalOf({ a: 'yes', b: 'no', c: 'yes' }, { ids: false }))
    const b = await artifact(evalOf({ a: 'no', b: 'no' }, { ids: false }))
    expect(() => compareReports(...files(a, b), { version: '0.1.0' })).toThrow(
      'evalgate: compare: eval "qa": rows without an id (3 of 3 rows in base.json, 2 of 2 rows in cand.json) can be paired only by position, and the datasets differ in length (3 rows in base.json, 2 in cand.json); give every row an "id" so rows pair up across runs',
    )
  })

  it('refuses a repeated id', async () => {
    const def = evalOf({ a: 'yes', b: 'no' })
    def.data[1]!.id = 'a'
    const a = await artifact(def)
    expect(() => compareReports(...files(a, a), { version: '0.1.0' })).toThrow(
      'evalgate: compare: eval "qa" in base.json: rows 0 and 1 have the same id "a"; ids must be unique to pair rows',
    )
  })

  it('lists evals only in one side, and --eval picks one eval or says which exist', async () => {
    const a = await artifact(evalOf({ a: 'yes', b: 'no' }))
    const other = await artifact(evalOf({ a: 'yes', b: 'no' }, { name: 'other' }))
    const both: Report = {
      ...a,
      evals: [...a.evals, ...other.evals.map((e) => ({ ...e, file: 'x.ts' }))],
    }
    const c = compareReports(...files(a, both), { version: '0.1.0' })
    expect(c.addedEvals).toEqual(['other'])
    expect(c.removedEvals).toEqual([])
    expect(c.evals.map((e) => e.name)).toEqual(['qa'])
    expect(() => compareReports(...files(a, both), { version: '0.1.0', eval: 'other' })).toThrow(
      'evalgate: compare: no eval named "other" in base.json; evals in both: "qa"',
    )
  })
})

describe('compareReports: metrics and verdicts', () => {
  it('a metric on one side only, or with fewer than 2 paired rows, is not compared', async () => {
    const a = await artifact(evalOf({ a: 'yes', b: 'no' }))
    const extra = scorer('polite', () => true)
    const b = await artifact(evalOf({ a: 'yes', c: 'no' }, { extra: { scorers: [judged, extra] } }))
    const ms = compareReports(...files(a, b), { version: '0.1.0' }).evals[0]!.metrics
    expect(ms.find((m) => m.name === 'polite')).toMatchObject({
      verdict: 'not compared',
      reason: 'only cand.json has this metric',
    })
    expect(ms.find((m) => m.name === 'correct')).toMatchObject({
      verdict: 'not compared',
      pairs: 1,
      reason: '1 paired row(s) with a value on both sides; a difference needs at least 2',
    })
  })

  it('direction: a min gate says higher, a max gate lower, --direction overrides; all differences shown as candidate − baseline', async () => {
    const gated = (t: Record<string, { min?: number; max?: number }>) => ({
      extra: { thresholds: t },
    })
    const answers = { a: 'yes', b: 'yes', c: 'no', d: 'yes' }
    const worse = { a: 'no', b: 'no', c: 'no', d: 'yes' }
    const a = await artifact(evalOf(answers, gated({ 'correct/mean': { max: 1 } })))
    const b = await artifact(evalOf(worse, gated({ 'correct/mean': { max: 1 } })))
    const m = compareReports(...files(a, b), { version: '0.1.0' }).evals[0]!.metrics[0]!
    expect(m).toMatchObject({ direction: 'lower', directionSource: 'gate', diff: -0.5 })
    expect(m.rows).toEqual({ improved: 2, regressed: 0, unchanged: 2 })
    const o = compareReports(...files(a, b), {
      version: '0.1.0',
      directions: { correct: 'higher' },
    }).evals[0]!.metrics[0]!
    expect(o).toMatchObject({ direction: 'higher', directionSource: 'option' })
    expect(o.rows).toEqual({ improved: 0, regressed: 2, unchanged: 2 })
  })

  it('a margin or direction for a metric no eval has is an error', async () => {
    const a = await artifact(evalOf({ a: 'yes', b: 'no' }))
    expect(() =>
      compareReports(...files(a, a), { version: '0.1.0', margins: { corect: 0.1 } }),
    ).toThrow(
      'evalgate: compare: margin for metric "corect", which no compared eval has; metrics: correct',
    )
    expect(() =>
      compareReports(...files(a, a), { version: '0.1.0', directions: { x: 'lower' } }),
    ).toThrow(/direction for metric "x"/)
    expect(() => compareReports(...files(a, a), { version: '0.1.0', confidence: 95 })).toThrow(
      /confidence.*strictly between 0 and 1/,
    )
  })

  it('with trials, a row passes when its share of passing trials reaches trialPassRate', async () => {
    const table = [
      [1, 1, 0],
      [1, 1, 1],
    ]
    const def = (t: number[][], rate: number): EvalDef => ({
      name: 'trials',
      file: 'evals/t.eval.ts',
      data: t.map((_, i) => ({ id: `r${i}`, inputs: { i } })),
      scorers: [scorer('ok', ({ outputs }) => outputs === 1)],
      task: replay(t),
      trials: 3,
      trialPassRate: rate,
    })
    const after = [
      [1, 0, 0],
      [1, 1, 1],
    ]
    for (const [rate, flips] of [
      [0.5, 1],
      [1, 0],
    ] as const) {
      const a = await artifact(def(table, rate))
      const b = await artifact(def(after, rate))
      const e = compareReports(...files(a, b), { version: '0.1.0' }).evals[0]!
      expect(e.flips).toHaveLength(flips)
      if (flips === 1) {
        expect(e.flips[0]).toMatchObject({
          baseline: { passed: true, trials: 3, passes: 2 },
          candidate: { passed: false, trials: 3, passes: 1 },
        })
      }
    }
  })
})

describe('parseMargins / parseDirections', () => {
  it('reads metric/mean=number and metric=number', () => {
    expect(parseMargins(['correctness/mean=0.02', 'latency_ms = 50'])).toEqual({
      correctness: 0.02,
      latency_ms: 50,
    })
    expect(parseMargins(['a/b/mean=1'])).toEqual({ 'a/b': 1 })
  })

  it.each([
    [
      'correctness/p90=0.1',
      /a margin is '<metric>\/mean=<number>'; received the aggregation "p90"/,
    ],
    ['correctness/mean=-1', /expected '<metric>\/mean=<number >= 0>'/],
    ['correctness/mean=', /expected '<metric>\/mean=<number >= 0>'/],
    ['=0.1', /expected '<metric>\/mean=<number >= 0>'/],
    ['correctness', /expected '<metric>\/mean=<number >= 0>'/],
  ])('refuses %s', (spec, message) => {
    expect(() => parseMargins([spec])).toThrow(message)
  })

  it('reads metric=higher|lower and refuses anything else', () => {
    expect(parseDirections(['cost=lower', 'quality=higher'])).toEqual({
      cost: 'lower',
      quality: 'higher',
    })
    expect(() => parseDirections(['cost=down'])).toThrow(
      `evalgate: --direction: expected '<metric>=higher' or '<metric>=lower', received "cost=down"`,
    )
  })
})
