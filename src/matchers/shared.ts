import { describeValue } from '../base/errors.js'
import { type CaseResult, isScorer, scoreCase } from '../core/case.js'
import type { FeedbackResult } from '../core/score.js'
import { type Scorer, validateScorer } from '../core/scorer.js'

/**
 * Options of `toPassScorer` and `toPassScorers`: the rest of the case the output belongs to, and
 * a threshold that replaces every scorer's own.
 *
 * @example
 * ```ts
 * const options: ScorerMatcherOptions = {
 *   inputs: { question: 'What is the capital of France?' },
 *   expectations: { expected_response: 'Paris' },
 *   threshold: 0.7,
 * }
 * await expect(answer).toPassScorer(relevance, options)
 * ```
 */
export interface ScorerMatcherOptions<I = Record<string, unknown>, E = Record<string, unknown>> {
  /** What the application was asked (the scorer's `inputs`). Default `{}`. */
  inputs?: I | undefined
  /** The ground truth (the scorer's `expectations`). Default `{}`. */
  expectations?: E | undefined
  /** The trace of the call that produced the output, for trace-aware scorers. */
  trace?: unknown
  /** Replaces every scorer's threshold: a metric passes when its score >= threshold. */
  threshold?: number | undefined
}

/**
 * The evalgate matchers on `expect(x)`, as every host's type augmentation adds them (Vitest's
 * `Assertion`, Jest's `Matchers`). Always async: they return `Promise<void>` whatever the host's
 * synchronous matchers return, and must be awaited.
 *
 * @example
 * ```ts
 * // A host not covered by evalgate/vitest or evalgate/jest: add the matchers to its assertion type.
 * declare module 'my-test-runner' {
 *   interface Assertion extends ScorerMatchers {}
 * }
 * ```
 */
export interface ScorerMatchers {
  /**
   * Passes when the output passes every metric the scorer returns (score >= threshold; 1 for
   * boolean and yes/no values). Async: `await` it. `.not` holds only when a metric failed.
   *
   * @example
   * ```ts
   * await expect('Paris').toPassScorer(exactMatch, { expectations: { expected_response: 'Paris' } })
   * await expect(answer).not.toPassScorer(mentionsCompetitor)
   * ```
   */
  toPassScorer<I, E>(
    scorer: Scorer<I, unknown, E>,
    options?: ScorerMatcherOptions<CaseValue<I>, CaseValue<E>>,
  ): Promise<void>
  /**
   * Passes when the output passes every metric of every scorer. Async: `await` it.
   *
   * @example
   * ```ts
   * await expect(answer).toPassScorers([safety(), isShort], { inputs: { question } })
   * ```
   */
  toPassScorers(
    scorers: readonly Scorer<unknown, unknown, unknown>[],
    options?: ScorerMatcherOptions<object, object>,
  ): Promise<void>
}

/**
 * What a matcher accepts as the `inputs` (or `expectations`) of a scorer typed `T`: any object
 * when the scorer takes any record (the default `Record<string, unknown>`, as the built-ins do),
 * so that values typed with interfaces fit, else `T` itself.
 */
export type CaseValue<T> = Record<string, unknown> extends T ? object : T

/**
 * The part of Vitest's and Jest's `MatcherState` the matchers use: both provide it.
 *
 * @example
 * ```ts
 * function toBeShort(this: MatcherContext, received: string) {
 *   return { pass: received.length < 80, message: () => this.utils.matcherHint('toBeShort') }
 * }
 * ```
 */
export interface MatcherContext {
  isNot?: boolean | undefined
  /** `'resolves'` / `'rejects'` when chained after `.resolves` / `.rejects`. */
  promise?: string | undefined
  utils: {
    matcherHint(
      matcherName: string,
      received?: string,
      expected?: string,
      options?: { isNot?: boolean; promise?: string; secondArgument?: string },
    ): string
    printExpected(value: unknown): string
    printReceived(value: unknown): string
  }
}

/**
 * What a matcher returns to `expect.extend` (Vitest's and Jest's shape). `actual` / `expected`
 * map each metric to its status, so a failure shows which metrics failed as a diff.
 *
 * @example
 * ```ts
 * const result: ScorerMatcherResult = await toPassScorer.call(state, 'Lyon', exactMatch)
 * result.actual // { exact_match: 'FAIL' }
 * result.expected // { exact_match: 'PASS' }
 * ```
 */
export interface ScorerMatcherResult {
  pass: boolean
  message: () => string
  actual: Record<string, MetricStatus> | undefined
  expected: Record<string, MetricStatus> | undefined
}

type MetricStatus = 'PASS' | 'FAIL' | 'ERROR' | 'NO PASS RULE'

