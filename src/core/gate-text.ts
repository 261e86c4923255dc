import { formatMetricValue, formatNumber, MISSING } from '../base/format.js'

// A gate as a person reads it, in every place one is shown (the terminal table, the Markdown,
// the thresholds failure message): its target, and why it passed or failed. One rendering, so
// the three never disagree.

/** What {@link gateTarget} and {@link gateReason} read of a gate result (core's or the artifact's). */
export interface GateText {
  key: string
  min?: number | undefined
  max?: number | undefined
  confidence?: number | undefined
  require?: 'plausible' | undefined
  bound?: number | null | undefined
  passed: boolean | null
  reason?: string | undefined
}

/** `0.95` → `95%`, `0.999` → `99.9%`. */
export function levelPercent(level: number): string {
  return `${Math.round(level * 1000) / 10}%`
}

/** The metric a gate key `<metric>/<aggregation>` reads (metric names may contain '/'). */
function metricOf(key: string): string {
  const slash = key.lastIndexOf('/')
  return slash === -1 ? key : key.slice(0, slash)
}

/**
 * A gate's target: `>= 0.9`, `<= 2000`, `0.8..0.9` for both bounds; a gate on an interval's
 * bound says its level, and `plausible` when it fails only on proof of failure:
 * `>= 0.7 (95%)`, `>= 0.7 (95%, plausible)`.
 *
 * @example
 * ```ts
 * gateTarget({ key: 'latency_ms/p90', max: 2000, passed: true }) // '<= 2000'
 * gateTarget({ key: 'ok/mean', min: 0.7, confidence: 0.95, passed: true }) // '>= 0.7 (95%)'
 * ```
 */
export function gateTarget(gate: GateText): string {
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
  const plausible = gate.require === 'plausible' ? ', plausible' : ''
  return `${bounds} (${levelPercent(gate.confidence)}${plausible})`
}

/**
 * Why a gate passed or failed, as core gave it; a passing gate on an interval's bound also
 * says which end was compared with which target (core's reason then holds only the interval):
 * `lower bound 0.74 >= min 0.7 (95% CI [0.74, 0.86] (t, n = 50 in 10 rows))`. A failing one's
 * reason already says so. `undefined` when the gate has no reason (a passing point gate).
 *
 * @example
 * ```ts
 * gateReason({ key: 'ok/mean', min: 0.7, confidence: 0.95, bound: 0.74, passed: true,
 *   reason: '95% CI [0.74, 0.86] (t, n = 50 in 10 rows)' })
 * // 'lower bound 0.74 >= min 0.7 (95% CI [0.74, 0.86] (t, n = 50 in 10 rows))'
 * ```
 */
export function gateReason(gate: GateText): string | undefined {
  const { reason, bound } = gate
  if (
    reason === undefined ||
    gate.passed !== true ||
    gate.confidence === undefined ||
    bound === null ||
    bound === undefined ||
    /^(lower|upper) bound /.test(reason)
  ) {
    return reason
  }
  // Core compares the min side first, so with both bounds `bound` is the min side's end.
  const side = gate.min !== undefined ? 'min' : 'max'
  const target = side === 'min' ? gate.min : gate.max
  if (target === undefined) return reason
  const plausible = gate.require === 'plausible'
  const end = (side === 'min') !== plausible ? 'lower' : 'upper'
  const op = side === 'min' ? '>=' : '<='
  const metric = metricOf(gate.key)
  return `${end} bound ${formatMetricValue(metric, bound)} ${op} ${side} ${formatNumber(target)} (${reason})`
}
