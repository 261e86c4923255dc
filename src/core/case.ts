import { describeValue, EvalgateError } from '../base/errors.js'
import { isPlainObject } from '../base/values.js'
import type { Row } from './dataset.js'
import { runRow } from './run.js'
import type { FeedbackResult } from './score.js'
import { type FeedbackError, type Scorer, validateScorer } from './scorer.js'
import { rowErrored } from './verdict.js'

/**
 * Options of {@link scoreCase}: one output, the row it belongs to, and the scorers that judge it.
 *
 * @example
 * ```ts
 * const options: ScoreCaseOptions = {
 *   scorers: exactMatch,
 *   outputs: 'Paris',
 *   expectations: { expected_response: 'Paris' },
 * }
 * ```
 */
export interface ScoreCaseOptions {
  /** One scorer or several; every metric they return is judged. */
  scorers: Scorer | readonly Scorer[]
  /** The output under test. `undefined` is not an output: it is reported as `NO_OUTPUTS`. */
  outputs: unknown
  inputs?: Record<string, unknown> | undefined
  expectations?: Record<string, unknown> | undefined
  trace?: unknown
  /** Overrides the threshold of every scorer (a row passes a metric when its score >= threshold). */
  threshold?: number | undefined
}

/**
 * The verdict on one case. `passed` is the row pass rule of describeEval (no error, no errored
 * Feedback, no Feedback that failed its pass rule); `feedback` has one entry per metric.
 *
 * @example
 * ```ts
 * const result: CaseResult = await scoreCase({ scorers: [isShort], outputs: 'Hello' })
 * result.feedback.map((fb) => `${fb.name}: ${fb.passed}`)
 * ```
 */
export interface CaseResult {
  passed: boolean
  feedback: FeedbackResult[]
  /** A case-level error (there was nothing to score), else `null`. */
  error: FeedbackError | null
  /** A case-level error or an errored Feedback: the verdict cannot be trusted either way. */
  errored: boolean
  /**
   * Whether the case gives a verdict at all: nothing errored, and at least one metric has a
   * pass rule (a number without a threshold has none). An assertion, `.not` included, holds
   * only on a conclusive case.
   */
  conclusive: boolean
}

/**
 * Whether `candidate` is a valid {@link Scorer}: exactly the objects that `validateScorer`
 * accepts (a plain object with a usable `name`, a `score` function, and well-formed optional
 * fields). Lets an adapter reject a non-scorer with its own error (a matcher's `TypeError`)
 * before any scoring starts.
 *
 * @example
 * ```ts
 * isScorer(scorer('exact_match', () => true)) // true
 * isScorer({ name: 'x', score: () => 1 })     // true: hand-written scorers are scorers
 * isScorer(safety)                            // false: a factory, not a scorer (call it)
 * ```
 */
export function isScorer(candidate: unknown): candidate is Scorer {
  try {
    validateScorer(candidate)
    return true
  } catch {
    return false
  }
}

/**
 * Scores one output with one or more scorers, outside any dataset, by the same rules as
 * describeEval (it runs the case as one row through `runRow`, without a task): the naming rules,
 * the score and pass rules, scorer errors as errored Feedback, metric name clashes. `threshold`
 * replaces every scorer's own threshold. Invalid scorers or options throw an
 * {@link EvalgateError} before anything runs; a failing scorer never throws.
 *
 * @example
 * ```ts
 * const { passed, feedback } = await scoreCase({
 *   scorers: [exactMatch, isShort],
 *   outputs: 'Paris',
 *   inputs: { question: 'What is the capital of France?' },
 *   expectations: { expected_response: 'Paris' },
 * })
 * passed // true when every metric passed its threshold
 * ```
 */
export async function scoreCase(options: ScoreCaseOptions): Promise<CaseResult> {
  const { outputs, inputs, expectations, trace, threshold } = options
  const list: readonly unknown[] = Array.isArray(options.scorers)
    ? options.scorers
    : [options.scorers]
  if (list.length === 0) {
    throw new EvalgateError('scoreCase(): expected at least one scorer, received an empty array')
  }
  for (const [i, s] of list.entries()) validateScorer(s, `scoreCase(): scorer ${i}`)
  if (threshold !== undefined && !(typeof threshold === 'number' && Number.isFinite(threshold))) {
    throw new EvalgateError(
      `scoreCase(): expected "threshold" to be a finite number, received ${describeValue(threshold)}`,
    )
  }
  for (const [key, value] of [
    ['inputs', inputs],
    ['expectations', expectations],
  ] as const) {
    if (value !== undefined && !isPlainObject(value)) {
      throw new EvalgateError(
        `scoreCase(): expected "${key}" to be an object, received ${describeValue(value)}`,
      )
    }
  }
  const scorers = (list as readonly Scorer[]).map((s) => withThreshold(s, threshold))
  if (outputs === undefined) {
    // runRow's NO_OUTPUTS message speaks of rows and tasks; a case has neither.
    const message = 'evalgate: there is no output to score: received undefined'
    return {
      passed: false,
      feedback: [],
      error: { code: 'NO_OUTPUTS', message },
      errored: true,
      conclusive: false,
    }
  }
  const row: Row = { inputs: inputs ?? {}, outputs }
  if (expectations !== undefined) row.expectations = expectations
  if (trace !== undefined) row.trace = trace
  const result = await runRow({ row, index: 0, scorers })
  const errored = rowErrored(result)
  const judged = result.feedback.some((fb) => fb.passed !== null)
  return {
    passed: result.passed,
    feedback: result.feedback,
    error: result.error,
    errored,
    conclusive: !errored && judged,
  }
}

/** The scorer with its threshold replaced; `score` stays bound to the original object. */
function withThreshold(s: Scorer, threshold: number | undefined): Scorer {
  if (threshold === undefined) return s
  const copy: { -readonly [K in keyof Scorer]: Scorer[K] } = {
    name: s.name,
    threshold,
    score: (context) => s.score(context),
  }
  if (s.description !== undefined) copy.description = s.description
  if (s.aggregations !== undefined) copy.aggregations = s.aggregations
  if (s.metrics !== undefined) copy.metrics = s.metrics
  return copy
}
