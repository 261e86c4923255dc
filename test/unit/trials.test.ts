// Issue 11 in core: trials, per-metric statistics, pass@k / pass^k, confidence gates and the
// verdict of a row test over its trials. The numerics are src/stats/'s (checked against scipy
// in stats-*.test.ts); these tests check that core feeds them the right samples.
import { describe, expect, it } from 'vitest'
import { prepareEval, summarizeEval } from '../../src/core/evaluate.js'
import type { RowResult } from '../../src/core/run.js'
import { scorer } from '../../src/core/scorer.js'
import type { Thresholds } from '../../src/core/thresholds.js'
import { rowTrialsVerdict } from '../../src/core/verdict.js'
import { meanCI, passAtK, passHatK, wilsonCI } from '../../src/stats/index.js'

const ok = scorer('ok', () => true)

/** A RowResult of metric `ok` with a yes/no value. */
function result(index: number, trial: number, passed: boolean): RowResult {
  return {
    index,
    trial,
    id: `r${index}`,
    inputs: {},
    outputs: 'x',
    expectations: null,
    metadata: null,
    latencyMs: null,
    feedback: [
      {
        name: 'ok',
        scorer: 'ok',
        value: passed,
        score: passed ? 1 : 0,
        passed,
        rationale: null,
        error: null,
        source: { type: 'CODE', id: 'ok' },
        metadata: null,
      },
    ],
    error: null,
    passed,
  } as RowResult
}

/** Rows × trials from a table of pass counts: passes[i] of `trials` trials pass for row i. */
function grid(passes: readonly number[], trials: number): RowResult[] {
  return passes.flatMap((c, index) =>
    Array.from({ length: trials }, (_, t) => result(index, t, t < c)),
  )
}

function prepared(trials: number, thresholds?: Thresholds, extra: object = {}) {
  return prepareEval({ scorers: [ok], hasTask: false, trials, thresholds, ...extra })
}

describe('prepareEval with trials and statistics', () => {
  it('offers pass@k and pass^k up to the trials, and refuses k beyond them', () => {
    expect(prepared(3, { 'ok/pass^3': 1, 'ok/pass@2': 0.9 }).gates).toHaveLength(2)
    expect(() => prepared(3, { 'ok/pass^5': 1 })).toThrow('metric "ok" has no aggregation "pass^5"')
  })

  it('refuses confidence where no interval exists, require without confidence, and bad options', () => {
    expect(() => prepared(1, { 'ok/p90': { min: 0.5, confidence: 0.95 } })).toThrow(
      '"confidence" reads a confidence interval, which mean, passRate, pass@k and pass^k have and p90 has not',
    )
    expect(() => prepared(1, { 'ok/mean': { min: 0.5, require: 'plausible' } })).toThrow(
      '"require" needs "confidence"',
    )
    expect(() => prepared(1, { 'ok/mean': { min: 0.5, confidence: 95 } })).toThrow(
      'expected "confidence" to be a level strictly between 0 and 1',
    )
    expect(() => prepared(0)).toThrow('"trials": expected a whole number from 1 and up, received 0')
    expect(() => prepared(2, undefined, { trialPassRate: 0 })).toThrow('"trialPassRate"')
    expect(() => prepared(2, undefined, { statistics: { method: 'jackknife' } })).toThrow(
      `"statistics.method": expected 't' or 'bootstrap', received "jackknife"`,
    )
    expect(() => prepared(2, { 'ok/pass@2': { max: 2 } })).toThrow(
      'bound max 2 is outside the range [0, 1] that pass@2 can take',
    )
  })
})

