import type OpenAI from 'openai'
import { z } from 'zod'
import { describeValue, EvalgateError } from '../base/errors.js'
import type { Scorer, ScorerContext } from '../core/scorer.js'
import { type ResponseFormat, responseFormat } from './ask.js'
import { expectationsOf } from './builtins.js'
import type { JudgeParams, JudgeResponseFormat } from './config.js'
import { conversationOf } from './fields.js'
import { checkJudgeOptions, type Prepared, questionJudge } from './judge.js'
import {
  CONVERSATION_NOTE,
  customAnswerLine,
  tagged,
  taggedConversation,
  type UntrustedTag,
} from './prompts.js'

/**
 * The template variables a `makeJudge` instruction may use, as `{{ name }}`.
 *
 * @example
 * ```ts
 * TEMPLATE_VARIABLES // ['inputs', 'outputs', 'expectations', 'trace', 'conversation']
 * ```
 */
export const TEMPLATE_VARIABLES = [
  'inputs',
  'outputs',
  'expectations',
  'trace',
  'conversation',
] as const
type Variable = (typeof TEMPLATE_VARIABLES)[number]

/**
 * Options of {@link makeJudge}.
 *
 * @example
 * ```ts
 * const options: MakeJudgeOptions<z.ZodEnum<{ yes: 'yes'; no: 'no' }>> = {
 *   name: 'cites_source',
 *   instructions: 'Does {{ outputs }} cite a source for its claims?',
 *   value: z.enum(['yes', 'no']),
 * }
 * ```
 */
export interface MakeJudgeOptions<V extends z.ZodType = z.ZodType> {
  /** The metric name. */
  name: string
  /**
   * What to judge, with `{{ inputs }}`, `{{ outputs }}`, `{{ expectations }}`, `{{ trace }}`,
   * `{{ conversation }}` (the row's `inputs.messages` plus the output as the last assistant turn).
   */
  instructions: string
  /** `z.enum([...])` (strings), `z.boolean()`, or `z.number()` / `z.int()` with `.min()` and `.max()`. */
  value: V
  /** A row passes when its score is >= threshold (yes/no and booleans: "yes"/true passes by default). */
  threshold?: number
  /** Overrides configureJudges' model for this judge. */
  model?: string
  /** Overrides configureJudges' client for this judge. */
  client?: OpenAI
  /** Chat Completions fields for this judge, over configureJudges' `params`. In the cache key. */
  params?: JudgeParams
  /** Overrides configureJudges' `responseFormat` for this judge. */
  responseFormat?: JudgeResponseFormat
  description?: string
}

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g
const ALLOWED = TEMPLATE_VARIABLES.map((v) => `{{ ${v} }}`).join(', ')

/** How the value is described to the model; throws for a schema a judge cannot answer with. */
function resultFormOf(name: string, value: unknown): string {
  const where = `makeJudge "${name}": "value"`
  const accepted =
    'z.enum([...]) of strings, z.boolean(), or z.number() / z.int() with both .min() and .max()'
  if (value instanceof z.ZodEnum) {
    const options = value.options as unknown[]
    if (!options.every((o) => typeof o === 'string')) {
      throw new EvalgateError(
        `${where}: expected an enum of strings, received values ${describeValue(options)}`,
      )
    }
    return `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`
  }
  if (value instanceof z.ZodBoolean) return 'true or false'
  if (value instanceof z.ZodNumber) {
    const min = value.minValue
    const max = value.maxValue
    const bounded = (n: number | null) =>
      n !== null && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER
    if (!bounded(min) || !bounded(max)) {
      throw new EvalgateError(
        `${where}: a number needs both bounds, e.g. z.int().min(1).max(5); received a number with min ${bounded(min) ? min : 'none'} and max ${bounded(max) ? max : 'none'}`,
      )
    }
    const whole =
      value.format === 'safeint' || value.format === 'int32' || value.format === 'uint32'
    return `${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`
  }
  const kind =
    value instanceof z.ZodType
      ? `a zod ${(value.def as { type?: string }).type ?? 'schema'} schema`
      : describeValue(value)
  throw new EvalgateError(`${where}: expected ${accepted}; received ${kind}`)
}

