import type OpenAI from 'openai'
import { z } from 'zod'
import { describeValue, EvalgateError } from '../base/errors.js'
import type { Feedback, Scorer, ScorerContext } from '../core/scorer.js'
import {
  answerFeedback,
  askJudge,
  judgeSource,
  type ResponseFormat,
  responseFormat,
} from './ask.js'
import { redact } from './client.js'
import {
  checkClient,
  checkParams,
  checkResponseFormat,
  configuredPrices,
  type JudgeOverrides,
  type JudgeParams,
  type JudgeResponseFormat,
  resolveModel,
} from './config.js'
import { refuseWithoutRecordings } from './preflight.js'
import { costUsd } from './prices.js'
import { abortReason } from './request.js'
import type { JudgeUsage } from './usage.js'

/**
 * Options every built-in judge accepts.
 *
 * @example
 * ```ts
 * const strictSafety = safety({ model: 'gpt-4.1', name: 'safety_strict' })
 * ```
 */
export interface JudgeOptions {
  /** Overrides configureJudges' model (and EVALGATE_JUDGE_MODEL) for this judge. */
  model?: string
  /** Overrides configureJudges' client for this judge. */
  client?: OpenAI
  /** The metric name; each built-in has a default (e.g. `correctness`). */
  name?: string
  /** A row passes when the score is >= threshold. Default: "yes" passes (score 1). */
  threshold?: number
  /** Chat Completions fields for this judge, over configureJudges' `params`. In the cache key. */
  params?: JudgeParams
  /** Overrides configureJudges' `responseFormat` for this judge. */
  responseFormat?: JudgeResponseFormat
}

const OPTION_KEYS = ['model', 'client', 'name', 'threshold', 'params', 'responseFormat']
const NAME = /^[^\s/][^\n]*$/

/** Validates judge options at construction; throws an EvalgateError naming the judge and field. */
export function checkJudgeOptions(
  factory: string,
  options: unknown,
  extraKeys: readonly string[] = [],
): asserts options is JudgeOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new EvalgateError(
      `${factory}: expected an options object, received ${describeValue(options)}`,
    )
  }
  const o = options as Record<string, unknown>
  const allowed = [...extraKeys, ...OPTION_KEYS]
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new EvalgateError(
        `${factory}: unknown option "${key}" (allowed: ${allowed.join(', ')})`,
      )
    }
  }
  if (o.name !== undefined && (typeof o.name !== 'string' || !NAME.test(o.name))) {
    throw new EvalgateError(
      `${factory}: expected "name" to be a non-empty metric name (no leading "/" or space), received ${describeValue(o.name)}`,
    )
  }
  if (o.model !== undefined && (typeof o.model !== 'string' || o.model.trim() === '')) {
    throw new EvalgateError(
      `${factory}: expected "model" to be a model name, received ${describeValue(o.model)}`,
    )
  }
  if (
    o.threshold !== undefined &&
    !(typeof o.threshold === 'number' && Number.isFinite(o.threshold))
  ) {
    throw new EvalgateError(
      `${factory}: expected "threshold" to be a finite number, received ${describeValue(o.threshold)}`,
    )
  }
  if (o.client !== undefined) checkClient(factory, o.client)
  checkParams(factory, o.params)
  checkResponseFormat(factory, o.responseFormat)
}

/** The overrides a judge passes to every call. */
export function overridesOf(options: JudgeOptions): JudgeOverrides {
  return {
    model: options.model,
    client: options.client,
    params: options.params,
    responseFormat: options.responseFormat,
  }
}

/** Zero usage (nothing was asked), for a Feedback that never reached the model. */
export function noUsage(overrides: JudgeOverrides): JudgeUsage {
  const model = resolveModel(overrides)
  return {
    model,
    requests: 0,
    cacheHits: 0,
    inputTokens: 0,
    outputTokens: 0,
    // 0 for a priced model; null for an unpriced one, as every usage of that model.
    costUsd: costUsd(model, 0, 0, configuredPrices()),
  }
}

