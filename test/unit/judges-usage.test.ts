import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PRICES, type JudgeUsage, sumUsage } from '../../src/judges/index.js'
import { costUsd, priceOf } from '../../src/judges/prices.js'
import { backoffMs, retryAfterMs } from '../../src/judges/request.js'

const usage = (over: Partial<JudgeUsage> = {}): JudgeUsage => ({
  model: 'gpt-4.1-mini',
  requests: 1,
  cacheHits: 0,
  inputTokens: 100,
  outputTokens: 10,
  costUsd: 0.000056,
  ...over,
})

describe('sumUsage', () => {
  it('adds counts and known costs', () => {
    expect(
      sumUsage([
        usage(),
        usage({ requests: 0, cacheHits: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 }),
      ]),
    ).toEqual({ requests: 1, cacheHits: 1, inputTokens: 100, outputTokens: 10, costUsd: 0.000056 })
  })

  it('a cost that is unknown anywhere makes the total unknown, never smaller', () => {
    expect(sumUsage([usage(), usage({ model: 'local', costUsd: null })]).costUsd).toBeNull()
  })

  it('the sum of nothing has zero counts and costUsd null, like the report’s empty usage', () => {
    expect(sumUsage([])).toEqual({
      requests: 0,
      cacheHits: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
    })
  })

  it('is additive: summing parts then the totals equals summing everything', () => {
    const arb = fc.record({
      model: fc.constant('m'),
      requests: fc.nat(10),
      cacheHits: fc.nat(1),
      inputTokens: fc.nat(100_000),
      outputTokens: fc.nat(10_000),
      costUsd: fc.option(
        fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1e6),
        { nil: null },
      ),
    })
    fc.assert(
      fc.property(fc.array(arb), fc.array(arb), (a, b) => {
        const whole = sumUsage([...a, ...b])
        const parts = sumUsage([sumUsage(a), sumUsage(b)].filter((_, i) => [a, b][i]!.length > 0))
        expect(parts.requests).toBe(whole.requests)
        expect(parts.inputTokens).toBe(whole.inputTokens)
        expect(parts.costUsd === null).toBe(whole.costUsd === null)
        if (whole.costUsd !== null) expect(parts.costUsd).toBeCloseTo(whole.costUsd, 9)
      }),
    )
  })
})

describe('prices', () => {
  it('cost from the table, per 1M tokens; dated snapshots use the base model’s price', () => {
    expect(DEFAULT_PRICES['gpt-4.1-mini']).toEqual({ input: 0.4, output: 1.6 })
    expect(costUsd('gpt-4.1-mini', 1_000_000, 1_000_000, undefined)).toBe(2)
    expect(costUsd('gpt-4.1-mini-2025-04-14', 1_000_000, 0, undefined)).toBe(0.4)
  })

  it('unknown models have no price; overrides add and replace', () => {
    expect(priceOf('llama-3-local', undefined)).toBeUndefined()
    expect(costUsd('llama-3-local', 10, 10, undefined)).toBeNull()
    const overrides = {
      'llama-3-local': { input: 0, output: 0 },
      'gpt-4o': { input: 1, output: 1 },
    }
    expect(costUsd('llama-3-local', 10, 10, overrides)).toBe(0)
    expect(costUsd('gpt-4o', 1_000_000, 0, overrides)).toBe(1)
  })
})

describe('retry timing', () => {
  const h = (o: Record<string, string>) => new Headers(o)

  it('retry-after-ms wins, then retry-after seconds or HTTP date; capped at 60 s', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250)
    expect(retryAfterMs(h({ 'retry-after': '2' }))).toBe(2000)
    expect(retryAfterMs(h({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000)
    expect(retryAfterMs(h({ 'retry-after': '3600' }))).toBe(60_000)
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined()
    expect(retryAfterMs(h({}))).toBeUndefined()
  })

  it('backoff is full jitter under min(8 s, 500 ms × 2^retry)', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
        const ms = backoffMs(retry, () => r)
        expect(ms).toBeGreaterThanOrEqual(0)
        expect(ms).toBeLessThan(Math.min(8000, 500 * 2 ** retry))
      }),
    )
    expect(backoffMs(0, () => 0.5)).toBe(250)
    expect(backoffMs(10, () => 0.5)).toBe(4000)
  })
})
