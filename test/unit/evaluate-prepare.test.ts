import { describe, expect, it } from 'vitest'
import { EvalgateError } from '../../src/base/errors.js'
import { prepareEval, runEval } from '../../src/core/evaluate.js'
import { scorer } from '../../src/core/scorer.js'

const exact = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected,
)

describe('prepareEval: scorers', () => {
  it('refuses an empty scorers array (it would pass vacuously), with or without a task', () => {
    const message = 'evalgate: "scorers": expected at least one Scorer, received an empty array'
    expect(() => prepareEval({ scorers: [], hasTask: false })).toThrow(new EvalgateError(message))
    expect(() => prepareEval({ scorers: [], hasTask: true })).toThrow(new EvalgateError(message))
  })

  it('runEval refuses scorers: [] before any row runs', async () => {
    let calls = 0
    await expect(
      runEval({
        data: [{ inputs: { q: 1 } }],
        task: () => {
          calls++
          return 'x'
        },
        scorers: [],
      }),
    ).rejects.toThrow('"scorers": expected at least one Scorer, received an empty array')
    expect(calls).toBe(0)
  })
})

describe('prepareEval: a threshold on a name no scorer declares', () => {
  it('names the metrics option and the scorers that may return named Feedback', () => {
    // "quality" returns { name: 'length' } without declaring it.
    const quality = scorer('quality', () => [{ name: 'length', value: 150 }])
    expect(() =>
      prepareEval({ scorers: [quality], hasTask: true, thresholds: { 'length/mean': 100 } }),
    ).toThrow(
      new EvalgateError(
        'evalgate: threshold "length/mean": no metric "length"; metrics: latency_ms, quality. If a scorer returns Feedback named "length", declare it: scorer("quality", fn, { metrics: ["length", ...] }) (scorers that may return named Feedback: quality)',
      ),
    )
  })

  it('lists every scorer without declared metrics, and leaves out those that declare theirs', () => {
    const quality = scorer('quality', () => [{ name: 'length', value: 150 }])
    const style = scorer('style', () => true)
    const declared = scorer('grounding', () => [], { metrics: ['support', 'coverage'] })
    expect(() =>
      prepareEval({
        scorers: [declared, quality, style],
        hasTask: false,
        thresholds: { 'length/p90': { max: 200 } },
      }),
    ).toThrow(
      'no metric "length"; metrics: coverage, quality, style, support. If a scorer returns Feedback named "length", declare it: scorer("quality", fn, { metrics: ["length", ...] }) (scorers that may return named Feedback: quality, style)',
    )
  })

  it('gives no declaration hint when every scorer declares its metrics', () => {
    const declared = scorer('grounding', () => [], { metrics: ['support'] })
    expect(() =>
      prepareEval({ scorers: [declared], hasTask: false, thresholds: { 'length/mean': 1 } }),
    ).toThrow(
      new EvalgateError('evalgate: threshold "length/mean": no metric "length"; metrics: support'),
    )
  })

  it('says latency_ms needs a task, rather than a declaration', () => {
    expect(() =>
      prepareEval({
        scorers: [exact],
        hasTask: false,
        thresholds: { 'latency_ms/p90': { max: 10 } },
      }),
    ).toThrow(
      new EvalgateError(
        'evalgate: threshold "latency_ms/p90": no metric "latency_ms"; metrics: exact_match. latency_ms is recorded only when the eval has a task',
      ),
    )
  })
})

describe('prepareEval: bounds outside the range known before any row runs', () => {
  it('refuses a passRate bound outside [0, 1] and a negative count bound', () => {
    expect(() =>
      prepareEval({
        scorers: [exact],
        hasTask: false,
        thresholds: { 'exact_match/passRate': { max: 5 } },
      }),
    ).toThrow(
      'evalgate: threshold "exact_match/passRate": bound max 5 is outside the range [0, 1] that passRate can take; this gate could never fail',
    )
    expect(() =>
      prepareEval({
        scorers: [exact],
        hasTask: false,
        thresholds: { 'exact_match/count': { min: -1 } },
      }),
    ).toThrow(
      'bound min -1 is outside the range [0, ∞) that count can take; this gate could never fail',
    )
  })
})
