// Row shards: one big eval spread over n CI jobs (a CI matrix is the distributed engine), each
// running only its own rows, joined afterwards by `evalgate merge`. A row's shard depends on
// nothing but its key and n, so every job agrees on it without talking to the others.
import { describeValue, EvalgateError } from '../base/errors.js'

/**
 * One shard of n: `index` from 1 to `count` (as `vitest --shard=1/3` and `jest --shard=1/3`
 * count).
 *
 * @example
 * ```ts
 * const shard: Shard = { index: 2, count: 3 }
 * ```
 */
export interface Shard {
  index: number
  count: number
}

/**
 * Parses a shard given as `'i/n'` (1 ≤ i ≤ n), as `EVALGATE_SHARD=2/3` or the `shard` option
 * give it; a {@link Shard} object is checked the same way. Anything else is an
 * {@link EvalgateError} naming `where` (the variable or option it came from), what was expected
 * and what was received.
 *
 * @example
 * ```ts
 * parseShard('2/3') // { index: 2, count: 3 }
 * parseShard('0/3', 'EVALGATE_SHARD')
 * // throws: evalgate: EVALGATE_SHARD: expected "i/n" with whole numbers 1 <= i <= n (e.g. "1/4"), received "0/3"
 * ```
 */
export function parseShard(value: unknown, where = 'shard'): Shard {
  let index: number | undefined
  let count: number | undefined
  if (typeof value === 'string') {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value)
    if (m !== null) {
      index = Number(m[1])
      count = Number(m[2])
    }
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>
    if (typeof o.index === 'number' && typeof o.count === 'number') {
      index = o.index
      count = o.count
    }
  }
  if (
    index === undefined ||
    count === undefined ||
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(count) ||
    index < 1 ||
    index > count
  ) {
    throw new EvalgateError(
      `${where}: expected "i/n" with whole numbers 1 <= i <= n (e.g. "1/4"), received ${describeValue(value)}`,
    )
  }
  return { index, count }
}

/**
 * The shard asked for by the environment: `EVALGATE_SHARD=i/n`, parsed by {@link parseShard};
 * `undefined` when the variable is unset or empty.
 *
 * @example
 * ```ts
 * shardFromEnv({ EVALGATE_SHARD: '1/4' }) // { index: 1, count: 4 }
 * shardFromEnv({}) // undefined
 * ```
 */
export function shardFromEnv(env: Readonly<Record<string, string | undefined>>): Shard | undefined {
  const value = env['EVALGATE_SHARD']
  if (value === undefined || value.trim() === '') return undefined
  return parseShard(value, 'EVALGATE_SHARD')
}

/**
 * What decides a row's shard: its `id` when it has one (so a row keeps its shard when rows are
 * inserted before it), else its index in the dataset.
 *
 * @example
 * ```ts
 * const key: RowKey = { id: 'refund-1', index: 12 }
 * ```
 */
export interface RowKey {
  id?: string | number | null | undefined
  index: number
}

const encoder = new TextEncoder()

/**
 * A stable 32-bit hash of a string: FNV-1a over its UTF-8 bytes, then murmur3's finaliser
 * (fmix32) so that every bit of the result depends on every byte (plain FNV-1a leaves the low
 * bits, which `% n` reads, poorly mixed for short keys). Any language can recompute it.
 */
function hash32(text: string): number {
  let h = 0x811c9dc5
  for (const byte of encoder.encode(text)) {
    h ^= byte
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * The shard (1 to `count`) a row belongs to: a stable hash of its id (`"s:" + id` for a string
 * id, `"n:" + id` for a number, so `1` and `"1"` differ), else of `"i:" + index`, modulo
 * `count`. The same row lands in the same shard on every machine, run and Node version, and all
 * trials of a row land together. Over many rows each shard gets about 1/count of them.
 *
 * Throws an {@link EvalgateError} unless `count` is a whole number ≥ 1 and the index a whole
 * number ≥ 0.
 *
 * @example
 * ```ts
 * const shard = parseShard(process.env.EVALGATE_SHARD ?? '1/1')
 * const mine = rows.filter((row, index) => shardOf({ id: row.id, index }, shard.count) === shard.index)
 * ```
 */
export function shardOf(key: RowKey, count: number): number {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new EvalgateError(
      `shardOf: expected a shard count from 1 up, received ${describeValue(count)}`,
    )
  }
  const { id, index } = key
  let text: string
  if (typeof id === 'string') text = `s:${id}`
  else if (typeof id === 'number') text = `n:${id}`
  else {
    if (!Number.isSafeInteger(index) || index < 0) {
      throw new EvalgateError(
        `shardOf: expected a row index from 0 up, received ${describeValue(index)}`,
      )
    }
    text = `i:${index}`
  }
  if (count === 1) return 1
  return (hash32(text) % count) + 1
}

/**
 * Whether a row runs in `shard` (always, without a shard).
 *
 * @example
 * ```ts
 * const shard = shardFromEnv(process.env)
 * const selected = rows.filter((row, index) => inShard({ id: row.id, index }, shard))
 * ```
 */
export function inShard(key: RowKey, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(key, shard.count) === shard.index
}
