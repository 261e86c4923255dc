import { describeValue, EvalgateError } from '../base/errors.js'
import { type Feedback, type Scorer, scorer } from '../core/scorer.js'
import {
  type BaseScorerOptions,
  checkBoolean,
  checkChoice,
  checkNumber,
  checkOptions,
  jsonEqual,
  requireExpectation,
  show,
  textOf,
} from './shared.js'

/**
 * Options of {@link exactMatch}.
 *
 * @example
 * ```ts
 * const options: ExactMatchOptions = { caseSensitive: false, trim: true }
 * ```
 */
export interface ExactMatchOptions extends BaseScorerOptions {
  /** Compare strings ignoring case. Default `true` (case matters). */
  caseSensitive?: boolean
  /** Compare strings without leading and trailing whitespace. Default `false`. */
  trim?: boolean
}

/**
 * Whether `outputs` equals `expectations.expected_response` (boolean, metric `exact_match`).
 * Two strings are compared as text (optionally ignoring case and surrounding whitespace); any
 * other values are compared structurally as JSON (object key order does not matter). A row
 * without `expected_response` is an errored Feedback that says so.
 *
 * @example
 * ```ts
 * import { exactMatch } from 'evalgate/scorers'
 * const scorers = [exactMatch({ trim: true })]
 * // fail rationale: outputs "Lyon" differ from expected_response "Paris" (first difference at character 0)
 * ```
 */
export function exactMatch(options?: ExactMatchOptions): Scorer {
  const o = checkOptions('exactMatch', options, ['name', 'caseSensitive', 'trim'])
  checkBoolean('exactMatch', 'caseSensitive', o.caseSensitive)
  checkBoolean('exactMatch', 'trim', o.trim)
  const name = (o.name as string | undefined) ?? 'exact_match'
  const caseSensitive = o.caseSensitive !== false
  const trim = o.trim === true
  const norm = (s: string) => {
    const t = trim ? s.trim() : s
    return caseSensitive ? t : t.toLowerCase()
  }
  return scorer(name, ({ outputs, expectations }): Feedback => {
    const expected = requireExpectation(name, expectations, 'expected_response')
    if (typeof outputs === 'string' && typeof expected === 'string') {
      const a = norm(outputs)
      const b = norm(expected)
      if (a === b) return { value: true, rationale: 'outputs equal expected_response' }
      return {
        value: false,
        rationale: `outputs ${show(outputs)} differ from expected_response ${show(expected)} (first difference at character ${firstDifference(a, b)})`,
      }
    }
    if (jsonEqual(outputs, expected)) {
      return { value: true, rationale: 'outputs equal expected_response' }
    }
    return {
      value: false,
      rationale: `outputs ${show(outputs)} differ from expected_response ${show(expected)}`,
    }
  })
}

function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i
  return n
}

/**
 * Options of {@link includes}.
 *
 * @example
 * ```ts
 * const options: IncludesOptions = { caseSensitive: false, mode: 'any' }
 * ```
 */
export interface IncludesOptions extends BaseScorerOptions {
  /** Default `true` (case matters). */
  caseSensitive?: boolean
  /** With several substrings: must the outputs contain `all` of them (default) or `any`? */
  mode?: 'all' | 'any'
}

/**
 * Whether the outputs contain a substring (boolean, metric `includes`): the `expected` argument,
 * else `expectations.expected_response` (a string or an array of strings). Non-string outputs
 * are searched in their JSON text. The rationale names the missing substrings.
 *
 * @example
 * ```ts
 * import { includes } from 'evalgate/scorers'
 * includes('30 days')                         // fixed substring
 * includes(['refund', 'receipt'], { mode: 'any' })
 * includes()                                  // reads expectations.expected_response
 * ```
 */
export function includes(expected?: string | readonly string[], options?: IncludesOptions): Scorer {
  const o = checkOptions('includes', options, ['name', 'caseSensitive', 'mode'])
  checkBoolean('includes', 'caseSensitive', o.caseSensitive)
  checkChoice('includes', 'mode', o.mode, ['all', 'any'])
  if (expected !== undefined) substrings('includes()', expected, 'the first argument')
  const name = (o.name as string | undefined) ?? 'includes'
  const caseSensitive = o.caseSensitive !== false
  const any = o.mode === 'any'
  return scorer(name, ({ outputs, expectations }): Feedback => {
    const needles =
      expected === undefined
        ? substrings(
            `scorer "${name}"`,
            requireExpectation(name, expectations, 'expected_response'),
            'expectations.expected_response',
          )
        : substrings(`scorer "${name}"`, expected, 'the first argument')
    const text = caseSensitive ? textOf(outputs) : textOf(outputs).toLowerCase()
    const missing = needles.filter((n) => !text.includes(caseSensitive ? n : n.toLowerCase()))
    const found = needles.length - missing.length
    const list = (xs: readonly string[]) => xs.map((x) => JSON.stringify(x)).join(', ')
    if (any) {
      return found > 0
        ? {
            value: true,
            rationale: `contains ${list(needles.filter((n) => !missing.includes(n)))}`,
          }
        : { value: false, rationale: `outputs contain none of ${list(needles)}` }
    }
    return missing.length === 0
      ? { value: true, rationale: `contains ${list(needles)}` }
      : {
          value: false,
          rationale: `outputs do not contain ${list(missing)}${needles.length > 1 ? ` (${found} of ${needles.length} found)` : ''}`,
        }
  })
}

