import { isPlainObject } from './values.js'

// Turning arbitrary span values (function arguments, SDK responses, errors) into plain JSON, and
// capping their size for the report with a visible marker.

/** How deep a value is copied before the rest is replaced by a marker string. */
const MAX_DEPTH = 64

/**
 * A JSON-safe copy of `value`, such that `JSON.parse(JSON.stringify(copy))` deep-equals `copy`:
 * `undefined` object members are dropped, non-finite numbers become `null` (as JSON does) and
 * `-0` becomes `0`; functions, symbols and bigints become descriptive strings; objects with a
 * `toJSON` method (Date, Buffer) are serialised by it; Maps become objects (or arrays of entries
 * when a key is not a string), Sets arrays, Errors `{ name, message, stack? }`; a cycle becomes
 * the string `"[Circular]"`. Nothing is mutated.
 */
export function toJsonValue(value: unknown): unknown {
  return copy(value, new Set(), 0)
}

function copy(value: unknown, seen: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (!Number.isFinite(value)) return null
      return value === 0 ? 0 : value
    case 'undefined':
      return null
    case 'bigint':
      return `${value}n`
    case 'symbol':
      return value.toString()
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`
  }
  if (value === null) return null
  const object = value as object
  if (seen.has(object)) return '[Circular]'
  if (depth >= MAX_DEPTH) return '[MaxDepth]'
  seen.add(object)
  try {
    return copyObject(object, seen, depth + 1)
  } catch (error) {
    // A throwing getter or toJSON, a revoked Proxy: say so rather than lose the whole trace.
    return `[Unserialisable: ${error instanceof Error ? error.message : String(error)}]`
  } finally {
    seen.delete(object)
  }
}

function copyObject(object: object, seen: Set<object>, depth: number): unknown {
  if (Array.isArray(object)) {
    const out = new Array<unknown>(object.length)
    for (let i = 0; i < object.length; i++) out[i] = copy(object[i], seen, depth)
    return out
  }
  const toJSON = (object as { toJSON?: unknown }).toJSON
  if (typeof toJSON === 'function') {
    return copy((toJSON as () => unknown).call(object), seen, depth)
  }
  if (object instanceof Error) {
    const out: Record<string, unknown> = { name: object.name, message: object.message }
    if (object.stack !== undefined) out.stack = object.stack
    return out
  }
  if (object instanceof Map) {
    const entries = [...object.entries()]
    if (entries.every(([key]) => typeof key === 'string')) {
      return copyEntries(entries as Array<[string, unknown]>, seen, depth)
    }
    return entries.map(([key, v]) => [copy(key, seen, depth), copy(v, seen, depth)])
  }
  if (object instanceof Set) return [...object].map((v) => copy(v, seen, depth))
  if (ArrayBuffer.isView(object)) return Array.from(object as unknown as ArrayLike<number>)
  return copyEntries(Object.entries(object), seen, depth)
}

function copyEntries(
  entries: ReadonlyArray<[string, unknown]>,
  seen: Set<object>,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, v] of entries) {
    // As JSON.stringify: an absent member, not a null one. (Functions are kept, as a label:
    // a callback argument is worth seeing in a trace.)
    if (v === undefined || typeof v === 'symbol') continue
    define(out, key, copy(v, seen, depth))
  }
  return out
}

/** Sets an own property, even one named `__proto__` (which `out[key] = v` would not). */
export function define(out: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  } else {
    out[key] = v
  }
}

/**
 * What replaces a value whose JSON is larger than the cap: never a silent cut.
 *
 * @example
 * ```ts
 * const marker: TruncatedValue = { __truncated__: true, originalBytes: 90_000, preview: '{"a":…' }
 * ```
 */
export interface TruncatedValue {
  __truncated__: true
  /** The size of the value's JSON text, in UTF-8 bytes. */
  originalBytes: number
  /** The start of the value's JSON text. */
  preview: string
}

/**
 * `value` (already JSON-safe) as it is when its JSON text is at most `maxBytes` UTF-8 bytes,
 * else a {@link TruncatedValue} marker with the original size and the start of the text.
 */
export function capJsonValue(value: unknown, maxBytes: number): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value
  // A marker is already capped (its preview is bounded): capping again must not nest markers.
  if (isTruncatedValue(value)) return value
  // A string's JSON is at least as long as the string: short ones need no measuring.
  if (typeof value === 'string' && value.length * 3 + 2 <= maxBytes) return value
  const text = JSON.stringify(value)
  // UTF-8 is at most 3 bytes per UTF-16 code unit: skip the exact count when it cannot exceed.
  if (text.length * 3 <= maxBytes) return value
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes <= maxBytes) return value
  return {
    __truncated__: true,
    originalBytes: bytes,
    preview: previewOf(text, Math.max(16, Math.min(1024, Math.floor(maxBytes / 4)))),
  } satisfies TruncatedValue
}

function isTruncatedValue(v: unknown): v is TruncatedValue {
  return (
    isPlainObject(v) &&
    v.__truncated__ === true &&
    typeof v.originalBytes === 'number' &&
    typeof v.preview === 'string' &&
    Object.keys(v).length === 3
  )
}

function previewOf(text: string, chars: number): string {
  let end = Math.min(chars, text.length)
  // Do not cut a surrogate pair in half.
  const last = text.charCodeAt(end - 1)
  if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

/**
 * Why `value` is not plain JSON data as a scorer may return it, or `undefined` when it is:
 * strings, booleans, `null`, finite numbers, arrays and plain objects (an `undefined` member of
 * an object is allowed: JSON drops it), and objects with a `toJSON` method (a Date) judged by
 * what it returns. The problem names the path from `where`, e.g.
 * `metadata.usage.costUsd is a bigint (1n)`.
 */
export function jsonProblem(value: unknown, where: string): string | undefined {
  return problemAt(value, where, new Set(), 0)
}

function problemAt(
  value: unknown,
  where: string,
  seen: Set<object>,
  depth: number,
): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : `${where} is ${String(value)}, not a finite number`
    case 'bigint':
      return `${where} is a bigint (${value}n), which JSON cannot hold`
    case 'function':
      return `${where} is a function${value.name ? ` (${value.name})` : ''}, which JSON cannot hold`
    case 'symbol':
      return `${where} is a symbol (${value.toString()}), which JSON cannot hold`
    case 'undefined':
      return `${where} is undefined`
  }
  if (value === null) return undefined
  const object = value as object
  if (seen.has(object)) return `${where} refers back to itself (a cycle), which JSON cannot hold`
  if (depth >= MAX_DEPTH) return `${where} is nested more than ${MAX_DEPTH} levels deep`
  seen.add(object)
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const p = problemAt(object[i], `${where}[${i}]`, seen, depth + 1)
        if (p !== undefined) return p
      }
      return undefined
    }
    const toJSON = (object as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') {
      return problemAt((toJSON as () => unknown).call(object), where, seen, depth + 1)
    }
    const proto = Object.getPrototypeOf(object)
    if (proto !== Object.prototype && proto !== null) {
      const name = (proto as { constructor?: { name?: unknown } }).constructor?.name
      return `${where} is ${typeof name === 'string' && name !== '' ? `a ${name}` : 'a class instance'}, not a plain object`
    }
    for (const key of Object.keys(object)) {
      const v = (object as Record<string, unknown>)[key]
      if (v === undefined) continue
      const p = problemAt(v, `${where}.${key}`, seen, depth + 1)
      if (p !== undefined) return p
    }
    return undefined
  } catch (error) {
    return `${where} cannot be read (${error instanceof Error ? error.message : String(error)})`
  } finally {
    seen.delete(object)
  }
}

/**
 * `value` as the artifact stores it: itself when it is already plain JSON data of at most
 * `maxBytes` (no copy, the common case), else a JSON-safe copy by {@link toJsonValue}'s rules
 * (`undefined` members dropped, NaN → `null`, bigints and functions as strings, cycles as
 * `"[Circular]"`), replaced by a `__truncated__` marker (see {@link capJsonValue}) when its JSON
 * is larger than `maxBytes`.
 *
 * @example
 * ```ts
 * storedValue({ n: 1n }, 1024) // { n: '1n' }
 * storedValue('x'.repeat(5000), 1024) // { __truncated__: true, originalBytes: 5002, preview: '"xxx…' }
 * ```
 */
export function storedValue(value: unknown, maxBytes: number): unknown {
  // Strings, numbers, booleans and null need no walk (the hot path: most outputs are text).
  if (typeof value === 'string' && value.length * 6 + 2 <= maxBytes) return value
  if (value === null || typeof value === 'boolean') return value
  let size: number
  try {
    size = plainJsonSize(value, 0)
  } catch {
    // A getter that throws, a revoked Proxy: the copy says so where it happens.
    size = -1
  }
  // Plain data that certainly fits: kept as it is.
  if (size >= 0 && size <= maxBytes) return value
  return capJsonValue(size >= 0 ? value : toJsonValue(value), maxBytes)
}

/**
 * An upper bound of the UTF-8 size of `value`'s JSON when it is plain JSON data (every value
 * JSON keeps as it is: no `undefined`, NaN, -0, bigint, function, symbol, `toJSON`, class
 * instance or array hole), else -1. A cycle is found by its depth (no set of seen objects to
 * allocate on the hot path): past {@link MAX_DEPTH} levels the value goes to the copy, which
 * marks cycles and depth as the trace rules say.
 */
function plainJsonSize(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      // At most 6 bytes a UTF-16 unit (\uXXXX), plus the quotes.
      return value.length * 6 + 2
    case 'boolean':
      return 5
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? 24 : -1
    case 'object':
      break
    default:
      return -1
  }
  if (value === null) return 4
  if (depth >= MAX_DEPTH) return -1
  let size = 2
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return -1
      const s = plainJsonSize(value[i], depth + 1)
      if (s < 0) return -1
      size += s + 1
    }
    return size
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return -1
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return -1
  for (const key in value) {
    if (!Object.hasOwn(value, key) || key === '__proto__') return -1
    const s = plainJsonSize((value as Record<string, unknown>)[key], depth + 1)
    if (s < 0) return -1
    size += key.length * 6 + 4 + s
  }
  return size
}
