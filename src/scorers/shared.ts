// Helpers shared by the code scorers: option checks, reading fields, rendering values.
import { describeValue, EvalgateError } from '../base/errors.js'
import { toJsonValue } from '../base/json.js'
import { isPlainObject } from '../base/values.js'
import { asTrace, type Trace } from '../trace/trace.js'

/**
 * Options every code scorer takes.
 *
 * @example
 * ```ts
 * const options: BaseScorerOptions = { name: 'answer_exact' } // exactMatch(options)
 * ```
 */
export interface BaseScorerOptions {
  /** The metric name. Each scorer has a default; rename to use one scorer twice in an eval. */
  name?: string
}

/**
 * Checks a factory's options object: an object whose keys are all allowed. Throws an
 * EvalgateError naming the factory, the key and the allowed keys.
 */
export function checkOptions(
  factory: string,
  options: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {}
  if (!isPlainObject(options)) {
    throw new EvalgateError(
      `${factory}(): expected options { ${allowed.map((k) => `${k}?`).join(', ')} }, received ${describeValue(options)}`,
    )
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new EvalgateError(
        `${factory}(): unknown option "${key}" (allowed: ${allowed.join(', ')})`,
      )
    }
  }
  return options
}

/** Throws unless `value` is undefined or a boolean. */
export function checkBoolean(factory: string, key: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new EvalgateError(
      `${factory}(): expected "${key}" to be a boolean, received ${describeValue(value)}`,
    )
  }
}

/** Throws unless `value` is undefined or a finite number (>= 0 when `nonNegative`). */
export function checkNumber(
  factory: string,
  key: string,
  value: unknown,
  nonNegative = false,
): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isFinite(value) || (nonNegative && value < 0)) {
    throw new EvalgateError(
      `${factory}(): expected "${key}" to be a finite number${nonNegative ? ' >= 0' : ''}, received ${describeValue(value)}`,
    )
  }
}

/** Throws unless `value` is undefined or one of `choices`. */
export function checkChoice(
  factory: string,
  key: string,
  value: unknown,
  choices: readonly string[],
): void {
  if (value !== undefined && !(typeof value === 'string' && choices.includes(value))) {
    throw new EvalgateError(
      `${factory}(): expected "${key}" to be one of ${choices.map((c) => `'${c}'`).join(', ')}, received ${describeValue(value)}`,
    )
  }
}

/**
 * The text a text scorer reads from `outputs`: a string as it is, anything else as its JSON
 * text (so `42` is `"42"` and an object is matched against its JSON).
 */
export function textOf(outputs: unknown): string {
  if (typeof outputs === 'string') return outputs
  return JSON.stringify(toJsonValue(outputs)) ?? 'null'
}

/** An expectation the scorer needs; its absence throws (an errored Feedback naming it). */
export function requireExpectation(
  scorerName: string,
  expectations: unknown,
  key: string,
): unknown {
  const value = isPlainObject(expectations) ? expectations[key] : undefined
  if (value === undefined || value === null) {
    const keys = isPlainObject(expectations) ? Object.keys(expectations) : []
    throw new EvalgateError(
      `scorer "${scorerName}" needs expectations.${key}, and the row has none (expectations: ${keys.length === 0 ? 'none' : keys.join(', ')})`,
    )
  }
  return value
}

/**
 * The row's trace for a trace scorer: a Trace, or a stored trace JSON read back; anything else
 * throws (an errored Feedback saying where a trace comes from).
 */
export function requireTrace(scorerName: string, trace: unknown): Trace {
  const t = asTrace(trace)
  if (t === undefined) {
    throw new EvalgateError(
      `scorer "${scorerName}" needs the row's trace: describeEval records one when the eval has a task, and a stored row carries it in "trace"; received ${describeValue(trace)}`,
    )
  }
  return t
}

/** A short rendering of a value for a rationale. */
export function show(value: unknown): string {
  return describeValue(value)
}

/** Structural equality of two values as JSON (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return equal(toJsonValue(a), toJsonValue(b))
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((v, i) => equal(v, bb[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  const bo = b as Record<string, unknown>
  return ka.every((k) => Object.hasOwn(bo, k) && equal((a as Record<string, unknown>)[k], bo[k]))
}

/**
 * Whether `actual` matches `expected` as a subset: an expected object's keys must all be in
 * `actual` with matching values (recursively; `actual` may have more keys); anything else must
 * be equal as JSON.
 */
export function subsetMatch(expected: unknown, actual: unknown): boolean {
  const e = toJsonValue(expected)
  const a = toJsonValue(actual)
  return subset(e, a)
}

function subset(e: unknown, a: unknown): boolean {
  if (isPlainObject(e)) {
    if (!isPlainObject(a)) return false
    return Object.keys(e).every((k) => Object.hasOwn(a, k) && subset(e[k], a[k]))
  }
  return equal(e, a)
}
