import type { EvalSummary, PreparedEval } from './evaluate.js'
import type { RowResult } from './run.js'
import type { FeedbackResult } from './score.js'

/** How a row's test ends: the decision is core's, the adapters only throw `message`. */
export interface RowVerdict {
  failed: boolean
  /** Why the row's test fails (empty when it passes). */
  message: string
}

/** Whether a row counts as errored (task error or an errored Feedback). */
export function rowErrored(row: RowResult): boolean {
  if (row.error !== null) return true
  for (const fb of row.feedback) if (fb.error !== null) return true
  return false
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v)
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)))
  const json = JSON.stringify(v) ?? String(v)
  return json.length > 80 ? `${json.slice(0, 77)}...` : json
}

/** One line per failing Feedback: metric, value, score vs threshold, rationale or error. */
export function describeFeedbackFailure(fb: FeedbackResult, threshold: number | undefined): string {
  if (fb.error !== null) return `${fb.name}: error ${fb.error.code}: ${fb.error.message}`
  const target = threshold === undefined ? 'the pass rule (>= 1)' : `threshold ${threshold}`
  const rationale = fb.rationale === null ? '' : `\n    rationale: ${fb.rationale}`
  return `${fb.name}: value ${formatValue(fb.value)} (score ${formatValue(fb.score)}) is below ${target}${rationale}`
}

/**
 * Decides a row's test. Without thresholds (unit-test mode) a row fails when it fails any
 * metric; with thresholds, only errors fail rows (the gates decide the rest). Errored rows fail
 * their test only when the eval tolerates no errors (`maxErrors` 0); otherwise the eval-level
 * check counts them.
 */
export function rowVerdict(prepared: PreparedEval, row: RowResult): RowVerdict {
  if (row.passed) return { failed: false, message: '' }
  const errored = rowErrored(row)
  const gated = prepared.gates.length > 0
  const lines: string[] = []
  if (row.error !== null) lines.push(`${row.error.code}: ${row.error.message}`)
  const thresholds = new Map(prepared.scorers.map((s) => [s.name, s.threshold]))
  for (const fb of row.feedback) {
    if (fb.error !== null || (!gated && fb.passed === false)) {
      lines.push(describeFeedbackFailure(fb, thresholds.get(fb.scorer)))
    }
  }
  const failingMetric =
    !gated && row.feedback.some((fb) => fb.error === null && fb.passed === false)
  if (!failingMetric && !(errored && prepared.maxErrors === 0))
    return { failed: false, message: '' }
  const what = errored ? 'errored' : 'failed'
  return { failed: true, message: `row ${rowLabel(row)} ${what}:\n  ${lines.join('\n  ')}` }
}

/** The row as a person reads it: its id, else its index. */
export function rowLabel(row: RowResult): string {
  return row.id === null ? `#${row.index}` : JSON.stringify(row.id)
}

function target(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min}..${max}`
  return min !== undefined ? `>= ${min}` : `<= ${max}`
}

/**
 * The failure message of an eval: the failing gates as a table (key, actual, target, reason),
 * then the error budget line when it was exceeded.
 */
export function describeEvalFailure(name: string, summary: EvalSummary): string {
  const failing = summary.thresholds.filter((g) => !g.passed)
  const rows = failing.map((g) => [
    g.key,
    g.actual === null ? '–' : formatValue(g.actual),
    target(g.min, g.max),
    g.reason ?? '',
  ])
  const header = ['gate', 'actual', 'target', 'reason']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  const out = [`eval "${name}" failed:`]
  if (failing.length > 0) {
    out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line))
  }
  if (summary.erroredRows > summary.maxErrors) {
    out.push(`${summary.erroredRows} errored row(s), more than maxErrors (${summary.maxErrors})`)
  }
  for (const f of summary.failures) {
    if (f.endsWith('failed a metric')) out.push(f)
  }
  return out.join('\n')
}