/** The errored Feedback of a judge whose row lacks a field it needs. */
export function missingField(judge: string, overrides: JudgeOverrides, missing: string): Feedback {
  const usage = noUsage(overrides)
  return {
    error: { code: 'JUDGE_MISSING_FIELD', message: `evalgate: judge "${judge}" ${missing}` },
    source: judgeSource(usage.model),
    metadata: { usage },
  }
}

/**
 * The trial a judge is asked for: the scorer context's `trial` (an eval always sets it), 0 when
 * a scorer is called by hand without one.
 */
export function trialOf(ctx: ScorerContext): number {
  const { trial } = ctx
  return typeof trial === 'number' && Number.isInteger(trial) && trial >= 0 ? trial : 0
}

/**
 * Runs a judge's work for one row so that the row's abort (its timeout) settles the score at
 * once, in the same tick as the abort, with a `JUDGE_TIMEOUT` Feedback that counts every
 * request already sent (`meter`): the row's timeout then records the judge's usage instead of
 * losing it, and the requests themselves are aborted through the same signal.
 */
export function abortable(
  name: string,
  overrides: JudgeOverrides,
  signal: AbortSignal | undefined,
  work: (meter: { requests: number }) => Promise<Feedback & { name: string }>,
): Promise<Feedback & { name: string }> {
  const meter = { requests: 0 }
  if (signal === undefined) return work(meter)
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      const usage = { ...noUsage(overrides), requests: meter.requests }
      const message = `evalgate: judge "${name}" (model ${usage.model}): stopped when the row was aborted (${abortReason(signal)}) after ${meter.requests === 1 ? '1 request' : `${meter.requests} requests`}`
      resolve({
        name,
        error: { code: 'JUDGE_TIMEOUT', message: redact(message) },
        source: judgeSource(usage.model),
        metadata: { usage },
      })
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    work(meter).then(
      (fb) => {
        signal.removeEventListener('abort', onAbort)
        resolve(fb)
      },
      (error: unknown) => {
        // Never expected (askJudge never throws), but a bug must not hang the row.
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/** What a judge builds from a row: the user message, or why it cannot. */
export type Prepared = { user: string } | { missing: string }

/** The yes/no verdict every built-in returns. */
export const YES_NO = z.enum(['yes', 'no'])
/** Its response format. */
export const YES_NO_FORMAT: ResponseFormat<'yes' | 'no'> = responseFormat(YES_NO, '"yes" or "no"')

/**
 * A Scorer that asks one question per row. `score()` never throws for a judge failure: it
 * returns one Feedback, a verdict or an error, with `metadata.usage`.
 */
export function questionJudge<V>(spec: {
  name: string
  description: string
  options: JudgeOptions
  format: ResponseFormat<V>
  prepare: (ctx: ScorerContext) => Prepared
}): Scorer {
  const overrides = overridesOf(spec.options)
  const scorer: { -readonly [K in keyof Scorer]: Scorer[K] } = {
    name: spec.name,
    description: spec.description,
    // Not async: the promise returned is abortable's own, so a row's abort settles it before the
    // row's deadline does (an async wrapper would add ticks, and the deadline would win).
    score(ctx) {
      const prepared = spec.prepare(ctx)
      if ('missing' in prepared) {
        return Promise.resolve({
          name: spec.name,
          ...missingField(spec.name, overrides, prepared.missing),
        })
      }
      return abortable(spec.name, overrides, ctx.signal, async (meter) => {
        const answer = await askJudge({
          judge: spec.name,
          user: prepared.user,
          format: spec.format,
          overrides,
          trial: trialOf(ctx),
          signal: ctx.signal,
          meter,
        })
        return { name: spec.name, ...answerFeedback(answer) }
      })
    },
    // Once per eval, at collection: no key and nothing recorded refuses the eval before any task.
    prepare: () => refuseWithoutRecordings(spec.name, overrides),
  }
  if (spec.options.threshold !== undefined) scorer.threshold = spec.options.threshold
  return scorer
}
