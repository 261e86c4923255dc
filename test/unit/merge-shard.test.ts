import { describe, expect, it } from 'vitest'
import { inShard, parseShard, shardFromEnv, shardOf } from '../../src/core/shard.js'

describe('parseShard', () => {
  it('reads "i/n" and { index, count }', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 })
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 })
    expect(parseShard({ index: 4, count: 4 })).toEqual({ index: 4, count: 4 })
  })

  it.each([
    ['0/3', '"0/3"'],
    ['4/3', '"4/3"'],
    ['1/0', '"1/0"'],
    ['1', '"1"'],
    ['a/b', '"a/b"'],
    ['1.5/3', '"1.5/3"'],
    [3, '3'],
    [{ index: 0, count: 2 }, 'an object {"index":0,"count":2}'],
  ])('refuses %j, naming where it came from', (value, shown) => {
    expect(() => parseShard(value, 'EVALGATE_SHARD')).toThrow(
      `evalgate: EVALGATE_SHARD: expected "i/n" with whole numbers 1 <= i <= n (e.g. "1/4"), received ${shown}`,
    )
  })

  it('shardFromEnv reads EVALGATE_SHARD, and nothing when it is unset or empty', () => {
    expect(shardFromEnv({ EVALGATE_SHARD: '3/4' })).toEqual({ index: 3, count: 4 })
    expect(shardFromEnv({})).toBeUndefined()
    expect(shardFromEnv({ EVALGATE_SHARD: ' ' })).toBeUndefined()
    expect(() => shardFromEnv({ EVALGATE_SHARD: '5/4' })).toThrow(/^evalgate: EVALGATE_SHARD: /)
  })
})

describe('shardOf', () => {
  // FNV-1a over UTF-8 then murmur3's fmix32, modulo n, plus 1: computed independently in Python
  // (the hash is documented so any tool can recompute a row's shard).
  it.each([
    [{ id: 'q0', index: 0 }, 3, 2],
    [{ id: 'refund-1', index: 5 }, 4, 3],
    [{ id: 7, index: 0 }, 5, 4],
    [{ id: '7', index: 0 }, 5, 2],
    [{ index: 0 }, 3, 3],
    [{ id: null, index: 12 }, 7, 6],
    [{ id: 'héllo', index: 0 }, 10, 1],
    [{ id: '', index: 3 }, 2, 1],
  ])('%j of %i is shard %i (the same on every machine)', (key, n, shard) => {
    expect(shardOf(key, n)).toBe(shard)
  })

  it('the id decides, not the index: a row keeps its shard when rows move', () => {
    expect(shardOf({ id: 'q0', index: 0 }, 7)).toBe(shardOf({ id: 'q0', index: 999 }, 7))
  })

  it('spreads 30,000 rows evenly, and the shards partition them', () => {
    const n = 4
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 30_000; i++) {
      const key = { id: `row-${i}`, index: i }
      const owners = [1, 2, 3, 4].filter((s) => inShard(key, { index: s, count: n }))
      expect(owners).toHaveLength(1)
      counts[owners[0]! - 1]!++
    }
    for (const c of counts) expect(Math.abs(c - 7500)).toBeLessThan(300)
    const byIndex = [0, 0, 0]
    for (let i = 0; i < 30_000; i++) byIndex[shardOf({ index: i }, 3) - 1]!++
    for (const c of byIndex) expect(Math.abs(c - 10_000)).toBeLessThan(350)
  })

  it('one shard holds every row; no shard means every row runs', () => {
    expect(shardOf({ id: 'x', index: 1 }, 1)).toBe(1)
    expect(inShard({ index: 5 }, undefined)).toBe(true)
  })

  it('refuses a bad count or index', () => {
    expect(() => shardOf({ index: 0 }, 0)).toThrow(
      'evalgate: shardOf: expected a shard count from 1 up, received 0',
    )
    expect(() => shardOf({ index: -1 }, 2)).toThrow(
      'evalgate: shardOf: expected a row index from 0 up, received -1',
    )
  })
})