function substrings(who: string, value: unknown, what: string): string[] {
  const list = typeof value === 'string' ? [value] : value
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((s): s is string => typeof s === 'string')
  ) {
    throw new EvalgateError(
      `${who}: expected ${what} to be a string or a non-empty array of strings, received ${describeValue(value)}`,
    )
  }
  return list
}

/**
 * Whether the outputs match a regular expression (boolean, metric `regex_match`). Non-string
 * outputs are matched against their JSON text. A string pattern is compiled with `new RegExp`.
 *
 * @example
 * ```ts
 * import { regex } from 'evalgate/scorers'
 * regex(/order #\d+/i)
 * regex('^\\d{4}-\\d{2}-\\d{2}$', { name: 'iso_date' })
 * ```
 */
export function regex(pattern: RegExp | string, options?: BaseScorerOptions): Scorer {
  const o = checkOptions('regex', options, ['name'])
  let re: RegExp
  if (pattern instanceof RegExp) re = pattern
  else if (typeof pattern === 'string') {
    try {
      re = new RegExp(pattern)
    } catch (error) {
      throw new EvalgateError(
        `regex(): ${JSON.stringify(pattern)} is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`,
      )
    }
  } else {
    throw new EvalgateError(
      `regex(): expected a RegExp or a pattern string, received ${describeValue(pattern)}`,
    )
  }
  const name = (o.name as string | undefined) ?? 'regex_match'
  return scorer(name, ({ outputs }): Feedback => {
    const text = textOf(outputs)
    re.lastIndex = 0
    const m = re.exec(text)
    if (m === null) return { value: false, rationale: `outputs ${show(text)} do not match ${re}` }
    return { value: true, rationale: `matched ${show(m[0])} at character ${m.index}` }
  })
}

/**
 * Options of {@link levenshtein}.
 *
 * @example
 * ```ts
 * const options: LevenshteinOptions = { threshold: 0.8, caseSensitive: false }
 * ```
 */
export interface LevenshteinOptions extends BaseScorerOptions {
  /** A row passes when the similarity is >= threshold. Without it the metric never fails a row. */
  threshold?: number
  /** Default `true` (case matters). */
  caseSensitive?: boolean
}

/**
 * The normalised Levenshtein similarity of the outputs to `expectations.expected_response`
 * (numeric in [0, 1], metric `levenshtein`): `1 - distance / max(length)`, over Unicode code
 * points; two empty strings are 1. Non-string values are compared as their JSON text.
 *
 * @example
 * ```ts
 * import { levenshtein } from 'evalgate/scorers'
 * levenshtein({ threshold: 0.8 })
 * // "kitten" vs "sitting": distance 3 over 7 characters, similarity 0.571
 * ```
 */
export function levenshtein(options?: LevenshteinOptions): Scorer {
  const o = checkOptions('levenshtein', options, ['name', 'threshold', 'caseSensitive'])
  checkNumber('levenshtein', 'threshold', o.threshold)
  checkBoolean('levenshtein', 'caseSensitive', o.caseSensitive)
  const name = (o.name as string | undefined) ?? 'levenshtein'
  const threshold = o.threshold as number | undefined
  const caseSensitive = o.caseSensitive !== false
  return scorer(
    name,
    ({ outputs, expectations }): Feedback => {
      const expected = requireExpectation(name, expectations, 'expected_response')
      let a = [...textOf(outputs)]
      let b = [...textOf(expected)]
      if (!caseSensitive) {
        a = a.map((c) => c.toLowerCase())
        b = b.map((c) => c.toLowerCase())
      }
      const distance = editDistance(a, b)
      const longest = Math.max(a.length, b.length)
      const similarity = longest === 0 ? 1 : 1 - distance / longest
      const below =
        threshold !== undefined && similarity < threshold ? `, below threshold ${threshold}` : ''
      return {
        value: similarity,
        rationale: `edit distance ${distance} over ${longest} characters: similarity ${round(similarity)}${below}`,
      }
    },
    threshold === undefined ? {} : { threshold },
  )
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}

/** Levenshtein distance, two rows of the DP table. */
function editDistance(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  let curr = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      curr[j] = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost)
    }
    ;[prev, curr] = [curr, prev]
  }
  return prev[b.length]!
}
