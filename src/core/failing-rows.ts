import { formatNumber, MISSING } from '../base/format.js'

// Which rows of an eval failed or errored, and why: one selection for every place a person
// reads it (the thresholds test's failure message, the terminal table, the Markdown summary),
// so the three never disagree.

/** What {@link failingRows} reads of a Feedback (a RowResult's or the artifact's). */
export interface FailingRowFeedback {
  name: string
  value: unknown
  passed: boolean | null
  rationale: string | null
  error: { code: string; message: string } | null
}

/**
 * What {@link failingRows} reads of a row: a core `RowResult` or an artifact row. `trial` is
 * absent on results made before trials existed (taken as 0).
 */
export interface FailingRowSource {
  index: number
  trial?: number | undefined
  id: string | number | null
  feedback: readonly FailingRowFeedback[]
  error: { code: string; message: string } | null
}

/**
 * One failing or errored result of one row: a metric that failed its pass rule, a metric whose
 * scorer errored, or the row itself (its task failed; `metric` is `null`).
 *
 * @example
 * ```ts
 * const entry: FailingRow = {
 *   row: '"refund-1"', index: 0, trial: 0, metric: 'exact_match', errored: false,
 *   value: 'false', detail: 'expected "Paris"',
 * }
 * ```
 */
export interface FailingRow {
  /** The row as a person reads it: its id (JSON), else `#index`; `(trial t)` with trials. */
  row: string
  index: number
  trial: number
  /** The metric that failed or errored; `null` for an error of the row itself (its task). */
  metric: string | null
  /** An error, not a failing value. */
  errored: boolean
  /** The value, rendered (numbers as every table renders them); `–` for an error. */
  value: string
  /** The rationale, or the error as `CODE: message`; `null` when the scorer gave no rationale. */
  detail: string | null
}

/** How many failing results a message, the terminal or the Markdown lists before a count. */
export const FAILING_ROWS_SHOWN = 10

const MAX_VALUE_CHARS = 80

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text
}

/**
 * A Feedback value as failure messages and tables show it: numbers by the one number formatter
 * (`formatNumber`), strings quoted, anything else as JSON; long values cut at 80 characters.
 *
 * @example
 * ```ts
 * formatFeedbackValue(12222.22122) // '12222'
 * formatFeedbackValue('Lyon') // '"Lyon"'
 * formatFeedbackValue(null) // '–'
 * ```
 */
export function formatFeedbackValue(value: unknown): string {
  if (value === null || value === undefined) return MISSING
  if (typeof value === 'number') return formatNumber(value)
  const json = JSON.stringify(value) ?? String(value)
  return cut(json, MAX_VALUE_CHARS)
}

/**
 * The row as a person reads it: its id (as JSON, so `"7"` and `7` differ), else `[index]` (as its
 * test's name begins); with several trials, the trial too (`[3] (trial 1)`, trials count from 0
 * as in the artifact).
 *
 * @example
 * ```ts
 * rowLabel({ index: 3, id: null }) // '[3]'
 * rowLabel({ index: 0, id: 'refund-1', trial: 2 }, 5) // '"refund-1" (trial 2)'
 * ```
 */
export function rowLabel(
  row: Pick<FailingRowSource, 'index' | 'id' | 'trial'>,
  trials = 1,
): string {
  const name = row.id === null ? `[${row.index}]` : JSON.stringify(row.id)
  return trials > 1 ? `${name} (trial ${row.trial ?? 0})` : name
}

function errorText(error: { code: string; message: string }): string {
  return `${error.code}: ${error.message}`
}

/**
 * The failing and errored results of an eval's rows, in row order (then trial): for each row,
 * its own error (the task failed), else each Feedback that errored or failed its pass rule
 * (`passed === false`). Abstentions (no value, no error) and values without a pass rule are not
 * failures. Rows are taken as given: the failing rows of a partial eval are listed as well.
 * `trials` (default: as the rows show it) decides whether labels name the trial.
 *
 * @example
 * ```ts
 * const failing = failingRows(evalReport.rows, evalReport.trials)
 * failing[0] // { row: '#2', metric: 'exact_match', value: 'false', detail: null, ... }
 * ```
 */
