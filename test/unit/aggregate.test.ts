import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EvalgateError } from '../../src/base/errors.js'
import {
  type AggregationSpec,
  aggregateMetric,
  BUILTIN_AGGREGATIONS,
  type CustomAggregation,
  customAggregationName,
  type MetricObservations,
  percentile,
  validateAggregations,
} from '../../src/core/aggregate.js'

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

// Naive, obviously-correct reference implementations (numpy semantics).
function refSorted(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b)
}
function refMean(xs: readonly number[]): number {
  let s = 0
  for (const x of xs) s += x
  return s / xs.length
}
function refVariance(xs: readonly number[]): number {
  const m = refMean(xs)
  let s = 0
  for (const x of xs) s += (x - m) * (x - m)
  return s / xs.length
}
function refPercentile(xs: readonly number[], p: number): number {
  const a = refSorted(xs)
  const rank = (p / 100) * (a.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return a[lo]! + (a[hi]! - a[lo]!) * (rank - lo)
}

/** |actual − expected| within a relative tolerance of the data's scale, plus an absolute one. */
function expectClose(actual: number | null | undefined, expected: number, scale = 1): void {
  expect(typeof actual).toBe('number')
  const tol = 1e-9 * Math.max(1, Math.abs(expected), scale)
  if (Math.abs((actual as number) - expected) > tol) {
    throw new Error(`expected ${actual} to be within ${tol} of ${expected}`)
  }
}

const tiedArrays = fc.array(
  fc.integer({ min: -5, max: 5 }).map((x) => x / 2),
  { minLength: 1, maxLength: 200 },
)
const doubleArrays = fc.array(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  { minLength: 1, maxLength: 200 },
)
const anyArrays = fc.oneof(tiedArrays, doubleArrays)

describe('percentile', () => {
  it('matches numpy linear interpolation on hand-checked cases', () => {
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 12)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5)
    expect(percentile([15, 20, 35, 40, 50], 50)).toBe(35)
    expect(percentile([15, 20, 35, 40, 50], 90)).toBeCloseTo(46, 12)
    expect(percentile([15, 20, 35, 40, 50], 95)).toBeCloseTo(48, 12)
    expect(percentile([15, 20, 35, 40, 50], 99)).toBeCloseTo(49.6, 12)
    expect(percentile([15, 20, 35, 40, 50], 0)).toBe(15)
    expect(percentile([15, 20, 35, 40, 50], 100)).toBe(50)
    expect(percentile([7], 42)).toBe(7)
  })

  it('matches numpy bit for bit (its lerp interpolates from the nearer end)', () => {
    // Values printed by np.percentile; the naive a + (b − a)·t differs in the last bits.
    expect(percentile([-4.9, -1.0, -0.1], 90)).toBe(-0.27999999999999997)
    expect(percentile([-4.9, -1.0, -0.1], 95)).toBe(-0.19000000000000009)
    expect(percentile([-4.9, -1.0, -0.1], 99)).toBe(-0.11800000000000002)
    expect(percentile([-10.0, -1.1, 5.2], 90)).toBe(3.9400000000000004)
    expect(percentile([-10.0, -1.1, 5.2], 95)).toBe(4.569999999999999)
  })

  it('rejects an empty array and p outside [0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(EvalgateError)
    expect(() => percentile([], 50)).toThrow(
      'evalgate: percentile of an empty array has no value; expected at least one number',
    )
    expect(() => percentile([1], 101)).toThrow(
      'evalgate: percentile expects p from 0 to 100; received 101',
    )
    expect(() => percentile([1], -1)).toThrow('received -1')
    expect(() => percentile([1], Number.NaN)).toThrow('received NaN')
  })

  it('agrees with the naive reference for any p', () => {
    fc.assert(
      fc.property(anyArrays, fc.double({ min: 0, max: 100, noNaN: true }), (xs, p) => {
        const scale = Math.max(...xs.map(Math.abs))
        expectClose(percentile(refSorted(xs), p), refPercentile(xs, p), scale)
      }),
    )
  })
})

