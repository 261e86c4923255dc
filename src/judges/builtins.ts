import { describeValue, EvalgateError } from '../base/errors.js'
import type { Scorer, ScorerContext } from '../core/scorer.js'
import { conversationOf, expectedOf, retrievedContextOf, rowGuidelinesOf } from './fields.js'
import { checkJudgeOptions, type JudgeOptions, questionJudge, YES_NO_FORMAT } from './judge.js'
import {
  conversationCompletenessPrompt,
  correctnessPrompt,
  groundednessPrompt,
  guidelinesPrompt,
  relevancePrompt,
  safetyPrompt,
  sufficiencyPrompt,
  userFrustrationPrompt,
} from './prompts.js'

/** A row's expectations, `{}` when a hand-made context has none. */
export function expectationsOf(ctx: ScorerContext): Record<string, unknown> {
  const e = ctx.expectations as unknown
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {}
}

/**
 * Is the output correct? Compares `outputs` with `expectations.expected_response` and/or
 * `expectations.expected_facts` (a string or string array), given `inputs`. Value `"yes"`/`"no"`
 * with a rationale. A row with neither field gives a `JUDGE_MISSING_FIELD` errored Feedback.
 *
 * @example
 * ```ts
 * describeEval('qa', {
 *   data: [{ inputs: { q: 'Capital of France?' }, outputs: 'Paris.', expectations: { expected_facts: ['Paris'] } }],
 *   scorers: [correctness()],
 *   thresholds: { 'correctness/mean': 0.9 },
 * })
 * ```
 */
export function correctness(options: JudgeOptions = {}): Scorer {
  checkJudgeOptions('correctness()', options)
  return questionJudge({
    name: options.name ?? 'correctness',
    description: 'LLM judge: does the output match expected_response / expected_facts?',
    options,
    format: YES_NO_FORMAT,
    prepare(ctx) {
      const expected = expectedOf(expectationsOf(ctx))
      if (!expected.ok) return { missing: expected.missing }
      return { user: correctnessPrompt(ctx.inputs, ctx.outputs, expected.value) }
    },
  })
}

/**
 * Is the output free of harmful content? Reads `outputs` only. Value `"yes"` (safe) / `"no"`.
 *
 * @example
 * ```ts
 * await expect('Here is a recipe for pancakes.').toPassScorer(safety())
 * ```
 */
export function safety(options: JudgeOptions = {}): Scorer {
  checkJudgeOptions('safety()', options)
  return questionJudge({
    name: options.name ?? 'safety',
    description: 'LLM judge: is the output free of harmful content?',
    options,
    format: YES_NO_FORMAT,
    prepare: (ctx) => ({ user: safetyPrompt(ctx.outputs) }),
  })
}

/**
 * Options of {@link guidelines}: the judge options plus the guidelines themselves.
 *
 * @example
 * ```ts
 * const options: GuidelinesOptions = { name: 'polite', guidelines: ['Be polite.', 'No jargon.'] }
 * ```
 */
export interface GuidelinesOptions extends JudgeOptions {
  /** One guideline, or several that must all be followed. */
  guidelines: string | readonly string[]
}

/**
 * Does the output follow your guidelines, given `inputs`? Value `"yes"` when it follows every
 * one. The metric is `name` (default `guidelines`): give each guidelines judge of an eval its
 * own name.
 *
 * @example
 * ```ts
 * const polite = guidelines({ name: 'polite', guidelines: 'Be polite and never blame the customer.' })
 * describeEval('support', { data, task, scorers: [polite], thresholds: { 'polite/passRate': 0.95 } })
 * ```
 */
export function guidelines(options: GuidelinesOptions): Scorer {
  checkJudgeOptions('guidelines()', options, ['guidelines'])
  const g = options.guidelines
  const list = typeof g === 'string' ? [g] : g
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((x) => typeof x === 'string' && x.trim() !== '')
  ) {
    throw new EvalgateError(
      `guidelines(): expected "guidelines" to be a non-empty string or a non-empty array of non-empty strings, received ${describeValue(g)}`,
    )
  }
  const frozen = [...list]
  return questionJudge({
    name: options.name ?? 'guidelines',
    description: 'LLM judge: does the output follow the guidelines?',
    options,
    format: YES_NO_FORMAT,
    prepare: (ctx) => ({ user: guidelinesPrompt(ctx.inputs, ctx.outputs, frozen) }),
  })
}

/**
 * Per-row guidelines: like {@link guidelines}, with the guidelines read from
 * `expectations.guidelines` (a string or string array) of each row. A row without them gives a
 * `JUDGE_MISSING_FIELD` errored Feedback. Metric `expectations_guidelines`.
 *
 * @example
 * ```ts
 * const data = [{ inputs: { q: 'Refund?' }, outputs: '…', expectations: { guidelines: ['Mention the 30-day window.'] } }]
 * describeEval('refunds', { data, scorers: [expectationsGuidelines()] })
 * ```
 */
export function expectationsGuidelines(options: JudgeOptions = {}): Scorer {
  checkJudgeOptions('expectationsGuidelines()', options)
  return questionJudge({
    name: options.name ?? 'expectations_guidelines',
    description: "LLM judge: does the output follow the row's expectations.guidelines?",
    options,
    format: YES_NO_FORMAT,
    prepare(ctx) {
      const rowGuidelines = rowGuidelinesOf(expectationsOf(ctx))
      if (!rowGuidelines.ok) return { missing: rowGuidelines.missing }
      return { user: guidelinesPrompt(ctx.inputs, ctx.outputs, rowGuidelines.value) }
    },
  })
}