function checkTemplate(name: string, instructions: unknown): Variable[] {
  if (typeof instructions !== 'string' || instructions.trim() === '') {
    throw new EvalgateError(
      `makeJudge "${name}": expected "instructions" to be a non-empty string using ${ALLOWED}, received ${describeValue(instructions)}`,
    )
  }
  const used = new Set<Variable>()
  for (const m of instructions.matchAll(VARIABLE)) {
    const v = m[1] ?? ''
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(v)) {
      throw new EvalgateError(
        `makeJudge "${name}": unknown template variable ${JSON.stringify(m[0])} in "instructions"; the allowed variables are ${ALLOWED}`,
      )
    }
    used.add(v as Variable)
  }
  if (used.size === 0) {
    throw new EvalgateError(
      `makeJudge "${name}": "instructions" use no template variable, so the judge would see nothing of the row; use at least one of ${ALLOWED}`,
    )
  }
  return [...used]
}

function contentOf(ctx: ScorerContext, v: Variable): unknown {
  if (v === 'conversation') return conversationOf(ctx)
  if (v === 'expectations') {
    const e = expectationsOf(ctx)
    return Object.keys(e).length === 0 ? undefined : e
  }
  return ctx[v]
}

/**
 * Builds an LLM judge from your own instructions. The template variables `{{ inputs }}`,
 * `{{ outputs }}`, `{{ expectations }}` and `{{ trace }}` (spaces inside the braces optional)
 * are replaced by the row's content between tags (`<outputs>…</outputs>`); any other variable,
 * or none, throws an `EvalgateError` here, listing the allowed ones. `value` is the verdict's
 * zod schema: its JSON Schema goes into the strict response format, and the reply is validated
 * with it again (an out-of-range number is a `JUDGE_PARSE_ERROR`). A row whose used field is
 * missing (no expectations, no trace) gives a `JUDGE_MISSING_FIELD` errored Feedback.
 *
 * Only yes/no strings, booleans and numbers have a score; another enum value (e.g.
 * `"partial"`) is recorded in the report but neither aggregated nor gated.
 *
 * @example
 * ```ts
 * import { z } from 'zod'
 * import { makeJudge } from 'evalgate/judges'
 *
 * const quality = makeJudge({
 *   name: 'response_quality',
 *   instructions: 'Rate from 1 to 5 how well {{ outputs }} answers {{ inputs }}.',
 *   value: z.int().min(1).max(5),
 *   threshold: 4,
 * })
 * describeEval('support', { data, task, scorers: [quality], thresholds: { 'response_quality/mean': 4 } })
 * ```
 */
export function makeJudge<V extends z.ZodType>(options: MakeJudgeOptions<V>): Scorer {
  if (typeof options !== 'object' || options === null) {
    throw new EvalgateError(
      `makeJudge: expected options { name, instructions, value, threshold?, model? }, received ${describeValue(options)}`,
    )
  }
  const name = options.name
  if (typeof name !== 'string' || name.trim() === '') {
    throw new EvalgateError(
      `makeJudge: expected "name" to be a non-empty metric name, received ${describeValue(name)}`,
    )
  }
  const { instructions, value, description, ...judgeOptions } = options
  checkJudgeOptions(`makeJudge "${name}"`, judgeOptions, ['instructions', 'value', 'description'])
  const used = checkTemplate(name, instructions)
  const format: ResponseFormat<z.output<V>> = responseFormat(
    value as z.ZodType<z.output<V>>,
    resultFormOf(name, value),
  )
  return questionJudge({
    name,
    description: description ?? `LLM judge: ${instructions.slice(0, 80)}`,
    options: judgeOptions,
    format,
    prepare(ctx): Prepared {
      for (const v of used) {
        if (contentOf(ctx, v) === undefined) {
          return {
            missing:
              v === 'conversation'
                ? 'uses {{ conversation }}, but the row has no chat in inputs.messages (an array of { role, content })'
                : `uses {{ ${v} }}, but the row has no ${v}${v === 'trace' ? ' (describeEval records one when the task is traced)' : ''}`,
          }
        }
      }
      // One pass over the template: content put in is never scanned for variables again.
      const body = instructions.replace(VARIABLE, (_m, v: string) =>
        v === 'conversation'
          ? taggedConversation(conversationOf(ctx) ?? [])
          : tagged(v as UntrustedTag, contentOf(ctx, v as Variable)),
      )
      // The note only where a conversation is judged: other prompts (and their cache keys)
      // stay as they were.
      const note = used.includes('conversation') ? `\n\n${CONVERSATION_NOTE}` : ''
      return { user: `${body}${note}\n\n${customAnswerLine(format.resultForm)}` }
    },
  })
}
