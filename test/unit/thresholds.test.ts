import { describe, expect, it } from 'vitest'
import {
  aggregateMetric,
  BUILTIN_AGGREGATIONS,
  type MetricObservations,
  type MetricSummary,
} from '../../src/core/aggregate.js'
import { EvalgateError } from '../../src/base/errors.js'
import { evaluateGates, parseThresholds, type Thresholds } from '../../src/core/thresholds.js'

const builtins: string[] = [...BUILTIN_AGGREGATIONS]
// Inserted out of order: the error message must list metrics sorted.
const available = new Map<string, readonly string[]>([
  ['latency_ms', builtins],
  ['exact_match', builtins],
  ['retrieval_relevance/precision', [...builtins, 'trimmed_mean']],
])
const METRICS = 'exact_match, latency_ms, retrieval_relevance/precision'

function obs(scores: number[], extra: Partial<MetricObservations> = {}): MetricObservations {
  return { scores, passes: 0, withRule: 0, errors: 0, unscored: 0, ...extra }
}

describe('parseThresholds: keys', () => {
  it('returns no gates without thresholds', () => {
    expect(parseThresholds(undefined, available)).toEqual([])
    expect(parseThresholds({}, available)).toEqual([])
  })

  it('splits on the last "/" so metric names may contain "/"', () => {
    expect(parseThresholds({ 'retrieval_relevance/precision/mean': 0.8 }, available)).toStrictEqual(
      [
        {
          key: 'retrieval_relevance/precision/mean',
          metric: 'retrieval_relevance/precision',
          aggregation: 'mean',
          min: 0.8,
        },
      ],
    )
  })

  it('accepts a custom aggregation of that metric only', () => {
    expect(
      parseThresholds({ 'retrieval_relevance/precision/trimmed_mean': 0.5 }, available),
    ).toStrictEqual([
      {
        key: 'retrieval_relevance/precision/trimmed_mean',
        metric: 'retrieval_relevance/precision',
        aggregation: 'trimmed_mean',
        min: 0.5,
      },
    ])
    expect(() => parseThresholds({ 'exact_match/trimmed_mean': 0.5 }, available)).toThrow(
      'metric "exact_match" has no aggregation "trimmed_mean"',
    )
  })

  it('keeps the keys order', () => {
    const gates = parseThresholds(
      { 'latency_ms/p90': { max: 2000 }, 'exact_match/mean': 0.9, 'exact_match/min': 1 },
      available,
    )
    expect(gates.map((g) => g.key)).toEqual([
      'latency_ms/p90',
      'exact_match/mean',
      'exact_match/min',
    ])
  })

  it('rejects a key without "/" showing the expected form and the key', () => {
    expect(() => parseThresholds({ exact_match: 0.9 }, available)).toThrow(
      `evalgate: threshold "exact_match": expected a key of the form '<metric>/<aggregation>' (e.g. 'exact_match/mean'); received "exact_match"`,
    )
  })

  it('rejects a key with an empty metric or aggregation', () => {
    expect(() => parseThresholds({ 'exact_match/': 0.9 }, available)).toThrow(
      `evalgate: threshold "exact_match/": expected a key of the form '<metric>/<aggregation>' (e.g. 'exact_match/mean'); received "exact_match/"`,
    )
    expect(() => parseThresholds({ '/mean': 0.9 }, available)).toThrow(
      `threshold "/mean": expected a key of the form '<metric>/<aggregation>'`,
    )
  })

  it('rejects an unknown metric, listing the metrics sorted', () => {
    expect(() => parseThresholds({ 'exact_macth/mean': 0.9 }, available)).toThrow(
      new EvalgateError(
        `threshold "exact_macth/mean": no metric "exact_macth"; metrics: ${METRICS}`,
      ),
    )
    expect(() => parseThresholds({ 'exact_macth/mean': 0.9 }, new Map())).toThrow(
      'evalgate: threshold "exact_macth/mean": no metric "exact_macth"; metrics: (none)',
    )
  })

  it('rejects an unknown aggregation, listing that metric’s aggregations', () => {
    expect(() => parseThresholds({ 'latency_ms/p91': { max: 2000 } }, available)).toThrow(
      `evalgate: threshold "latency_ms/p91": metric "latency_ms" has no aggregation "p91"; aggregations: ${builtins.join(', ')}`,
    )
  })

  it('collects every bad key in one message, one line per key', () => {
    let message = ''
    try {
      parseThresholds(
        {
          'exact_macth/mean': 0.9,
          'exact_match/mean': 0.9,
          'latency_ms/p91': { max: 2000 },
          latency: 5,
          'exact_match/min': 'high' as unknown as number,
        },
        available,
      )
    } catch (error) {
      expect(error).toBeInstanceOf(EvalgateError)
      message = (error as Error).message
    }
    expect(message.split('\n')).toEqual([
      'evalgate: 4 invalid thresholds:',
      `  threshold "exact_macth/mean": no metric "exact_macth"; metrics: ${METRICS}`,
      `  threshold "latency_ms/p91": metric "latency_ms" has no aggregation "p91"; aggregations: ${builtins.join(', ')}`,
      `  threshold "latency": expected a key of the form '<metric>/<aggregation>' (e.g. 'exact_match/mean'); received "latency"`,
      '  threshold "exact_match/min": expected a number or { min?, max? }; received "high"',
    ])
  })

  it('reports both a bad key and a bad value of the same threshold on its line', () => {
    expect(() => parseThresholds({ 'nope/mean': Number.NaN }, available)).toThrow(
      `evalgate: threshold "nope/mean": no metric "nope"; metrics: ${METRICS}; expected a number or { min?, max? } with finite numbers; received NaN`,
    )
  })

  it('rejects thresholds that are not an object', () => {
    expect(() => parseThresholds([] as unknown as Thresholds, available)).toThrow(
      `evalgate: thresholds: expected an object mapping '<metric>/<aggregation>' to a number or { min?, max? }; received an array of length 0`,
    )
  })
})