describe('summarizeEval: statistics per metric', () => {
  const passes = [3, 3, 2, 0, 1, 3, 3, 2]
  const rows = grid(passes, 3)

  it('the mean has a t interval with the SE clustered by row', () => {
    const s = summarizeEval(prepared(3), rows)
    const scores = rows.map((r) => r.feedback[0]!.score!)
    const clusters = rows.map((r) => r.index)
    const expected = meanCI(scores, { clusters, confidence: 0.95 })!
    const m = s.metrics.ok!
    expect(m.stderr).toBeCloseTo(expected.stderr, 12)
    expect(m.ci).toEqual({
      level: 0.95,
      method: 't',
      low: Math.max(0, expected.low),
      high: Math.min(1, expected.high),
    })
    // Rows 2 and 4 and 7 disagree across their trials.
    expect(m.flaky).toBe(3)
  })

  it('pass@k and pass^k are the unbiased estimators averaged over rows, never (c/n)^k', () => {
    const s = summarizeEval(prepared(3), rows)
    for (const k of [1, 2, 3]) {
      const at = passes.reduce((sum, c) => sum + passAtK(3, c, k), 0) / passes.length
      const hat = passes.reduce((sum, c) => sum + passHatK(3, c, k), 0) / passes.length
      expect(s.metrics.ok![`pass@${k}`]).toBeCloseTo(at, 12)
      expect(s.metrics.ok![`pass^${k}`]).toBeCloseTo(hat, 12)
    }
    const mean = passes.reduce((a, c) => a + c, 0) / 24
    expect(s.metrics.ok!['pass^2']).not.toBeCloseTo(mean ** 2, 6)
  })

  it('a single-trial pass rate gets the Wilson interval', () => {
    const single = grid([1, 1, 0, 1, 1, 0, 1, 1, 1, 1], 1)
    const s = summarizeEval(prepared(1), single)
    const w = wilsonCI(8, 10, 0.95)
    expect(s.metrics.ok!.ci).toEqual({ level: 0.95, method: 'wilson', low: w.low, high: w.high })
    expect(s.metrics.ok!['pass@1']).toBeUndefined()
  })

  it('the bootstrap is seeded: the same rows give the same interval, another seed another', () => {
    const many = grid(
      Array.from({ length: 60 }, (_, i) => (i * 7) % 4),
      3,
    )
    const boot = (seed: number) =>
      summarizeEval(prepared(3, undefined, { statistics: { method: 'bootstrap', seed } }), many)
        .metrics.ok!.ci as unknown as { method: string } | null
    expect(boot(1)).toEqual(boot(1))
    expect(boot(1)).not.toEqual(boot(2))
    expect(boot(1)?.method).toBe('bootstrap')
  })

  it('one row has no interval: stderr and ci are null, never NaN', () => {
    const s = summarizeEval(prepared(3), grid([2], 3))
    expect(s.metrics.ok!.stderr).toBeNull()
    expect(s.metrics.ok!.ci).toBeNull()
  })
})