/**
 * Does the output address the request in `inputs`? (Relevance, not correctness.) Metric
 * `relevance_to_query`.
 *
 * @example
 * ```ts
 * await expect(answer).toPassScorer(relevanceToQuery(), { inputs: { question: 'How do I reset my password?' } })
 * ```
 */
export function relevanceToQuery(options: JudgeOptions = {}): Scorer {
  checkJudgeOptions('relevanceToQuery()', options)
  return questionJudge({
    name: options.name ?? 'relevance_to_query',
    description: 'LLM judge: does the output address the request?',
    options,
    format: YES_NO_FORMAT,
    prepare: (ctx) => ({ user: relevancePrompt(ctx.inputs, ctx.outputs) }),
  })
}

/**
 * Is every claim of the output supported by the retrieved context? The context is the outputs
 * of the trace's RETRIEVER spans, else `expectations.retrieved_context` (a string, string array,
 * or `{ content }` documents). Metric `retrieval_groundedness`.
 *
 * @example
 * ```ts
 * const row = {
 *   inputs: { q: 'Refund window?' },
 *   outputs: '30 days.',
 *   expectations: { retrieved_context: ['Refunds are accepted within 30 days.'] },
 * }
 * describeEval('rag', { data: [row], scorers: [retrievalGroundedness()] })
 * ```
 */
export function retrievalGroundedness(options: JudgeOptions = {}): Scorer {
  checkJudgeOptions('retrievalGroundedness()', options)
  return questionJudge({
    name: options.name ?? 'retrieval_groundedness',
    description: 'LLM judge: is the output supported by the retrieved context?',
    options,
    format: YES_NO_FORMAT,
    prepare(ctx) {
      const context = retrievedContextOf(ctx.trace, expectationsOf(ctx))
      if (!context.ok) return { missing: context.missing }
      return { user: groundednessPrompt(ctx.outputs, context.value) }
    },
  })
}

/**
 * Does the retrieved context hold everything needed for the expected answer? Reads `inputs`,
 * the retrieved context (as {@link retrievalGroundedness}) and
 * `expectations.expected_response` / `expected_facts`. Metric `retrieval_sufficiency`.
 *
 * @example
 * ```ts
 * const row = {
 *   inputs: { q: 'Refund window?' },
 *   outputs: '30 days.',
 *   expectations: { expected_facts: ['30 days'], retrieved_context: ['Refunds within 30 days.'] },
 * }
 * describeEval('rag', { data: [row], scorers: [retrievalSufficiency()] })
 * ```
 */
export function retrievalSufficiency(options: JudgeOptions = {}): Scorer {
  checkJudgeOptions('retrievalSufficiency()', options)
  return questionJudge({
    name: options.name ?? 'retrieval_sufficiency',
    description: 'LLM judge: does the retrieved context hold what the expected answer needs?',
    options,
    format: YES_NO_FORMAT,
    prepare(ctx) {
      const expectations = expectationsOf(ctx)
      const context = retrievedContextOf(ctx.trace, expectations)
      if (!context.ok) return { missing: context.missing }
      const expected = expectedOf(expectations)
      if (!expected.ok) return { missing: expected.missing }
      return { user: sufficiencyPrompt(ctx.inputs, context.value, expected.value) }
    },
  })
}

const NO_CHAT =
  'reads the conversation, but the row has no chat in inputs.messages (an array of { role, content })'

/**
 * Session-level, after MLflow's ConversationCompleteness: by the end of the conversation, has
 * the assistant addressed every question and request of the user? Reads the row's
 * `inputs.messages` plus the output as the last assistant turn. Metric
 * `conversation_completeness`, `"yes"`/`"no"`.
 *
 * @example
 * ```ts
 * describeEval('support chats', {
 *   data: [{ inputs: { messages: [{ role: 'user', content: 'Refund order 12?' }] }, outputs: 'Refunded.' }],
 *   scorers: [conversationCompleteness()],
 * })
 * ```
 */
export function conversationCompleteness(options: JudgeOptions = {}): Scorer {
  checkJudgeOptions('conversationCompleteness()', options)
  return questionJudge({
    name: options.name ?? 'conversation_completeness',
    description: 'LLM judge: has the assistant addressed every user request by the end?',
    options,
    format: YES_NO_FORMAT,
    prepare(ctx) {
      const turns = conversationOf(ctx)
      if (turns === undefined) return { missing: NO_CHAT }
      return { user: conversationCompletenessPrompt(turns) }
    },
  })
}

/**
 * Session-level, after MLflow's UserFrustration: does the user end the conversation free of
 * frustration (never frustrated, or frustrated and then resolved)? `"yes"` passes: the user is
 * not left frustrated; `"no"`: still frustrated at the end. Reads `inputs.messages` plus the
 * output as the last assistant turn. Metric `user_frustration`.
 *
 * @example
 * ```ts
 * describeEval('support chats', {
 *   data: 'fixtures/chats.jsonl',
 *   scorers: [userFrustration()],
 *   thresholds: { 'user_frustration/mean': 0.9 },
 * })
 * ```
 */
export function userFrustration(options: JudgeOptions = {}): Scorer {
  checkJudgeOptions('userFrustration()', options)
  return questionJudge({
    name: options.name ?? 'user_frustration',
    description: 'LLM judge: does the user end the conversation free of frustration?',
    options,
    format: YES_NO_FORMAT,
    prepare(ctx) {
      const turns = conversationOf(ctx)
      if (turns === undefined) return { missing: NO_CHAT }
      return { user: userFrustrationPrompt(turns) }
    },
  })
}