describe('parseThresholds: values', () => {
  const parse = (value: unknown) =>
    parseThresholds({ 'exact_match/mean': value as number }, available)[0]

  it('reads a finite number n as { min: n }', () => {
    expect(parse(0.9)).toStrictEqual({
      key: 'exact_match/mean',
      metric: 'exact_match',
      aggregation: 'mean',
      min: 0.9,
    })
    expect(parse(0)).toStrictEqual({
      key: 'exact_match/mean',
      metric: 'exact_match',
      aggregation: 'mean',
      min: 0,
    })
  })

  it('reads { min?, max? } without setting absent bounds to undefined', () => {
    const onlyMax = parse({ max: 2000 })
    expect(onlyMax).toStrictEqual({
      key: 'exact_match/mean',
      metric: 'exact_match',
      aggregation: 'mean',
      max: 2000,
    })
    expect(Object.hasOwn(onlyMax!, 'min')).toBe(false)
    expect(parse({ min: 1, max: 2 })).toMatchObject({ min: 1, max: 2 })
    expect(parse({ min: 1, max: 1 })).toMatchObject({ min: 1, max: 1 })
    const explicitUndefined = parse({ min: undefined, max: 3 })
    expect(Object.hasOwn(explicitUndefined!, 'min')).toBe(false)
    expect(explicitUndefined!.max).toBe(3)
  })

  const prefix = 'evalgate: threshold "exact_match/mean": expected a number or { min?, max? }'
  it.each([
    [Number.NaN, `${prefix} with finite numbers; received NaN`],
    [Number.POSITIVE_INFINITY, `${prefix} with finite numbers; received Infinity`],
    ['0.9', `${prefix}; received "0.9"`],
    [null, `${prefix}; received null`],
    [true, `${prefix}; received true`],
    [[0.9], `${prefix}; received an array of length 1`],
    [{}, `${prefix} with at least one of min, max; received an object {}`],
    [{ max: undefined }, `${prefix} with at least one of min, max; received an object {}`],
    [{ minimum: 1 }, `${prefix}; received an object {"minimum":1} (unknown key "minimum")`],
    [
      { min: 1, lo: 0, hi: 2 },
      `${prefix}; received an object {"min":1,"lo":0,"hi":2} (unknown keys "lo", "hi")`,
    ],
    [{ min: '1' }, `${prefix} with finite numbers; received an object {"min":"1"} (min is "1")`],
    [
      { max: Number.NaN },
      `${prefix} with finite numbers; received an object {"max":null} (max is NaN)`,
    ],
    [
      { min: 2, max: 1 },
      `${prefix} with min <= max; received an object {"min":2,"max":1} (min 2 > max 1)`,
    ],
  ])(
    'rejects %j with a message naming the key, the accepted forms and the value',
    (value, message) => {
      expect(() => parse(value)).toThrow(new EvalgateError(message))
    },
  )
})