describe('aggregateMetric', () => {
  it('computes every builtin on a hand-checked case (numpy values)', () => {
    const s = aggregateMetric(obs([4, 1, 3, 2], { passes: 3, withRule: 4, errors: 2, unscored: 1 }))
    expect(s.count).toBe(4)
    expect(s.errors).toBe(2)
    expect(s.unscored).toBe(1)
    expect(s.mean).toBe(2.5)
    expect(s.min).toBe(1)
    expect(s.max).toBe(4)
    expect(s.median).toBe(2.5)
    expect(s.p50).toBe(2.5)
    expect(s.variance).toBe(1.25)
    expect(s.stdev).toBeCloseTo(1.118033988749895, 14)
    expect(s.p90).toBeCloseTo(3.7, 12)
    expect(s.p95).toBeCloseTo(3.85, 12)
    expect(s.p99).toBeCloseTo(3.97, 12)
    expect(s.passRate).toBe(0.75)
  })

  it('has the summary keys in a stable order: count, errors, unscored, skipped, builtins, customs', () => {
    const s = aggregateMetric(obs([1]), [
      function spread(xs: number[]) {
        return xs.length
      },
    ])
    expect(Object.keys(s)).toEqual([
      'count',
      'errors',
      'unscored',
      'skipped',
      'mean',
      'min',
      'max',
      'median',
      'variance',
      'stdev',
      'p50',
      'p90',
      'p95',
      'p99',
      'passRate',
      'spread',
    ])
  })

  it('gives null for every value aggregation when there are no scores (no NaN, no 0)', () => {
    const s = aggregateMetric(obs([], { errors: 3, unscored: 2, skipped: 4 }))
    expect(s).toStrictEqual({
      count: 0,
      errors: 3,
      unscored: 2,
      skipped: 4,
      mean: null,
      min: null,
      max: null,
      median: null,
      variance: null,
      stdev: null,
      p50: null,
      p90: null,
      p95: null,
      p99: null,
      passRate: null,
    })
  })

  it('does not call a custom aggregation on zero scores: it is null', () => {
    const never = function never(): number {
      throw new Error('must not be called')
    }
    const s = aggregateMetric(obs([]), [never])
    expect(s['never']).toBeNull()
  })

  it('gives passRate null when no value had a pass rule, never an invented one', () => {
    expect(aggregateMetric(obs([120, 300], { passes: 0, withRule: 0 })).passRate).toBeNull()
    expect(aggregateMetric(obs([1, 0, 1], { passes: 2, withRule: 3 })).passRate).toBeCloseTo(2 / 3)
    expect(aggregateMetric(obs([1, 0], { passes: 0, withRule: 2 })).passRate).toBe(0)
  })

  it('is numerically stable: variance around a large offset (naive E[x²]−E[x]² fails here)', () => {
    const s = aggregateMetric(obs([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]))
    expect(s.variance).toBeCloseTo(22.5, 9)
    expect(s.mean).toBe(1e9 + 10)
  })

  it('keeps the mean of equal values exactly equal to them, and their variance 0', () => {
    const s = aggregateMetric(obs([0.1, 0.1, 0.1]))
    expect(s.mean).toBe(0.1)
    expect(s.variance).toBe(0)
    expect(s.stdev).toBe(0)
  })

  it('handles a single score', () => {
    const s = aggregateMetric(obs([7]))
    expect([s.mean, s.min, s.max, s.median, s.p90, s.p99, s.variance]).toEqual([
      7, 7, 7, 7, 7, 7, 0,
    ])
  })

  it('rejects a non-finite score instead of producing NaN', () => {
    expect(() => aggregateMetric(obs([1, Number.NaN]))).toThrow(
      'evalgate: scores[1] is NaN; aggregations expect finite numbers only',
    )
  })

  it('does not mutate the scores', () => {
    const scores = [3, 1, 2]
    aggregateMetric(obs(scores))
    expect(scores).toEqual([3, 1, 2])
  })

  it('runs a custom aggregation by its function name on a copy of the scores, in row order', () => {
    let received: number[] = []
    const trimmed_mean: CustomAggregation = (xs) => {
      received = xs
      const t = [...xs].sort((a, b) => a - b).slice(1, -1)
      xs.length = 0 // mutating the copy must not affect the metric
      return t.reduce((a, b) => a + b, 0) / t.length
    }
    const scores = [10, 1, 3, 2, 100]
    const s = aggregateMetric(obs(scores), [trimmed_mean])
    expect(s['trimmed_mean']).toBe(5)
    expect(received).not.toBe(scores)
    expect(scores).toEqual([10, 1, 3, 2, 100])
    expect(s.count).toBe(5)
  })

  it('records a custom aggregation that throws as null with its reason; the rest stands', () => {
    const trimmed: CustomAggregation = () => {
      throw new Error('boom')
    }
    const spread = function spread(xs: number[]) {
      return Math.max(...xs) - Math.min(...xs)
    }
    let s: ReturnType<typeof aggregateMetric> | undefined
    expect(() => {
      s = aggregateMetric(obs([1, 2, 3]), [trimmed, spread])
    }).not.toThrow()
    expect(s!['trimmed']).toBeNull()
    expect(s!['spread']).toBe(2)
    expect(s!.mean).toBe(2)
    expect(s!.p90).toBeCloseTo(2.8, 12)
    expect(s!.aggregationErrors).toStrictEqual({
      trimmed: 'custom aggregation "trimmed" threw: boom',
    })
    // The reason is the last key, after every aggregation.
    expect(Object.keys(s!).at(-1)).toBe('aggregationErrors')
  })

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    ['high', '"high"'],
    [undefined, 'undefined'],
    [null, 'null'],
    [1n, '1n'],
  ])('records a custom aggregation that returns %s as null with its reason', (result, shown) => {
    const trimmed_mean = (() => result) as unknown as CustomAggregation
    const s = aggregateMetric(obs([1, 2]), [trimmed_mean])
    expect(s['trimmed_mean']).toBeNull()
    expect(s.mean).toBe(1.5)
    expect(s.aggregationErrors).toStrictEqual({
      trimmed_mean: `custom aggregation "trimmed_mean" returned ${shown}; expected a finite number`,
    })
  })

  it('records a non-Error thrown by a custom aggregation, and several failures at once', () => {
    const a: CustomAggregation = () => {
      throw 'nope'
    }
    const b: CustomAggregation = () => Number.NaN
    const s = aggregateMetric(obs([1]), [a, b])
    expect(s.aggregationErrors).toStrictEqual({
      a: 'custom aggregation "a" threw: "nope"',
      b: 'custom aggregation "b" returned NaN; expected a finite number',
    })
  })

  it('has no aggregationErrors key when every aggregation has its value', () => {
    const ok: CustomAggregation = (xs) => xs.length
    expect(Object.hasOwn(aggregateMetric(obs([1]), [ok]), 'aggregationErrors')).toBe(false)
    expect(Object.hasOwn(aggregateMetric(obs([]), [ok]), 'aggregationErrors')).toBe(false)
  })

  it('rejects an anonymous or builtin-named custom aggregation', () => {
    expect(() => aggregateMetric(obs([1]), [(xs: number[]) => xs.length])).toThrow(
      /custom aggregation has no name; pass a named function/,
    )
    const mean: CustomAggregation = () => 0
    expect(() => aggregateMetric(obs([1]), [mean])).toThrow(
      'custom aggregation "mean" has the name of a builtin aggregation',
    )
  })
})