const OPTION_KEYS = ['inputs', 'expectations', 'trace', 'threshold'] as const
const SHAPE = 'a Scorer { name, score(context) }'

/** Why `candidate` is not a scorer, for a TypeError: what it is and, if close, what is wrong. */
function notAScorer(candidate: unknown): string {
  let why = `received ${describeValue(candidate)}`
  if (typeof candidate === 'function') {
    const call = candidate.name ? `${candidate.name}()` : 'factory()'
    why += `; call a scorer factory (${call}), or wrap a scoring function: scorer('name', fn)`
  } else if (typeof candidate === 'object' && candidate !== null) {
    try {
      validateScorer(candidate)
    } catch (error) {
      why += ` (${(error as Error).message.replace(/^evalgate: /, '')})`
    }
  }
  return why
}

/**
 * The first argument of `toPassScorer`, checked: a TypeError that names the matcher if not.
 *
 * @example
 * ```ts
 * checkScorer('toPassScorer', 42)
 * // TypeError: toPassScorer: expected a Scorer { name, score(context) } as the first argument, received 42
 * ```
 */
export function checkScorer(matcher: string, candidate: unknown): Scorer {
  if (isScorer(candidate)) return candidate
  throw new TypeError(
    `${matcher}: expected ${SHAPE} as the first argument, ${notAScorer(candidate)}`,
  )
}

/**
 * The first argument of `toPassScorers`, checked: a non-empty array of scorers.
 *
 * @example
 * ```ts
 * checkScorers('toPassScorers', [exactMatch, safety])
 * // TypeError: toPassScorers: expected a Scorer { name, score(context) } at index 1 of the
 * // first argument, received a function (safety); call a scorer factory (safety()), ...
 * ```
 */
export function checkScorers(matcher: string, candidate: unknown): Scorer[] {
  if (!Array.isArray(candidate) || candidate.length === 0) {
    throw new TypeError(
      `${matcher}: expected a non-empty array of Scorers { name, score(context) } as the first argument, received ${describeValue(candidate)}`,
    )
  }
  return candidate.map((s, i) => {
    if (isScorer(s)) return s
    throw new TypeError(
      `${matcher}: expected ${SHAPE} at index ${i} of the first argument, ${notAScorer(s)}`,
    )
  })
}

/**
 * The options argument, checked: unknown keys are typos, not silently ignored fields.
 *
 * @example
 * ```ts
 * checkOptions('toPassScorer', { treshold: 0.7 })
 * // TypeError: toPassScorer: unknown option "treshold"; expected inputs, expectations, trace, threshold
 * ```
 */
export function checkOptions(matcher: string, options: unknown): ScorerMatcherOptions {
  if (options === undefined) return {}
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `${matcher}: expected options to be an object { inputs?, expectations?, trace?, threshold? }, received ${describeValue(options)}`,
    )
  }
  const o = options as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`${matcher}: unknown option "${key}"; expected ${OPTION_KEYS.join(', ')}`)
    }
  }
  if (
    o.threshold !== undefined &&
    !(typeof o.threshold === 'number' && Number.isFinite(o.threshold))
  ) {
    throw new TypeError(
      `${matcher}: expected option "threshold" to be a finite number, received ${describeValue(o.threshold)}`,
    )
  }
  for (const key of ['inputs', 'expectations'] as const) {
    const v = o[key]
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new TypeError(
        `${matcher}: expected option "${key}" to be an object, received ${describeValue(v)}`,
      )
    }
  }
  return o as ScorerMatcherOptions
}

function statusOf(fb: FeedbackResult): MetricStatus {
  if (fb.error !== null) return 'ERROR'
  if (fb.passed === null) return 'NO PASS RULE'
  return fb.passed ? 'PASS' : 'FAIL'
}

/**
 * Scores `received` and turns the verdict into a matcher result. Beyond the row pass rule, two
 * outcomes fail the assertion whichever way it is asked (with or without `.not`), because neither
 * says anything about the output: a scorer error (a judge that could not answer must not make
 * `.not` pass), and a case where no metric has a pass rule (a numeric value without threshold).
 *
 * @example
 * ```ts
 * const result = await runScorerMatcher(this, 'toPassScorer', received, [exactMatch], {}, {
 *   expected: 'scorer',
 *   withOptions: false,
 * })
 * ```
 */
