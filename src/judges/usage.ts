import { roundUsd } from './prices.js'

/**
 * What one judge Feedback cost. Every Feedback a judge returns (a verdict or an error) carries
 * it as `metadata.usage`, and each judge returns exactly one Feedback per row, so summing the
 * `metadata.usage` of every judge Feedback of a run counts every request once.
 *
 * - `requests`: HTTP attempts made, retries included; 0 when the answer came from the cache.
 * - `cacheHits`: answers served from the on-disk cache (0 or 1; for `retrievalRelevance`, one
 *   per retrieved chunk).
 * - `inputTokens` / `outputTokens`: tokens the server reported for the requests made now. A
 *   cache hit counts 0: cached tokens were paid for by the run that recorded them and are not
 *   counted again (the cache entry keeps them).
 * - `costUsd`: from the price table (`configureJudges({ prices })` overrides it); `null` when the
 *   model's price is unknown. Never guessed.
 *
 * @example
 * ```ts
 * const fb = await safety().score({ inputs: {}, outputs: 'hi', expectations: {}, trace: undefined })
 * const usage = (fb as Feedback).metadata?.usage as JudgeUsage
 * usage.requests // 1
 * ```
 */
export interface JudgeUsage {
  model: string
  requests: number
  cacheHits: number
  inputTokens: number
  outputTokens: number
  costUsd: number | null
}

/**
 * Usage summed over many judge calls: the shape of the artifact's `usage`.
 *
 * @example
 * ```ts
 * const total: UsageTotals = sumUsage([])
 * ```
 */
export interface UsageTotals {
  requests: number
  cacheHits: number
  inputTokens: number
  outputTokens: number
  /** `null` when any summed usage has an unknown cost, or when nothing was summed. */
  costUsd: number | null
}

/**
 * Sums judge usages. Counts add up; `costUsd` is the sum only when every usage has a known
 * cost, else `null` (a partly unknown total is unknown, not a smaller number); the sum of
 * nothing has `costUsd: null`, as the report's empty usage.
 *
 * @example
 * ```ts
 * sumUsage([
 *   { model: 'gpt-4.1-mini', requests: 2, cacheHits: 0, inputTokens: 300, outputTokens: 40, costUsd: 0.000184 },
 *   { model: 'gpt-4.1-mini', requests: 0, cacheHits: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 },
 * ])
 * // { requests: 2, cacheHits: 1, inputTokens: 300, outputTokens: 40, costUsd: 0.000184 }
 * ```
 */
export function sumUsage(usages: Iterable<JudgeUsage | UsageTotals>): UsageTotals {
  const total: UsageTotals = {
    requests: 0,
    cacheHits: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
  }
  let cost = 0
  let any = false
  let unknown = false
  for (const u of usages) {
    any = true
    total.requests += u.requests
    total.cacheHits += u.cacheHits
    total.inputTokens += u.inputTokens
    total.outputTokens += u.outputTokens
    if (u.costUsd === null) unknown = true
    else cost += u.costUsd
  }
  total.costUsd = any && !unknown ? roundUsd(cost) : null
  return total
}
