import type { Feedback, Scorer } from '../core/scorer.js'
import { answerFeedback, askJudge, judgeSource } from './ask.js'
import { expectationsOf } from './builtins.js'
import { retrievedContextOf } from './fields.js'
import {
  abortable,
  checkJudgeOptions,
  type JudgeOptions,
  missingField,
  overridesOf,
  trialOf,
  YES_NO_FORMAT,
} from './judge.js'
import { refuseWithoutRecordings } from './preflight.js'
import { chunkRelevancePrompt } from './prompts.js'
import { sumUsage } from './usage.js'

/**
 * One retrieved chunk's verdict, in `metadata.chunks` of {@link retrievalRelevance}'s Feedback.
 *
 * @example
 * ```ts
 * const chunks = feedback.metadata?.chunks as ChunkVerdict[]
 * const irrelevant = chunks.filter((c) => c.value === 'no').map((c) => c.index)
 * ```
 */
export interface ChunkVerdict {
  index: number
  value: 'yes' | 'no' | null
  rationale: string | null
  error: { code: string; message: string } | null
}

/**
 * Is each retrieved chunk relevant to the request in `inputs`? One judge call per chunk (the
 * context is read as {@link retrievalGroundedness} reads it). It returns ONE Feedback, metric
 * `retrieval_relevance` (or `name`): its value is the precision, the share of relevant chunks in
 * [0, 1], with each chunk's verdict and rationale in `metadata.chunks` and the usage of all the
 * chunk calls in `metadata.usage` (`requests` and `cacheHits` counted per chunk).
 *
 * Deviation from "a verdict per chunk plus a precision metric": per-chunk metrics would need a
 * distinct metric name per chunk index in every row, which the metric model (one value per
 * metric per row, names known before the run) cannot aggregate or gate. The precision is a
 * number, so it gates through `threshold` or `'retrieval_relevance/mean'`; without a threshold
 * it is recorded and never fails a row. If any chunk's call fails, the Feedback is an error (a
 * precision over fewer chunks would be a silently smaller sample), and `metadata.chunks` still
 * shows the verdicts that came back.
 *
 * @example
 * ```ts
 * describeEval('rag', {
 *   data: 'fixtures/rag.jsonl', // expectations.retrieved_context: string[] per row
 *   scorers: [retrievalRelevance({ threshold: 0.5 })],
 *   thresholds: { 'retrieval_relevance/mean': 0.8 },
 * })
 * ```
 */
export function retrievalRelevance(options: JudgeOptions = {}): Scorer {
  checkJudgeOptions('retrievalRelevance()', options)
  const name = options.name ?? 'retrieval_relevance'
  const overrides = overridesOf(options)
  const scorer: { -readonly [K in keyof Scorer]: Scorer[K] } = {
    name,
    description: 'LLM judge: share of the retrieved chunks relevant to the request',
    metrics: [name],
    // Not async: see questionJudge (the row's abort must settle the score before its deadline).
    score(ctx): Promise<Feedback> {
      const context = retrievedContextOf(ctx.trace, expectationsOf(ctx))
      if (!context.ok) {
        return Promise.resolve({ name, ...missingField(name, overrides, context.missing) })
      }
      const chunksOf = context.value
      return abortable(name, overrides, ctx.signal, async (meter) => {
        const answers = await Promise.all(
          chunksOf.map((chunk) =>
            askJudge({
              judge: name,
              user: chunkRelevancePrompt(ctx.inputs, chunk),
              format: YES_NO_FORMAT,
              overrides,
              trial: trialOf(ctx),
              signal: ctx.signal,
              meter,
            }),
          ),
        )
        const chunks: ChunkVerdict[] = answers.map((a, index) =>
          a.ok
            ? { index, value: a.result, rationale: a.rationale, error: null }
            : { index, value: null, rationale: null, error: { code: a.code, message: a.message } },
        )
        const model = answers[0]!.model
        const usage = { model, ...sumUsage(answers.map((a) => a.usage)) }
        const failed = answers.findIndex((a) => !a.ok)
        if (failed !== -1) {
          const fb = answerFeedback(answers[failed]!)
          const error = fb.error!
          const message = `${error.message} (chunk ${failed + 1} of ${answers.length})`
          return { name, ...fb, error: { code: error.code, message }, metadata: { usage, chunks } }
        }
        const relevant = chunks.filter((c) => c.value === 'yes').length
        return {
          name,
          value: relevant / chunks.length,
          rationale: `${relevant} of ${chunks.length} retrieved chunks are relevant: ${chunks
            .map((c) => `[${c.index + 1}] ${c.value}`)
            .join(', ')}`,
          source: judgeSource(model),
          metadata: { usage, chunks },
        }
      })
    },
    prepare: () => refuseWithoutRecordings(name, overrides),
  }
  if (options.threshold !== undefined) scorer.threshold = options.threshold
  return scorer
}