export function failingRows(
  rows: readonly FailingRowSource[],
  trials: number = Math.max(1, ...rows.map((r) => (r.trial ?? 0) + 1)),
): FailingRow[] {
  const ordered = [...rows].sort((a, b) => a.index - b.index || (a.trial ?? 0) - (b.trial ?? 0))
  const out: FailingRow[] = []
  for (const r of ordered) {
    const base = { row: rowLabel(r, trials), index: r.index, trial: r.trial ?? 0 }
    if (r.error !== null) {
      out.push({ ...base, metric: null, errored: true, value: MISSING, detail: errorText(r.error) })
      continue
    }
    for (const fb of r.feedback) {
      if (fb.error !== null) {
        out.push({
          ...base,
          metric: fb.name,
          errored: true,
          value: MISSING,
          detail: errorText(fb.error),
        })
      } else if (fb.passed === false) {
        out.push({
          ...base,
          metric: fb.name,
          errored: false,
          value: formatFeedbackValue(fb.value),
          detail: fb.rationale,
        })
      }
    }
  }
  return out
}

/**
 * The two parts of a failing result as text: what failed (`row "refund-1", exact_match: false`,
 * `row [3], judge: error`, `row [4]: error`) and why (`rationale: …`, or the error as
 * `CODE: message`; `null` without a rationale). Line breaks in the detail are flattened.
 *
 * @example
 * ```ts
 * failingRowParts(entry) // { head: 'row [2], exact_match: false', detail: 'rationale: off topic' }
 * ```
 */
export function failingRowParts(entry: FailingRow): { head: string; detail: string | null } {
  const where = entry.metric === null ? `row ${entry.row}` : `row ${entry.row}, ${entry.metric}`
  const text = entry.detail === null ? null : entry.detail.replace(/\s*\r?\n\s*/g, ' ')
  if (entry.errored) return { head: `${where}: error`, detail: text }
  return { head: `${where}: ${entry.value}`, detail: text === null ? null : `rationale: ${text}` }
}

/**
 * One failing result as one line of text: `row "refund-1", exact_match: false (rationale: …)`,
 * `row [3], judge: error SCORER_ERROR: …`, `row [4]: error TASK_ERROR: …`. Line breaks in the
 * rationale or error are flattened.
 *
 * @example
 * ```ts
 * describeFailingRow(failingRows(rows)[0]!) // 'row [2], exact_match: false'
 * ```
 */
export function describeFailingRow(entry: FailingRow): string {
  const { head, detail } = failingRowParts(entry)
  if (detail === null) return head
  return entry.errored ? `${head} ${detail}` : `${head} (${detail})`
}

/**
 * The first {@link FAILING_ROWS_SHOWN} failing results as lines, then `... and N more` when
 * there are more. Empty when no row failed.
 *
 * @example
 * ```ts
 * listFailingRows(failingRows(rows)).join('\n')
 * ```
 */
export function listFailingRows(
  entries: readonly FailingRow[],
  shown = FAILING_ROWS_SHOWN,
): string[] {
  const lines = entries.slice(0, shown).map(describeFailingRow)
  if (entries.length > shown) lines.push(`... and ${entries.length - shown} more`)
  return lines
}

/**
 * One dataset row whose trials disagree on one metric: some passed its pass rule, some failed
 * (as core counts a metric's `flaky`; errored trials and values without a pass rule give no
 * verdict and are left out of the count).
 *
 * @example
 * ```ts
 * const entry: FlakyRow = {
 *   row: '"refund-1"', index: 0, metric: 'correct', passed: 3, judged: 5, trials: '✓✓✗✓✗',
 * }
 * ```
 */