const MAX = Number.MAX_VALUE

describe('aggregateMetric near Number.MAX_VALUE (no overflow on finite scores)', () => {
  it('gives a finite mean, stdev and percentiles for [1.7e308, 1.7e308, -1.7e308]', () => {
    const a = 1.7e308
    const s = aggregateMetric(obs([a, a, -a]))
    expect((s.mean as number) / (a / 3)).toBeCloseTo(1, 12)
    expect(s.min).toBe(-a)
    expect(s.max).toBe(a)
    expect(s.median).toBe(a)
    expect(s.p90).toBe(a)
    expect(s.p99).toBe(a)
    // variance = 8a²/9 ≈ 2.57e616 is beyond the largest double: null, with the reason kept.
    expect(s.variance).toBeNull()
    expect(s.aggregationErrors).toStrictEqual({
      variance:
        'variance overflows: about 2.57e616, beyond the largest finite number (1.80e308); stdev is kept',
    })
    expect((s.stdev as number) / (Math.sqrt(8 / 9) * a)).toBeCloseTo(1, 12)
  })

  it('keeps the mean of equal huge scores equal to them, and their variance 0', () => {
    for (const x of [1.7e308, MAX, -MAX]) {
      const s = aggregateMetric(obs([x, x, x]))
      expect(s.mean).toBe(x)
      expect(s.variance).toBe(0)
      expect(s.stdev).toBe(0)
      expect(s.median).toBe(x)
      expect(Object.hasOwn(s, 'aggregationErrors')).toBe(false)
    }
  })

  it('interpolates percentiles between -MAX and MAX without overflow (no NaN, no ±Infinity)', () => {
    const s = aggregateMetric(obs([-MAX, MAX]))
    expect(s.mean).toBe(0)
    expect(s.median).toBe(0)
    expect(s.p50).toBe(0)
    expect((s.p90 as number) / (0.8 * MAX)).toBeCloseTo(1, 12)
    expect(s.stdev).toBe(MAX)
    expect(s.variance).toBeNull()
    expect(s.aggregationErrors?.variance).toMatch(/^variance overflows: about 3\.23e616, beyond/)
    expect(percentile([-MAX, MAX], 0)).toBe(-MAX)
    expect(percentile([-MAX, MAX], 100)).toBe(MAX)
    expect(percentile([-MAX, -MAX / 2, MAX], 25)).toBe(-0.75 * MAX)
  })

  const extremes = fc.constantFrom(
    MAX,
    -MAX,
    1.7e308,
    -1.7e308,
    MAX / 3,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    0,
    -0,
    1,
  )
  const finiteArrays = fc.array(
    fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), extremes),
    { minLength: 1, maxLength: 60 },
  )

  it('property: every aggregation of finite scores is finite, or null with its reason', () => {
    fc.assert(
      fc.property(finiteArrays, (xs) => {
        const s = aggregateMetric(obs(xs, { passes: 0, withRule: xs.length }))
        for (const name of BUILTIN_AGGREGATIONS) {
          const v = s[name]
          if (v === null) {
            expect(typeof s.aggregationErrors?.[name], `${name} is null without a reason`).toBe(
              'string',
            )
          } else {
            expect(Number.isFinite(v), `${name} is ${v}`).toBe(true)
          }
        }
        // Only a variance beyond the largest double may be missing.
        expect(Object.keys(s.aggregationErrors ?? {}).filter((k) => k !== 'variance')).toEqual([])
      }),
      { numRuns: 500 },
    )
  })

  it('property: min <= mean <= max, min <= p50 <= p90 <= p95 <= p99 <= max, 0 <= stdev <= range/2', () => {
    fc.assert(
      fc.property(finiteArrays, (xs) => {
        const s = aggregateMetric(obs(xs))
        const min = s.min as number
        const max = s.max as number
        const chain = [min, s.p50, s.p90, s.p95, s.p99, max] as number[]
        for (let i = 1; i < chain.length; i++) expect(chain[i - 1]).toBeLessThanOrEqual(chain[i]!)
        expect(s.median).toBe(s.p50)
        expect(s.mean).toBeGreaterThanOrEqual(min)
        expect(s.mean).toBeLessThanOrEqual(max)
        // The mean is accurate to the data's scale: Σ(x/n) cannot overflow.
        const maxAbs = Math.max(...xs.map(Math.abs))
        let ref = 0
        for (const x of xs) ref += x / xs.length
        // (Plus rounding in the subnormal range, where the step is Number.MIN_VALUE.)
        expect(Math.abs((s.mean as number) - ref)).toBeLessThanOrEqual(
          1e-12 * maxAbs + xs.length * Number.MIN_VALUE,
        )
        expect(s.stdev).toBeGreaterThanOrEqual(0)
        expect(s.stdev).toBeLessThanOrEqual(max / 2 - min / 2)
        if (s.variance !== null) expect(s.variance).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 500 },
    )
  })
})

