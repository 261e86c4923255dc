import { describe, expect, it } from 'vitest'
import { EvalgateError } from '../../src/base/errors.js'
import {
  aggregateMetric,
  BUILTIN_AGGREGATIONS,
  type MetricObservations,
  type MetricSummary,
} from '../../src/core/aggregate.js'
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
  return {
    scores,
    passes: 0,
    withRule: 0,
    errors: 0,
    unscored: 0,
    skipped: 0,
    binary: false,
    ...extra,
  }
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
        `threshold "exact_macth/mean": no metric "exact_macth" (did you mean "exact_match"?); metrics: ${METRICS}`,
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
      `  threshold "exact_macth/mean": no metric "exact_macth" (did you mean "exact_match"?); metrics: ${METRICS}`,
      `  threshold "latency_ms/p91": metric "latency_ms" has no aggregation "p91"; aggregations: ${builtins.join(', ')}`,
      `  threshold "latency": expected a key of the form '<metric>/<aggregation>' (e.g. 'exact_match/mean'); received "latency"`,
      '  threshold "exact_match/min": expected a number or { min?, max?, confidence?, require? }; received "high"',
    ])
  })

  it('reports both a bad key and a bad value of the same threshold on its line', () => {
    expect(() => parseThresholds({ 'nope/mean': Number.NaN }, available)).toThrow(
      `evalgate: threshold "nope/mean": no metric "nope"; metrics: ${METRICS}; expected a number or { min?, max?, confidence?, require? } with finite numbers; received NaN`,
    )
  })

  it('rejects thresholds that are not an object', () => {
    expect(() => parseThresholds([] as unknown as Thresholds, available)).toThrow(
      `evalgate: thresholds: expected an object mapping '<metric>/<aggregation>' to a number or { min?, max?, confidence?, require? }; received an array of length 0`,
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

  const prefix =
    'evalgate: threshold "exact_match/mean": expected a number or { min?, max?, confidence?, require? }'
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
    const summary: MetricSummary = Object.assign(aggregateMetric(obs([1, 2])), {
      weird: Number.NaN,
    })
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

describe('parseThresholds: a hint for an unknown metric', () => {
  it('appends the caller\'s hint to the "no metric" problem', () => {
    expect(() =>
      parseThresholds({ 'length/mean': 0.5 }, available, (metric) =>
        metric === 'length' ? 'Declare it.' : undefined,
      ),
    ).toThrow(
      new EvalgateError(
        `evalgate: threshold "length/mean": no metric "length"; metrics: ${METRICS}. Declare it.`,
      ),
    )
    expect(() =>
      parseThresholds({ 'other/mean': 0.5 }, available, (metric) =>
        metric === 'length' ? 'Declare it.' : undefined,
      ),
    ).toThrow(
      new EvalgateError(`evalgate: threshold "other/mean": no metric "other"; metrics: ${METRICS}`),
    )
  })
})

describe('parseThresholds: a bound outside the range an aggregation can take', () => {
  const parse = (key: string, value: unknown) =>
    parseThresholds({ [key]: value as number }, available)
  const never = (bound: string, range: string, aggregation: string, what: 'fail' | 'pass') =>
    `bound ${bound} is outside the range ${range} that ${aggregation} can take; this gate could never ${what}`

  it.each([
    ['exact_match/passRate', { max: 5 }, never('max 5', '[0, 1]', 'passRate', 'fail')],
    ['exact_match/passRate', { min: 2 }, never('min 2', '[0, 1]', 'passRate', 'pass')],
    ['exact_match/passRate', 1.5, never('min 1.5', '[0, 1]', 'passRate', 'pass')],
    ['exact_match/passRate', { min: -1 }, never('min -1', '[0, 1]', 'passRate', 'fail')],
    ['exact_match/passRate', { max: -0.5 }, never('max -0.5', '[0, 1]', 'passRate', 'pass')],
    ['exact_match/count', { min: -1 }, never('min -1', '[0, ∞)', 'count', 'fail')],
    ['latency_ms/errors', { min: -3 }, never('min -3', '[0, ∞)', 'errors', 'fail')],
    ['latency_ms/errors', { max: -1 }, never('max -1', '[0, ∞)', 'errors', 'pass')],
    ['latency_ms/variance', { min: -1 }, never('min -1', '[0, ∞)', 'variance', 'fail')],
    ['latency_ms/stdev', { max: -1 }, never('max -1', '[0, ∞)', 'stdev', 'pass')],
    [
      'exact_match/passRate',
      { min: -1, max: 2 },
      `${never('min -1', '[0, 1]', 'passRate', 'fail')}; ${never('max 2', '[0, 1]', 'passRate', 'fail')}`,
    ],
  ])('refuses %s %j before any row runs', (key, value, problem) => {
    expect(() => parse(key, value)).toThrow(
      new EvalgateError(`evalgate: threshold ${JSON.stringify(key)}: ${problem}`),
    )
  })

  it('accepts bounds at the edges of the range, and any bound where the range is not known', () => {
    expect(parse('exact_match/passRate', { min: 0, max: 1 })).toHaveLength(1)
    expect(parse('exact_match/passRate', 1)).toHaveLength(1)
    expect(parse('exact_match/count', { min: 0 })).toHaveLength(1)
    expect(parse('latency_ms/errors', { max: 0 })).toHaveLength(1)
    expect(parse('latency_ms/mean', { min: -5, max: 1e9 })).toHaveLength(1)
    expect(parse('retrieval_relevance/precision/trimmed_mean', { max: -1 })).toHaveLength(1)
  })

  it('lists an out-of-range bound with the other bad keys', () => {
    expect(() => parseThresholds({ 'exact_match/passRate': 2, 'nope/mean': 1 }, available)).toThrow(
      `evalgate: 2 invalid thresholds:\n  threshold "exact_match/passRate": ${never('min 2', '[0, 1]', 'passRate', 'pass')}\n  threshold "nope/mean": no metric "nope"`,
    )
  })
})

describe('evaluateGates: a bound outside the range the values show', () => {
  // Every scored value of "toxic" was yes/no (or boolean): its value aggregations lie in [0, 1].
  const toxic = aggregateMetric(obs([1, 1, 1], { passes: 3, withRule: 3, binary: true }), [
    function share(xs: number[]) {
      return xs.length
    },
  ])
  const gate = (aggregation: string, bounds: { min?: number; max?: number }) => ({
    key: `toxic/${aggregation}`,
    metric: 'toxic',
    aggregation,
    ...bounds,
  })
  const never = (bound: string, range: string, aggregation: string, what: 'fail' | 'pass') =>
    `bound ${bound} is outside the range ${range} that ${aggregation} of a yes/no metric can take; this gate could never ${what}`

  it('fails a gate whose bound the values of a yes/no metric can never reach, saying why', () => {
    const results = evaluateGates(
      [
        gate('mean', { max: 5 }),
        gate('mean', { min: 2 }),
        gate('p90', { min: -1 }),
        gate('variance', { max: 0.5 }),
        gate('stdev', { min: 0.6 }),
        gate('median', { min: 0.5, max: 3 }),
      ],
      { toxic },
      { toxic: 'binary' },
    )
    expect(results).toStrictEqual([
      {
        key: 'toxic/mean',
        max: 5,
        actual: 1,
        passed: false,
        reason: never('max 5', '[0, 1]', 'mean', 'fail'),
      },
      {
        key: 'toxic/mean',
        min: 2,
        actual: 1,
        passed: false,
        reason: never('min 2', '[0, 1]', 'mean', 'pass'),
      },
      {
        key: 'toxic/p90',
        min: -1,
        actual: 1,
        passed: false,
        reason: never('min -1', '[0, 1]', 'p90', 'fail'),
      },
      {
        key: 'toxic/variance',
        max: 0.5,
        actual: 0,
        passed: false,
        reason: never('max 0.5', '[0, 0.25]', 'variance', 'fail'),
      },
      {
        key: 'toxic/stdev',
        min: 0.6,
        actual: 0,
        passed: false,
        reason: never('min 0.6', '[0, 0.5]', 'stdev', 'pass'),
      },
      {
        key: 'toxic/median',
        min: 0.5,
        max: 3,
        actual: 1,
        passed: false,
        reason: never('max 3', '[0, 1]', 'median', 'fail'),
      },
    ])
  })

  it('passes bounds inside the range, and leaves numeric metrics and custom aggregations alone', () => {
    const inside = evaluateGates(
      [gate('mean', { min: 0, max: 1 }), gate('stdev', { max: 0.5 }), gate('share', { max: 5 })],
      { toxic },
      { toxic: 'binary' },
    )
    expect(inside.map((r) => r.passed)).toEqual([true, true, true])
    // The same bound on a numeric metric (or with no kind known) is an ordinary gate.
    expect(
      evaluateGates([gate('mean', { max: 5 })], { toxic }, { toxic: 'numeric' })[0],
    ).toStrictEqual({ key: 'toxic/mean', max: 5, actual: 1, passed: true })
    expect(evaluateGates([gate('mean', { max: 5 })], { toxic })[0]!.passed).toBe(true)
  })
})

describe('evaluateGates: an aggregation that failed', () => {
  it('fails a gate on it with the recorded reason; the other gates are as usual', () => {
    const m = aggregateMetric(obs([1, 2, 3]), [
      function trimmed(): number {
        throw new Error('boom')
      },
    ])
    const g = [
      { key: 'm/trimmed', metric: 'm', aggregation: 'trimmed', min: 0 },
      { key: 'm/mean', metric: 'm', aggregation: 'mean', min: 0 },
    ]
    expect(evaluateGates(g, { m })).toStrictEqual([
      {
        key: 'm/trimmed',
        min: 0,
        actual: null,
        passed: false,
        reason: 'custom aggregation "trimmed" threw: boom',
      },
      { key: 'm/mean', min: 0, actual: 2, passed: true },
    ])
  })

  it('fails a gate on a variance beyond the largest double, saying it overflows', () => {
    const m = aggregateMetric(obs([-Number.MAX_VALUE, Number.MAX_VALUE]))
    const [r] = evaluateGates(
      [{ key: 'm/variance', metric: 'm', aggregation: 'variance', max: 1 }],
      {
        m,
      },
    )
    expect(r).toMatchObject({ actual: null, passed: false })
    expect(r!.reason).toMatch(/^variance overflows: about 3\.23e616/)
  })
})

describe('evaluateGates: reasons render numbers as the report does', () => {
  const summary = (value: number): MetricSummary => ({
    count: 1,
    errors: 0,
    unscored: 0,
    skipped: 0,
    mean: value,
    p90: value,
    max: value,
  })
  const reason = (metric: string, aggregation: string, value: number, bounds: object) =>
    evaluateGates([{ key: `${metric}/${aggregation}`, metric, aggregation, ...bounds }], {
      [metric]: summary(value),
    })[0]!.reason

  it('never puts a raw float in a reason', () => {
    expect(reason('latency_ms', 'p90', 12222.221220000001, { min: 100000 })).toBe(
      '12222 < min 100000',
    )
    expect(reason('exact_match', 'mean', 2 / 3, { min: 0.9 })).toBe('0.667 < min 0.9')
    expect(reason('length', 'mean', 1234.5678, { max: 1000 })).toBe('1235 > max 1000')
    expect(reason('m', 'mean', 1e-7, { min: 0.5 })).toBe('1e-7 < min 0.5')
  })

  it('shows more digits when the short forms would read equal (never "0.9 < min 0.9")', () => {
    expect(reason('exact_match', 'mean', 0.8999999, { min: 0.9 })).toBe('0.8999999 < min 0.9')
    expect(reason('exact_match', 'mean', 0.8999999999999999, { min: 0.9 })).toBe(
      '0.8999999999999999 < min 0.9',
    )
    expect(reason('latency_ms', 'max', 2000.4, { max: 2000 })).toBe('2000.4 > max 2000')
    expect(reason('latency_ms', 'p90', 1999.6, { min: 2000 })).toBe('1999.6 < min 2000')
    expect(reason('m', 'mean', 0.1234, { min: 0.123456789 })).toBe('0.1234 < min 0.123456789')
  })
})

describe('parseThresholds: typos', () => {
  const available = new Map([
    ['exact_match', ['mean', 'p90', 'passRate']],
    ['latency_ms', ['mean', 'p90']],
  ])
  it('names the metric or aggregation a near miss meant', () => {
    expect(() => parseThresholds({ 'exact_mtach/mean': 0.9 }, available)).toThrow(
      'no metric "exact_mtach" (did you mean "exact_match"?)',
    )
    expect(() => parseThresholds({ 'latency_ms/p09': { max: 1 } }, available)).toThrow(
      'metric "latency_ms" has no aggregation "p09" (did you mean "p90"?)',
    )
  })
  it('suggests nothing for a name far from every metric, and asks how it could exist instead', () => {
    const message = (() => {
      try {
        parseThresholds({ 'length/mean': 1 }, available, () => 'declare it')
      } catch (error) {
        return (error as Error).message
      }
      return ''
    })()
    expect(message).not.toContain('did you mean')
    expect(message).toContain('declare it')
  })
})
