// One rendering of a number for every place a person reads one: tables, gate reasons, failure
// messages, Markdown.

/**
 * What a missing value (an aggregation over no scored values) prints as.
 *
 * @example
 * ```ts
 * formatNumber(null) === MISSING // true
 * ```
 */
export const MISSING = '–'

function stripZeros(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s
}

/**
 * A compact rendering of a number: whole numbers as they are, up to 3 decimals from 1 up,
 * none from 1000 up, 3 significant digits below 1 (so 0.000123 is not shown as 0), exponent form
 * for the extremes.
 * `decimals: 0` rounds (latency in ms). `null` is {@link MISSING}.
 *
 * @example
 * ```ts
 * formatNumber(2 / 3) // '0.667'
 * formatNumber(0.000123456) // '0.000123'
 * formatNumber(1234.5678) // '1235'
 * formatNumber(12.5, 0) // '13'
 * formatNumber(null) // '–'
 * ```
 */
export function formatNumber(value: number | null | undefined, decimals?: 0): string {
  if (value === null || value === undefined) return MISSING
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  if (abs >= 1e7) return value.toExponential(3).replace(/\.?0+e/, 'e')
  if (decimals === 0 || abs >= 1000) return String(Math.round(value) || 0)
  if (Number.isInteger(value)) return String(value)
  if (abs >= 1) return stripZeros(value.toFixed(3))
  if (abs < 1e-6) return value.toExponential(2).replace(/\.?0+e/, 'e')
  return stripZeros(value.toPrecision(3))
}

/** The metric the runner records itself: shown in whole milliseconds. */
const LATENCY_METRIC = 'latency_ms'

/**
 * Formats a value of `metric`: latency in whole milliseconds, everything else compactly.
 *
 * @example
 * ```ts
 * formatMetricValue('latency_ms', 812.4) // '812'
 * formatMetricValue('exact_match', 0.8125) // '0.813'
 * ```
 */
export function formatMetricValue(metric: string, value: number | null | undefined): string {
  return formatNumber(value, metric === LATENCY_METRIC ? 0 : undefined)
}
