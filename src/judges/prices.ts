/**
 * USD per one million tokens, input (prompt) and output (completion), standard tier.
 *
 * @example
 * ```ts
 * const price: ModelPrice = { input: 0.4, output: 1.6 }
 * ```
 */
export interface ModelPrice {
  /** USD per 1M input (prompt) tokens. */
  input: number
  /** USD per 1M output (completion) tokens. */
  output: number
}

/**
 * When {@link DEFAULT_PRICES} were taken. They are the standard-tier (not batch, not cached-input)
 * prices that OpenAI's public pricing page (https://platform.openai.com/docs/pricing) lists.
 * openai.com was not reachable from the machine that wrote this table, so the figures were
 * read, on this date, from public copies of that page dated March–June 2026. Prices change:
 * check them, and override with `configureJudges({ prices })`.
 *
 * @example
 * ```ts
 * console.log(`judge costs use prices taken on ${PRICES_TAKEN_ON}`)
 * ```
 */
export const PRICES_TAKEN_ON = '2026-11-23'

/**
 * The built-in price table (see {@link PRICES_TAKEN_ON} for where it comes from). A model not in
 * it has an unknown price: its usage reports tokens and `costUsd: null`, never a guessed cost.
 * Dated snapshot names (`gpt-4.1-mini-2025-04-14`) fall back to their base name.
 *
 * @example
 * ```ts
 * DEFAULT_PRICES['gpt-4.1-mini'] // { input: 0.4, output: 1.6 }
 * ```
 */
export const DEFAULT_PRICES: Readonly<Record<string, Readonly<ModelPrice>>> = Object.freeze({
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
})

const SNAPSHOT_SUFFIX = /-\d{4}-\d{2}-\d{2}$/

/** The price of a model: overrides first, then the built-in table; exact name, then base name. */
export function priceOf(
  model: string,
  overrides: Readonly<Record<string, ModelPrice>> | undefined,
): ModelPrice | undefined {
  const base = model.replace(SNAPSHOT_SUFFIX, '')
  for (const name of base === model ? [model] : [model, base]) {
    const price = overrides?.[name] ?? DEFAULT_PRICES[name]
    if (price !== undefined) return price
  }
  return undefined
}

/** Rounds away binary-float dust (0.1 + 0.2) without losing any realistic precision. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12
}

/** The cost in USD of some tokens of a model, or `null` when its price is unknown. */
export function costUsd(
  model: string,
  inputTokens: number,
  outputTokens: number,
  overrides: Readonly<Record<string, ModelPrice>> | undefined,
): number | null {
  const price = priceOf(model, overrides)
  if (price === undefined) return null
  return roundUsd((inputTokens * price.input + outputTokens * price.output) / 1_000_000)
}