export async function runScorerMatcher(
  ctx: MatcherContext,
  matcher: string,
  received: unknown,
  scorers: readonly Scorer[],
  options: ScorerMatcherOptions,
  hint: { expected: string; withOptions: boolean },
): Promise<ScorerMatcherResult> {
  const isNot = ctx.isNot === true
  const result = await scoreCase({ ...options, scorers, outputs: received })
  const { errored, conclusive } = result
  const judged = result.feedback.some((fb) => fb.passed !== null)
  // What `expect.extend` inverts for `.not`: chosen so that the assertion holds only on a
  // conclusive verdict (core's) in the asked direction.
  const pass = isNot ? !(conclusive && !result.passed) : conclusive && result.passed
  const statuses = Object.fromEntries(result.feedback.map((fb) => [fb.name, statusOf(fb)]))
  const failing = !isNot && result.feedback.some((fb) => fb.passed === false)
  return {
    pass,
    message: () =>
      formatMessage(ctx, matcher, received, scorers, options, result, hint, { errored, judged }),
    actual: failing ? statuses : undefined,
    expected: failing
      ? Object.fromEntries(
          result.feedback.map((fb) => {
            const s = statusOf(fb)
            return [fb.name, s === 'FAIL' || s === 'ERROR' ? 'PASS' : s]
          }),
        )
      : undefined,
  }
}

function formatMessage(
  ctx: MatcherContext,
  matcher: string,
  received: unknown,
  scorers: readonly Scorer[],
  options: ScorerMatcherOptions,
  result: CaseResult,
  hint: { expected: string; withOptions: boolean },
  verdict: { errored: boolean; judged: boolean },
): string {
  const { utils } = ctx
  const isNot = ctx.isNot === true
  const hintOptions: { isNot?: boolean; promise?: string; secondArgument?: string } = { isNot }
  if (ctx.promise) hintOptions.promise = ctx.promise
  if (hint.withOptions) hintOptions.secondArgument = 'options'
  const names = scorers.map((s) => `"${s.name}"`).join(', ')
  const what = `${scorers.length === 1 ? 'scorer' : 'scorers'} ${names}`
  const lines = [
    utils.matcherHint(matcher, undefined, hint.expected, hintOptions),
    '',
    `Expected: the output ${isNot ? 'not ' : ''}to pass ${what}`,
    `Received: ${utils.printReceived(received)}`,
    '',
    summary(result, verdict, isNot),
  ]
  if (result.error !== null) lines.push('', `error: ${result.error.code}: ${result.error.message}`)
  const thresholds = new Map<string, number | undefined>()
  for (const s of scorers) {
    if (!thresholds.has(s.name)) thresholds.set(s.name, options.threshold ?? s.threshold)
  }
  for (const fb of result.feedback) {
    lines.push('', ...metricLines(ctx, fb, thresholds.get(fb.scorer)))
  }
  return lines.join('\n')
}

function summary(
  result: CaseResult,
  verdict: { errored: boolean; judged: boolean },
  isNot: boolean,
): string {
  if (verdict.errored) {
    const why = 'a scorer errored, so the output could not be judged'
    return isNot ? `It cannot be said not to pass: ${why}.` : `It did not pass: ${why}.`
  }
  if (!verdict.judged) {
    return (
      'No metric has a pass rule, so the output could not be judged: a numeric value needs a ' +
      'threshold (the "threshold" option or the scorer\'s threshold), and a value that is not a ' +
      'boolean, "yes"/"no" or a number has no score.'
    )
  }
  const failed = result.feedback.filter((fb) => fb.passed === false).length
  const total = result.feedback.filter((fb) => fb.passed !== null).length
  if (isNot) return `It passed: every judged metric (${total}) met its threshold.`
  return `It did not pass: ${failed} of ${total} judged ${total === 1 ? 'metric' : 'metrics'} failed.`
}

function metricLines(
  ctx: MatcherContext,
  fb: FeedbackResult,
  threshold: number | undefined,
): string[] {
  const { utils } = ctx
  const from = fb.name !== fb.scorer ? ` (scorer "${fb.scorer}")` : ''
  const lines = [`${fb.name}${from}: ${statusOf(fb)}`]
  if (fb.error !== null) {
    lines.push(`  error:     ${fb.error.code}: ${fb.error.message}`)
  } else {
    lines.push(`  value:     ${utils.printReceived(fb.value)}`)
    lines.push(
      `  score:     ${fb.score === null ? 'none (this value has no score)' : utils.printReceived(fb.score)}`,
    )
    lines.push(`  threshold: ${thresholdText(utils, fb, threshold)}`)
  }
  if (fb.rationale !== null) lines.push(`  rationale: ${fb.rationale}`)
  return lines
}

function thresholdText(
  utils: MatcherContext['utils'],
  fb: FeedbackResult,
  threshold: number | undefined,
): string {
  if (threshold !== undefined)
    return `${utils.printExpected(threshold)} (score >= threshold passes)`
  if (fb.score === null) return 'none'
  if (fb.passed !== null)
    return `${utils.printExpected(1)} (the default for boolean and "yes"/"no" values)`
  return 'none (a number without a threshold is recorded, never judged)'
}