describe('gates with confidence', () => {
  // 40 rows x 3 trials, 80% pass: the 95% interval is roughly [0.7, 0.9].
  const rows = grid(
    Array.from({ length: 40 }, (_, i) => [3, 2, 3, 2, 2][i % 5]!),
    3,
  )
  const gate = (thresholds: Thresholds) =>
    summarizeEval(prepared(3, thresholds), rows).thresholds[0]!

  it('{ min, confidence } passes when the lower bound proves the target, and says so', () => {
    const g = gate({ 'ok/mean': { min: 0.6, confidence: 0.95 } })
    expect(g.passed).toBe(true)
    expect(g.confidence).toBe(0.95)
    expect(g.bound).toBeGreaterThan(0.6)
    expect(g.bound).toBeLessThan(g.actual!)
    expect(g.reason).toMatch(/^95% CI \[0\.\d+, 0\.\d+\] \(t, n = 120 in 40 rows\)$/)
  })

  it('fails when the point estimate clears the target but the interval does not prove it', () => {
    const point = gate({ 'ok/mean': { min: 0.78 } })
    expect(point.passed).toBe(true)
    const proven = gate({ 'ok/mean': { min: 0.78, confidence: 0.95 } })
    expect(proven.passed).toBe(false)
    expect(proven.reason).toMatch(/^lower bound 0\.\d+ < min 0\.78 \(95% CI \[/)
  })

  it("require: 'plausible' fails only when the whole interval is on the wrong side", () => {
    const plausible = gate({ 'ok/mean': { min: 0.82, confidence: 0.95, require: 'plausible' } })
    expect(plausible.passed).toBe(true)
    expect(plausible.require).toBe('plausible')
    expect(plausible.bound).toBeGreaterThan(0.82)
    const disproven = gate({ 'ok/mean': { min: 0.95, confidence: 0.95, require: 'plausible' } })
    expect(disproven.passed).toBe(false)
    expect(disproven.reason).toMatch(/^upper bound 0\.\d+ < min 0\.95/)
  })

  it('a max gate compares the upper bound; pass^k and passRate have intervals too', () => {
    expect(gate({ 'ok/mean': { max: 0.85, confidence: 0.95 } }).passed).toBe(false)
    expect(gate({ 'ok/mean': { max: 0.95, confidence: 0.95 } }).passed).toBe(true)
    const hat = gate({ 'ok/pass^3': { min: 0.2, confidence: 0.95 } })
    expect(hat.passed).toBe(true)
    expect(hat.reason).toContain('n = 40)')
    expect(gate({ 'ok/passRate': { min: 0.7, confidence: 0.9 } }).reason).toContain('90% CI')
  })

  it('without an interval (one row) the gate fails: nothing is proven', () => {
    const g = summarizeEval(
      prepared(3, { 'ok/mean': { min: 0.1, confidence: 0.95 } }),
      grid([3], 3),
    ).thresholds[0]!
    expect(g.passed).toBe(false)
    expect(g.bound).toBeNull()
    expect(g.reason).toBe('no 95% confidence interval for mean: it needs at least 2 rows')
  })
})

describe('rowTrialsVerdict', () => {
  it('unit-test mode: each metric must pass in trialPassRate of the trials', () => {
    const trials = [result(0, 0, true), result(0, 1, false), result(0, 2, true)]
    const strict = rowTrialsVerdict(prepared(3), trials)
    expect(strict.failed).toBe(true)
    expect(strict.message).toContain('ok passed 2 of 3 trials, below trialPassRate 1')
    expect(rowTrialsVerdict(prepared(3, undefined, { trialPassRate: 0.6 }), trials).failed).toBe(
      false,
    )
  })

  it('with thresholds, failing trials never fail the row test', () => {
    const trials = [result(0, 0, false), result(0, 1, false)]
    expect(rowTrialsVerdict(prepared(2, { 'ok/mean': 0.5 }), trials).failed).toBe(false)
  })
})

describe('statistics never write a non-finite number', () => {
  it('scores near the largest double give no interval rather than Infinity or NaN', () => {
    const huge = [1.7e308, -1.7e308, 1.7e308, 1.6e308].map(
      (score, index) =>
        ({
          ...result(index, 0, true),
          feedback: [{ ...result(index, 0, true).feedback[0]!, value: score, score, passed: null }],
        }) as RowResult,
    )
    const m = summarizeEval(prepared(1), huge).metrics.ok!
    expect(m.stderr).toBeNull()
    expect(m.ci).toBeNull()
  })
})

describe('trials in unit-test mode and unanimous rows', () => {
  it('a row whose tests pass by trialPassRate does not fail the eval', () => {
    const rows = [result(0, 0, true), result(0, 1, false), result(0, 2, true)]
    const lenient = summarizeEval(prepared(3, undefined, { trialPassRate: 0.6 }), rows)
    expect(lenient.passed).toBe(true)
    const strict = summarizeEval(prepared(3), rows)
    expect(strict.failures).toEqual(['1 row(s) failed a metric'])
  })

  it('rows that pass every trial get an interval below 1, not a point', () => {
    const s = summarizeEval(prepared(3), grid([3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 3))
    const ci = s.metrics.ok!.ci as unknown as { method: string; low: number; high: number }
    expect(ci.method).toBe('wilson')
    expect(ci.high).toBe(1)
    expect(ci.low).toBeLessThan(0.8)
    const gate = summarizeEval(
      prepared(3, { 'ok/mean': { min: 0.99, confidence: 0.95 } }),
      grid([3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 3),
    ).thresholds[0]!
    expect(gate.passed).toBe(false)
  })
})