describe('aggregateMetric properties', () => {
  it('agrees with the naive reference on every aggregation', () => {
    fc.assert(
      fc.property(anyArrays, fc.nat(), fc.nat(), (xs, a, b) => {
        const withRule = Math.min(a, xs.length)
        const passes = Math.min(b, withRule)
        const s = aggregateMetric(obs(xs, { passes, withRule, errors: a, unscored: b }))
        const scale = Math.max(...xs.map(Math.abs))
        const sorted = refSorted(xs)
        expect(s.count).toBe(xs.length)
        expect(s.errors).toBe(a)
        expect(s.unscored).toBe(b)
        expectClose(s.mean, refMean(xs), scale)
        expect(s.min).toBe(sorted[0])
        expect(s.max).toBe(sorted[sorted.length - 1])
        expectClose(s.median, refPercentile(xs, 50), scale)
        expectClose(s.variance, refVariance(xs), scale * scale)
        expectClose(s.stdev, Math.sqrt(refVariance(xs)), scale)
        expectClose(s.p50, refPercentile(xs, 50), scale)
        expectClose(s.p90, refPercentile(xs, 90), scale)
        expectClose(s.p95, refPercentile(xs, 95), scale)
        expectClose(s.p99, refPercentile(xs, 99), scale)
        if (withRule === 0) expect(s.passRate).toBeNull()
        else expect(s.passRate).toBe(passes / withRule)
      }),
      { numRuns: 300 },
    )
  })

  it('orders min <= mean <= max and min <= p50 <= p90 <= p95 <= p99 <= max', () => {
    fc.assert(
      fc.property(anyArrays, (xs) => {
        const s = aggregateMetric(obs(xs))
        const chain = [s.min, s.p50, s.p90, s.p95, s.p99, s.max] as number[]
        for (let i = 1; i < chain.length; i++) expect(chain[i - 1]).toBeLessThanOrEqual(chain[i]!)
        expect(s.mean).toBeGreaterThanOrEqual(s.min as number)
        expect(s.mean).toBeLessThanOrEqual(s.max as number)
      }),
      { numRuns: 300 },
    )
  })

  it('has median === p50, stdev² ≈ variance and variance >= 0', () => {
    fc.assert(
      fc.property(anyArrays, (xs) => {
        const s = aggregateMetric(obs(xs))
        expect(s.median).toBe(s.p50)
        expect(s.variance).toBeGreaterThanOrEqual(0)
        const scale = Math.max(...xs.map(Math.abs))
        expectClose((s.stdev as number) ** 2, s.variance as number, scale * scale)
      }),
      { numRuns: 300 },
    )
  })

  it('does not depend on the order of the input', () => {
    fc.assert(
      fc.property(
        anyArrays.chain((xs) =>
          fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length })),
        ),
        ([xs, shuffled]) => {
          const a = aggregateMetric(obs(xs))
          const b = aggregateMetric(obs(shuffled))
          const scale = Math.max(...xs.map(Math.abs))
          for (const name of ['min', 'max', 'median', 'p50', 'p90', 'p95', 'p99'] as const) {
            expect(b[name]).toBe(a[name])
          }
          // Summation order may move the last bits of mean and variance only.
          expectClose(b.mean, a.mean as number, scale)
          expectClose(b.variance, a.variance as number, scale * scale)
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('customAggregationName', () => {
  it('is the function name', () => {
    const trimmed_mean: CustomAggregation = () => 0
    expect(customAggregationName(trimmed_mean)).toBe('trimmed_mean')
    expect(
      customAggregationName(function top_decile() {
        return 0
      }),
    ).toBe('top_decile')
  })

  it('rejects an anonymous function, telling the user to name it', () => {
    const fns: CustomAggregation[] = [() => 0]
    expect(() => customAggregationName(fns[0]!)).toThrow(EvalgateError)
    expect(() => customAggregationName(fns[0]!)).toThrow(
      /^evalgate: custom aggregation has no name; pass a named function \(e\.g\. `function trimmed_mean/,
    )
  })
})

describe('validateAggregations', () => {
  const builtinList = BUILTIN_AGGREGATIONS.join(', ')

  it('accepts undefined, builtin names and named functions', () => {
    const trimmed_mean: CustomAggregation = () => 0
    expect(() => validateAggregations('m', undefined)).not.toThrow()
    expect(() => validateAggregations('m', [...BUILTIN_AGGREGATIONS, trimmed_mean])).not.toThrow()
    // The same function twice is harmless.
    expect(() => validateAggregations('m', [trimmed_mean, trimmed_mean])).not.toThrow()
  })

  it('rejects an unknown builtin name, listing the builtins', () => {
    expect(() => validateAggregations('latency_ms', ['p91' as AggregationSpec])).toThrow(
      `evalgate: aggregations of "latency_ms": unknown aggregation "p91" at index 0; builtin aggregations: ${builtinList} (or pass a named function for a custom one)`,
    )
  })

  it('rejects an entry that is neither a string nor a function', () => {
    expect(() => validateAggregations('m', ['mean', 42 as unknown as AggregationSpec])).toThrow(
      'evalgate: aggregations of "m": entry 1 must be a builtin aggregation name or a named function `(scores: number[]) => number`; received 42',
    )
  })

  it('rejects a non-array', () => {
    expect(() => validateAggregations('m', 'mean' as unknown as AggregationSpec[])).toThrow(
      'evalgate: aggregations of "m": expected an array of builtin names or named functions; received "mean"',
    )
  })

  it('rejects an anonymous custom aggregation, naming the metric', () => {
    expect(() => validateAggregations('relevance', [(xs: number[]) => xs.length])).toThrow(
      /^evalgate: aggregations of "relevance": custom aggregation has no name; pass a named function/,
    )
  })

  it('rejects a custom name that collides with a builtin or a summary key', () => {
    const p90: CustomAggregation = () => 0
    expect(() => validateAggregations('m', [p90])).toThrow(
      'evalgate: aggregations of "m": custom aggregation "p90" has the name of a builtin aggregation; rename the function',
    )
    const unscored: CustomAggregation = () => 0
    expect(() => validateAggregations('m', [unscored])).toThrow(
      'custom aggregation "unscored" has the name of a builtin aggregation',
    )
  })

  it('rejects two different custom aggregations with one name', () => {
    const a = function dup(): number {
      return 1
    }
    const b = function dup(): number {
      return 2
    }
    expect(() => validateAggregations('m', [a, b])).toThrow(
      'evalgate: aggregations of "m": two different custom aggregations are named "dup"; give each function its own name',
    )
  })
})