describe('evaluateGates', () => {
  const metrics: Record<string, MetricSummary> = {
    latency_ms: aggregateMetric(obs([1000, 1500, 2000, 2500, 3000])),
    exact_match: aggregateMetric(obs([1, 1, 0, 1], { passes: 3, withRule: 4 })),
    length: aggregateMetric(obs([120, 300])),
    empty: aggregateMetric(obs([], { errors: 4 })),
    'retrieval_relevance/precision': aggregateMetric(obs([0.5, 0.7, 0.9]), [
      function trimmed_mean(xs: number[]) {
        return xs[1]!
      },
    ]),
  }
  const gates = (t: Thresholds) =>
    evaluateGates(
      parseThresholds(
        t,
        new Map(
          Object.entries(metrics).map(([m, s]) => [
            m,
            Object.keys(s).filter((k) => k !== 'unscored'),
          ]),
        ),
      ),
      metrics,
    )

  it('passes within bounds and the bounds are inclusive', () => {
    expect(gates({ 'exact_match/mean': 0.75 })).toStrictEqual([
      { key: 'exact_match/mean', min: 0.75, actual: 0.75, passed: true },
    ])
    expect(gates({ 'latency_ms/max': { max: 3000 } })).toStrictEqual([
      { key: 'latency_ms/max', max: 3000, actual: 3000, passed: true },
    ])
    expect(gates({ 'latency_ms/mean': { min: 2000, max: 2000 } })).toStrictEqual([
      { key: 'latency_ms/mean', min: 2000, max: 2000, actual: 2000, passed: true },
    ])
  })

  it('fails below min and above max with a reason', () => {
    expect(gates({ 'exact_match/mean': 0.8 })).toStrictEqual([
      { key: 'exact_match/mean', min: 0.8, actual: 0.75, passed: false, reason: '0.75 < min 0.8' },
    ])
    expect(gates({ 'latency_ms/p90': { max: 2000 } })).toStrictEqual([
      { key: 'latency_ms/p90', max: 2000, actual: 2800, passed: false, reason: '2800 > max 2000' },
    ])
    expect(gates({ 'latency_ms/min': { min: 1001, max: 5000 } })[0]).toMatchObject({
      passed: false,
      reason: '1000 < min 1001',
    })
  })

  it('gates passRate, count, errors, and a custom aggregation of a "/"-named metric', () => {
    const results = gates({
      'exact_match/passRate': { min: 0.75 },
      'exact_match/count': { min: 5 },
      'latency_ms/errors': { max: 0 },
      'retrieval_relevance/precision/trimmed_mean': 0.7,
    })
    expect(results.map((r) => [r.key, r.actual, r.passed])).toEqual([
      ['exact_match/passRate', 0.75, true],
      ['exact_match/count', 4, false],
      ['latency_ms/errors', 0, true],
      ['retrieval_relevance/precision/trimmed_mean', 0.7, true],
    ])
  })

  it('fails a gate over zero scored values, whatever the bound', () => {
    expect(gates({ 'empty/mean': { max: 1e9 }, 'empty/errors': { min: 0 } })).toStrictEqual([
      { key: 'empty/mean', max: 1e9, actual: null, passed: false, reason: 'no scored values' },
      { key: 'empty/errors', min: 0, actual: null, passed: false, reason: 'no scored values' },
    ])
  })

  it('fails a gate whose metric has no summary (even one named like an Object member)', () => {
    const g = [
      { key: 'missing/mean', metric: 'missing', aggregation: 'mean', min: 0 },
      { key: 'constructor/mean', metric: 'constructor', aggregation: 'mean', min: 0 },
    ]
    expect(evaluateGates(g, metrics)).toStrictEqual([
      { key: 'missing/mean', min: 0, actual: null, passed: false, reason: 'no scored values' },
      { key: 'constructor/mean', min: 0, actual: null, passed: false, reason: 'no scored values' },
    ])
  })

  it('fails a passRate gate when no value had a pass rule, saying why', () => {
    expect(gates({ 'length/passRate': 0 })).toStrictEqual([
      {
        key: 'length/passRate',
        min: 0,
        actual: null,
        passed: false,
        reason:
          'passRate has no value: no scored value of "length" has a pass rule (numeric values need a scorer threshold)',
      },
    ])
  })

  it('fails a gate on an aggregation the summary lacks, or on a non-finite value', () => {
    const summary = { ...aggregateMetric(obs([1, 2])), weird: Number.NaN }
    const g = [
      { key: 'm/trimmed_mean', metric: 'm', aggregation: 'trimmed_mean', min: 0 },
      { key: 'm/weird', metric: 'm', aggregation: 'weird', max: 10 },
    ]
    expect(evaluateGates(g, { m: summary })).toStrictEqual([
      {
        key: 'm/trimmed_mean',
        min: 0,
        actual: null,
        passed: false,
        reason: 'no aggregation "trimmed_mean" was computed for "m"',
      },
      {
        key: 'm/weird',
        max: 10,
        actual: null,
        passed: false,
        reason: 'weird is NaN, not a finite number',
      },
    ])
  })

  it('keeps gate order in the results', () => {
    const keys = ['latency_ms/p99', 'exact_match/min', 'empty/mean', 'latency_ms/median']
    const results = gates(Object.fromEntries(keys.map((k) => [k, 0])))
    expect(results.map((r) => r.key)).toEqual(keys)
    expect(results.map((r) => r.passed)).toEqual([true, true, false, true])
  })
})
