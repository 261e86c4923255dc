import { formatMetricValue, formatNumber, MISSING } from '../../base/format.js'
import type { EvalReport, ReportUsage } from '../../core/report-schema.js'

export { formatMetricValue, formatNumber, MISSING }

type Gate = EvalReport['thresholds'][number]

export const percent = (level: number): string => `${Math.round(level * 1000) / 10}%`

/** `>= 0.9`, `<= 500`, `0.8..0.9`; with a confidence, `>= 0.7 (95%)`. */
export function gateTarget(gate: Gate): string {
  const { min, max } = gate
  const bounds =
    min !== undefined && max !== undefined
      ? `${formatNumber(min)}..${formatNumber(max)}`
      : min !== undefined
        ? `>= ${formatNumber(min)}`
        : max !== undefined
          ? `<= ${formatNumber(max)}`
          : MISSING
  if (gate.confidence === undefined) return bounds
  return `${bounds} (${percent(gate.confidence)}${gate.require === 'plausible' ? ', plausible' : ''})`
}

/** PASS, FAIL, or NOT EVALUATED (a partial run). */
export const gateResult = (gate: Gate): string =>
  gate.passed === null ? 'NOT EVALUATED' : gate.passed ? 'PASS' : 'FAIL'

export function formatCost(usd: number | null): string {
  if (usd === null) return 'unknown (a model’s price is unknown)'
  // As the terminal prints money: cents, and below a cent never a false $0.00.
  return usd === 0 || usd >= 0.01 ? `$${usd.toFixed(2)}` : '<$0.01'
}

export function usageLine(u: ReportUsage): string {
  if (u.requests === 0 && u.cacheHits === 0 && Object.keys(u.judges).length === 0) {
    return 'none called'
  }
  // The same words as the terminal's line: nothing sent is no cost, not "$0.00".
  const cost =
    u.requests === 0
      ? 'no cost (all cached)'
      : u.inputTokens + u.outputTokens === 0
        ? '$0.00 (no tokens used)'
        : `cost ${formatCost(u.costUsd)}`
  return (
    `${u.requests} requests, ${u.cacheHits} cache hits, ` +
    `${u.inputTokens} input / ${u.outputTokens} output tokens, ${cost}`
  )
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${formatNumber(ms, 0)} ms`
  if (ms < 60_000) return `${formatNumber(ms / 1000)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** A JSON value as text to read: strings as they are, the rest pretty-printed, capped. */
export function showValue(value: unknown, cap = 200_000): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value))
  return s.length > cap ? `${s.slice(0, cap)}\n… (${s.length - cap} more characters)` : s
}

/** One line of a value for a table cell. */
export function preview(value: unknown, max = 140): string {
  if (value === null || value === undefined) return ''
  const s = typeof value === 'string' ? value : JSON.stringify(value)
  const line = s.length > max * 2 ? s.slice(0, max * 2) : s
  const flat = line.replace(/\s+/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** A feedback value in a cell: `yes`/`no` for booleans, numbers compactly, text previewed. */
export function feedbackValue(metric: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number') return formatMetricValue(metric, value)
  return preview(value, 40)
}
