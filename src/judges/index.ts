/**
 * evalgate LLM judges: built-in judges, `makeJudge` for your own, and `configureJudges`. Every
 * judge is a Scorer: use it in `describeEval`, `evalTest` and `toPassScorer` like any other.
 * Judges call the Chat Completions API through the `openai` SDK (any OpenAI-compatible server),
 * with a strict JSON response format, retries, a per-worker concurrency limit, an on-disk cache
 * with offline replay, and token usage and cost on every Feedback (`metadata.usage`).
 *
 * A judge never throws for a judge failure: it returns an errored Feedback whose `error.code`
 * names the cause (`JUDGE_HTTP_ERROR`, `JUDGE_PARSE_ERROR`, `JUDGE_REFUSAL`, `JUDGE_TIMEOUT`,
 * `JUDGE_CONFIG_ERROR`, `JUDGE_MISSING_FIELD`, `JUDGE_CACHE_MISS`).
 *
 * @packageDocumentation
 */
export {
  conversationCompleteness,
  correctness,
  expectationsGuidelines,
  type GuidelinesOptions,
  guidelines,
  relevanceToQuery,
  retrievalGroundedness,
  retrievalSufficiency,
  safety,
  userFrustration,
} from './builtins.js'
export {
  CACHE_MODES,
  type CacheMode,
  configureJudges,
  DEFAULT_JUDGE_CONCURRENCY,
  DEFAULT_JUDGE_MODEL,
  type JudgeConfig,
  type JudgeParams,
  type JudgeResponseFormat,
  RESPONSE_FORMATS,
} from './config.js'
export type { JudgeOptions } from './judge.js'
export { type MakeJudgeOptions, makeJudge, TEMPLATE_VARIABLES } from './make-judge.js'
export { DEFAULT_PRICES, type ModelPrice, PRICES_TAKEN_ON } from './prices.js'
export { PROMPT_VERSION } from './prompts.js'
export type { JudgeErrorCode } from './request.js'
export { type ChunkVerdict, retrievalRelevance } from './retrieval-relevance.js'
export { type JudgeUsage, sumUsage, type UsageTotals } from './usage.js'