export interface FlakyRow {
  /** The row as a person reads it: its id (JSON), else `[index]`. */
  row: string
  index: number
  metric: string
  /** Trials that passed the metric. */
  passed: number
  /** Trials that gave the metric a pass verdict. */
  judged: number
  /**
   * Every trial of the row in trial order: `✓` passed, `✗` failed, `!` errored, `·` no verdict
   * (abstained, no pass rule, or the row itself errored).
   */
  trials: string
}

const TRIAL_MARK = { passed: '✓', failed: '✗', errored: '!', none: '·' } as const

/**
 * The flaky rows of an eval, in row order, then metric order (first seen first): for each
 * dataset row and metric, the trials that gave a pass verdict, when some passed and some
 * failed. Per metric, their number is the metric's `flaky` in the summary.
 *
 * @example
 * ```ts
 * const flaky = flakyRows(evalReport.rows)
 * flaky[0] // { row: '"q3"', metric: 'correct', passed: 3, judged: 5, trials: '✓✓✗✓✗', ... }
 * ```
 */
export function flakyRows(rows: readonly FailingRowSource[]): FlakyRow[] {
  const byIndex = new Map<number, FailingRowSource[]>()
  for (const r of rows) {
    const list = byIndex.get(r.index)
    if (list === undefined) byIndex.set(r.index, [r])
    else list.push(r)
  }
  const out: FlakyRow[] = []
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const trials = byIndex.get(index)!.sort((a, b) => (a.trial ?? 0) - (b.trial ?? 0))
    if (trials.length < 2) continue
    const metrics: string[] = []
    const tally = new Map<string, { passed: number; failed: number }>()
    for (const t of trials) {
      for (const fb of t.feedback) {
        let m = tally.get(fb.name)
        if (m === undefined) {
          m = { passed: 0, failed: 0 }
          tally.set(fb.name, m)
          metrics.push(fb.name)
        }
        if (fb.error !== null || fb.passed === null) continue
        if (fb.passed) m.passed++
        else m.failed++
      }
    }
    for (const metric of metrics) {
      const { passed, failed } = tally.get(metric)!
      if (passed === 0 || failed === 0) continue
      const marks = trials.map((t) => {
        const fb = t.feedback.find((f) => f.name === metric)
        if (fb === undefined) return t.error === null ? TRIAL_MARK.none : TRIAL_MARK.errored
        if (fb.error !== null) return TRIAL_MARK.errored
        if (fb.passed === null) return TRIAL_MARK.none
        return fb.passed ? TRIAL_MARK.passed : TRIAL_MARK.failed
      })
      out.push({
        row: rowLabel(trials[0]!),
        index,
        metric,
        passed,
        judged: passed + failed,
        trials: marks.join(''),
      })
    }
  }
  return out
}

/**
 * One flaky row as one line: `row "q3", correct: passed 3 of 5 trials (✓✓✗✓✗)`.
 *
 * @example
 * ```ts
 * describeFlakyRow(flakyRows(rows)[0]!) // 'row [2], ok: passed 1 of 3 trials (✗✓✗)'
 * ```
 */
export function describeFlakyRow(entry: FlakyRow): string {
  return `row ${entry.row}, ${entry.metric}: passed ${entry.passed} of ${entry.judged} trials (${entry.trials})`
}

/**
 * The first {@link FAILING_ROWS_SHOWN} flaky rows as lines, then `... and N more` when there
 * are more. Empty when no row is flaky.
 *
 * @example
 * ```ts
 * listFlakyRows(flakyRows(rows)).join('\n')
 * ```
 */
export function listFlakyRows(entries: readonly FlakyRow[], shown = FAILING_ROWS_SHOWN): string[] {
  const lines = entries.slice(0, shown).map(describeFlakyRow)
  if (entries.length > shown) lines.push(`... and ${entries.length - shown} more`)
  return lines
}
