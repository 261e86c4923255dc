import { formatMetricValue, formatNumber } from '../base/format.js'
import type { EvalSummary, PreparedEval } from './eval-types.js'
import { failingRows, formatFeedbackValue, listFailingRows, rowLabel } from './failing-rows.js'
import { gateTarget } from './gate-text.js'
import type { RowResult } from './run.js'
import type { FeedbackResult } from './score.js'

export { rowLabel } from './failing-rows.js'

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

/** One line per failing Feedback: metric, value, score vs threshold, rationale or error. */
export function describeFeedbackFailure(fb: FeedbackResult, threshold: number | undefined): string {
  if (fb.error !== null) return `${fb.name}: error ${fb.error.code}: ${fb.error.message}`
  const target =
    threshold === undefined ? 'the pass rule (>= 1)' : `threshold ${formatNumber(threshold)}`
  const rationale = fb.rationale === null ? '' : `\n    rationale: ${fb.rationale}`
  return `${fb.name}: value ${formatFeedbackValue(fb.value)} (score ${formatNumber(fb.score)}) is below ${target}${rationale}`
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

/** The metric a gate key `<metric>/<aggregation>` reads (metric names may contain '/'). */
function gateMetric(key: string): string {
  const slash = key.lastIndexOf('/')
  return slash === -1 ? key : key.slice(0, slash)
}

/**
 * The failure message of an eval (its `thresholds` test): the failing gates as a table (key,
 * target, actual, reason), the error budget line when it was exceeded, then the failing and
 * errored rows (row, metric, value, rationale or error: the first 10, then a count). Numbers
 * are rendered as the terminal table renders them. A gate with `confidence` shows its level in
 * the target (`>= 0.8 (95%)`) and, in its reason, the bound compared, the interval and n
 * (`lower bound 0.74 < min 0.8 (95% CI [0.74, 0.86] (t, n = 150 in 50 rows))`).
 *
 * @example
 * ```ts
 * const { rows, summary } = await runEval({ data, scorers, thresholds })
 * if (!summary.passed) throw new Error(describeEvalFailure('support bot', summary, rows))
 * // eval "support bot" failed:
 * // gate              target  actual  reason
 * // ----------------  ------  ------  --------------
 * // exact_match/mean  >= 0.9  0.5     0.5 < min 0.9
 * //
 * // failing and errored rows (1):
 * //   row "refund-1", exact_match: false (rationale: expected "Paris")
 * ```
 */
export function describeEvalFailure(
  name: string,
  summary: EvalSummary,
  rows: readonly RowResult[],
): string {
  const failing = summary.thresholds.filter((g) => g.passed === false)
  const gateRows = failing.map((g) => [
    g.key,
    gateTarget(g),
    formatMetricValue(gateMetric(g.key), g.actual),
    g.reason ?? '',
  ])
  // The columns in the terminal table's order.
  const header = ['gate', 'target', 'actual', 'reason']
  const widths = header.map((h, i) => Math.max(h.length, ...gateRows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  const out = [`eval "${name}" failed:`]
  if (failing.length > 0) {
    out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...gateRows.map(line))
  }
  // Every other reason the eval failed (the failing gates are in the table above).
  const gateLines = failing.map((g) => `${g.key}: `)
  for (const f of summary.failures) {
    if (!gateLines.some((prefix) => f.startsWith(prefix))) out.push(f)
  }
  const entries = failingRows(rows)
  if (entries.length > 0) {
    out.push('', `failing and errored rows (${entries.length}):`)
    for (const l of listFailingRows(entries)) out.push(`  ${l}`)
  }
  return out.join('\n')
}

/**
 * Decides an eval's final test (`thresholds`), which every eval has. With gates, or with errors
 * tolerated, it fails whenever the eval fails. Without (unit-test mode, no error tolerated),
 * every failing or errored row has already failed its own test, so it fails only for what no
 * row test shows: an eval in which no row produced a scored value.
 *
 * @example
 * ```ts
 * const verdict = evalVerdict('support bot', prepared, summary, rows)
 * if (verdict.failed) throw new Error(verdict.message)
 * ```
 */
export function evalVerdict(
  name: string,
  prepared: PreparedEval,
  summary: EvalSummary,
  rows: readonly RowResult[],
): RowVerdict {
  if (summary.passed) return { failed: false, message: '' }
  const shownByRows = prepared.gates.length === 0 && prepared.maxErrors === 0
  if (shownByRows && !summary.failures.some((f) => f.startsWith('no scored value'))) {
    return { failed: false, message: '' }
  }
  return { failed: true, message: describeEvalFailure(name, summary, rows) }
}

/**
 * Decides a row's test over its trials. An errored trial decides as one row does (it fails the
 * test when the eval tolerates no error). Without thresholds (unit-test mode), each metric must
 * pass in at least `trialPassRate` of the trials that judged it (default 1: every trial); with
 * one trial this is {@link rowVerdict}. With thresholds, failing metrics never fail a row test.
 *
 * @example
 * ```ts
 * const v = rowTrialsVerdict(prepared, [trial0, trial1, trial2])
 * if (v.failed) throw new Error(v.message) // "row "q1": safety passed 2 of 3 trials, below trialPassRate 1 ..."
 * ```
 */
export function rowTrialsVerdict(prepared: PreparedEval, trials: readonly RowResult[]): RowVerdict {
  if (trials.length === 1) return rowVerdict(prepared, trials[0]!)
  const messages: string[] = []
  for (const t of trials) {
    if (!rowErrored(t)) continue
    const v = rowVerdict(prepared, t)
    if (v.failed) messages.push(v.message)
  }
  if (prepared.gates.length === 0) {
    const tally = new Map<string, { n: number; c: number; failing: FeedbackResult[] }>()
    for (const t of trials) {
      for (const fb of t.feedback) {
        if (fb.error !== null || fb.passed === null) continue
        let m = tally.get(fb.name)
        if (m === undefined) {
          m = { n: 0, c: 0, failing: [] }
          tally.set(fb.name, m)
        }
        m.n++
        if (fb.passed) m.c++
        else m.failing.push(fb)
      }
    }
    const thresholds = new Map(prepared.scorers.map((s) => [s.name, s.threshold]))
    const lines: string[] = []
    for (const [name, m] of tally) {
      if (m.c / m.n >= prepared.trialPassRate) continue
      lines.push(
        `${name} passed ${m.c} of ${m.n} trials, below trialPassRate ${prepared.trialPassRate}`,
      )
      const first = m.failing[0]
      if (first !== undefined) {
        lines.push(`  e.g. ${describeFeedbackFailure(first, thresholds.get(first.scorer))}`)
      }
    }
    if (lines.length > 0) {
      messages.push(`row ${rowLabel(trials[0]!)} failed:\n  ${lines.join('\n  ')}`)
    }
  }
  return messages.length === 0
    ? { failed: false, message: '' }
    : { failed: true, message: messages.join('\n') }
}
