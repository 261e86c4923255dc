import {
  describeFailingRow,
  describeFlakyRow,
  FAILING_ROWS_SHOWN,
  failingRowParts,
  failingRows,
  flakyRows,
} from '../core/failing-rows.js'
import type { EvalReport } from '../core/report.js'
import {
  aggregationErrors,
  agreementLines,
  columnHeader,
  formatActual,
  formatReason,
  formatTarget,
  gateResult,
  metricCell,
  metricColumns,
  otherFailures,
  rowsLabel,
  statusLabel,
  usageLine,
} from './format.js'

export { usageLine } from './format.js'

/**
 * Options of {@link renderEvalTable}.
 *
 * @example
 * ```ts
 * const options: TableOptions = { color: process.stdout.isTTY === true, width: 100 }
 * ```
 */
export interface TableOptions {
  /** ANSI colours (green PASS, red FAIL, yellow PARTIAL / N/A, dim headers). */
  color: boolean
  /** Line width in columns (at least 40). Default 80. See {@link terminalWidth}. */
  width?: number | undefined
}

/** The width when neither the terminal nor `COLUMNS` says. */
const DEFAULT_WIDTH = 80
const MIN_WIDTH = 40

/**
 * The width to render at: the terminal's columns when the stream is a TTY, else `COLUMNS` from
 * the environment when it is a positive whole number (CI logs often set it), else 80.
 *
 * @example
 * ```ts
 * terminalWidth(process.stdout, process.env) // 80 in a CI log without COLUMNS
 * terminalWidth({ isTTY: false }, { COLUMNS: '160' }) // 160
 * ```
 */
export function terminalWidth(
  stream: { isTTY?: boolean | undefined; columns?: number | undefined },
  env: NodeJS.ProcessEnv,
): number {
  if (stream.isTTY === true && stream.columns !== undefined && stream.columns > 0) {
    return Math.floor(stream.columns)
  }
  const columns = env['COLUMNS']?.trim()
  if (columns !== undefined && /^\d+$/.test(columns) && Number(columns) > 0) return Number(columns)
  return DEFAULT_WIDTH
}

const INDENT = '  '
const GAP = '  '
/** What a detail (rationale, error) of a failing row may take in the terminal. */
const MAX_DETAIL = 240

type Style = 'bold' | 'dim' | 'green' | 'red' | 'yellow'
const ANSI: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
}
type Paint = (s: string, style: Style) => string

/** Length in code points, so a '…' or '–' counts as the one column it takes. */
function len(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - len(s)))
}

function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - len(s))) + s
}

/**
 * Greedy word wrap. A word longer than the width (a metric name, a path) stays whole on its own
 * line: a cut name could be read as another one.
 */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word
    else if (len(line) + 1 + len(word) <= width) line += ` ${word}`
    else {
      lines.push(line)
      line = word
    }
  }
  if (line !== '') lines.push(line)
  return lines
}

/** `text` wrapped under a first-line prefix, the next lines indented by the prefix's width. */
function hang(prefix: string, text: string, width: number, shownPrefix = prefix): string[] {
  const lines = wrap(text, Math.max(1, width - len(prefix)))
  return lines.map((l, i) => (i === 0 ? shownPrefix : ' '.repeat(len(prefix))) + l)
}

/**
 * Renders one eval as terminal text: a heading (PASS/FAIL/SKIP/PARTIAL, name, file, rows run
 * (× trials) and errored), the metric table (`metric | count | errors | mean | 95% CI | p50 |
 * p90 | min | max | passRate`, plus `skipped`, `flaky` with several trials, every gated
 * aggregation (`pass^5` too) and every custom one when the eval has them), aggregations that
 * failed, one line per gate (key, target, actual, PASS/FAIL/N/A, reason; a gate with
 * `confidence` shows its level in the target, and the bound compared, the interval and n in
 * its reason, passing or failing), judge usage, any failure no gate shows, the failing and
 * errored rows (the first 10, then a count), and the flaky rows: rows whose trials disagree on
 * a metric (the first 10, then a count). Lines fit `width` columns by wrapping and stacking,
 * never by cutting a name: a metric or gate name too long for its column goes on its own line
 * above its numbers, and a name longer than the width is printed whole. Pure: colours only
 * with `color: true`.
 *
 * @example
 * ```ts
 * console.log(renderEvalTable(report.evals[0], { color: false }))
 * // FAIL  support bot  test/support.eval.ts  4 rows, 0 errored
 * //   metric       count errors mean         95% CI  p50  p90 min  max passRate
 * //   exact_match      4      0 0.75 [0.301, 0.954]    1    1   0    1     0.75
 * //   latency_ms       4      0 1235   [1018, 1451] 1200 2101 980 2200        –
 * //   gate              target   actual  result
 * //   exact_match/mean  >= 0.9     0.75  FAIL  0.75 < min 0.9
 * //   latency_ms/p90    <= 2500    2101  PASS
 * //   failing and errored rows (1):
 * //   ✗ row [2], exact_match: false
 * ```
 */
export function renderEvalTable(evalReport: EvalReport, options: TableOptions): string {
  const width = Math.max(MIN_WIDTH, options.width ?? DEFAULT_WIDTH)
  const paint: Paint = (s, style) => {
    if (!options.color) return s
    const [on, off] = ANSI[style]
    return `\u001b[${on}m${s}\u001b[${off}m`
  }
  const e = evalReport
  const out: string[] = heading(e, width, paint)
  if (Object.keys(e.metrics).length === 0) {
    out.push(`${INDENT}${paint('no rows ran', 'dim')}`)
  } else {
    out.push(...metricTable(e, width, paint))
  }
  for (const { key, reason } of aggregationErrors(e)) {
    out.push(
      ...hang(
        `${INDENT}! `,
        `${key} has no value: ${reason}`,
        width,
        `${INDENT}${paint('!', 'yellow')} `,
      ),
    )
  }
  out.push(...gateLines(e, width, paint))
  for (const line of agreementLines(e)) out.push(...hang(INDENT, line, width))
  const usage = usageLine(e.usage)
  if (usage !== undefined) {
    out.push(...hang(INDENT, usage, width).map((l) => paint(l, 'dim')))
  }
  for (const failure of otherFailures(e)) {
    out.push(...hang(`${INDENT}✗ `, failure, width, `${INDENT}${paint('✗', 'red')} `))
  }
  out.push(...failingRowLines(e, width, paint))
  out.push(...flakyRowLines(e, width, paint))
  return out.join('\n')
}

function statusStyle(passed: boolean | null): Style {
  return passed === null ? 'yellow' : passed ? 'green' : 'red'
}

function passedOf(e: EvalReport): boolean | null {
  return e.status === 'passed' ? true : e.status === 'failed' ? false : null
}

/**
 * `LABEL  name  file  rows` on one line when it fits; else the name wrapped beside the label
 * and the file and rows on the next lines. Nothing is cut.
 */
function heading(e: EvalReport, width: number, paint: Paint): string[] {
  const label = statusLabel(e.status)
  const rows = rowsLabel(e)
  const shownLabel = paint(label, statusStyle(passedOf(e)))
  if (len([label, e.name, e.file, rows].join(GAP)) <= width) {
    return [[shownLabel, paint(e.name, 'bold'), paint(e.file, 'dim'), rows].join(GAP)]
  }
  const prefix = label + GAP
  const out = wrap(e.name, width - len(prefix)).map(
    (l, i) => (i === 0 ? shownLabel + GAP : ' '.repeat(len(prefix))) + paint(l, 'bold'),
  )
  if (len(INDENT + e.file + GAP + rows) <= width) {
    out.push(INDENT + paint(e.file, 'dim') + GAP + rows)
  } else {
    out.push(INDENT + paint(e.file, 'dim'), INDENT + rows)
  }
  return out
}

/** Splits columns (by width) into groups that each fit `budget` columns; at least one each. */
function groupColumns(widths: readonly number[], budget: number): number[][] {
  const groups: number[][] = []
  let current: number[] = []
  let used = 0
  widths.forEach((w, i) => {
    const extra = current.length === 0 ? w : 1 + w
    if (current.length > 0 && used + extra > budget) {
      groups.push(current)
      current = []
      used = 0
    }
    used += current.length === 0 ? w : 1 + w
    current.push(i)
  })
  if (current.length > 0) groups.push(current)
  return groups
}

/**
 * The metric table. Number columns are one space apart (right-aligned under wider headers,
 * they stay apart); when they do not all fit beside a name column they are split into several
 * tables of the same rows. A name too long for the name column goes on its own line, its
 * numbers on the next.
 */
function metricTable(e: EvalReport, width: number, paint: Paint): string[] {
  const names = Object.keys(e.metrics)
  const columns = metricColumns(e)
  const headers = columns.map((c) => columnHeader(e, c))
  const cells = names.map((name) => columns.map((col) => metricCell(name, e.metrics[name]!, col)))
  const colWidths = headers.map((h, i) => Math.max(len(h), ...cells.map((c) => len(c[i]!))))
  const avail = width - INDENT.length
  // Room for every name up to a third of the line beside its numbers (columns split into more
  // tables first); only a longer name stands on its own line.
  const nameRoom = Math.max(
    len('metric'),
    ...names.map(len).filter((n) => n <= Math.floor(avail / 3)),
  )
  const out: string[] = []
  for (const group of groupColumns(colWidths, avail - GAP.length - nameRoom)) {
    const numbers = (row: readonly string[]) =>
      group.map((i) => padStart(row[i]!, colWidths[i]!)).join(' ')
    const numericWidth = group.reduce((sum, i) => sum + 1 + colWidths[i]!, -1)
    const room = avail - GAP.length - numericWidth
    const nameWidth = Math.max(len('metric'), ...names.map(len).filter((n) => n <= room))
    out.push(paint(INDENT + padEnd('metric', nameWidth) + GAP + numbers(headers), 'dim'))
    names.forEach((name, r) => {
      if (len(name) > nameWidth) {
        out.push(INDENT + name, INDENT + ' '.repeat(nameWidth) + GAP + numbers(cells[r]!))
      } else {
        out.push(INDENT + padEnd(name, nameWidth) + GAP + numbers(cells[r]!))
      }
    })
  }
  return out
}

/** One line per gate; a key too long for its column goes on its own line above its numbers. */
function gateLines(e: EvalReport, width: number, paint: Paint): string[] {
  if (e.thresholds.length === 0) return []
  const targets = e.thresholds.map(formatTarget)
  const actuals = e.thresholds.map(formatActual)
  const results = e.thresholds.map(gateResult)
  const targetW = Math.max(len('target'), ...targets.map(len))
  const actualW = Math.max(len('actual'), ...actuals.map(len))
  const resultW = Math.max(len('result'), ...results.map(len))
  const room =
    width - INDENT.length - GAP.length - targetW - GAP.length - actualW - GAP.length - resultW
  const keyW = Math.max(
    len('gate'),
    ...e.thresholds.map((g) => len(g.key)).filter((n) => n <= room),
  )
  const cols = (key: string, target: string, actual: string, result: string) =>
    INDENT +
    padEnd(key, keyW) +
    GAP +
    padEnd(target, targetW) +
    GAP +
    padStart(actual, actualW) +
    GAP +
    result
  const out: string[] = [paint(cols('gate', 'target', 'actual', 'result'), 'dim')]
  e.thresholds.forEach((g, i) => {
    const result = results[i]!
    const reason = formatReason(g)
    const stacked = len(g.key) > keyW
    if (stacked) out.push(INDENT + g.key)
    const plain = cols(stacked ? '' : g.key, targets[i]!, actuals[i]!, result)
    const shown =
      plain.slice(0, plain.length - result.length) + paint(result, statusStyle(g.passed))
    if (reason === undefined) {
      out.push(shown)
    } else if (len(plain) + GAP.length + len(reason) <= width) {
      out.push(`${shown}${GAP}${reason}`)
    } else {
      out.push(shown, ...hang(INDENT.repeat(2), reason, width))
    }
  })
  return out
}

/** The failing and errored rows: the first 10 (each wrapped), then how many more. */
function failingRowLines(e: EvalReport, width: number, paint: Paint): string[] {
  const entries = failingRows(e.rows, e.trials)
  if (entries.length === 0) return []
  const out = [paint(`${INDENT}failing and errored rows (${entries.length}):`, 'dim')]
  for (const entry of entries.slice(0, FAILING_ROWS_SHOWN)) {
    const detail =
      entry.detail !== null && len(entry.detail) > MAX_DETAIL
        ? `${[...entry.detail].slice(0, MAX_DETAIL - 1).join('')}…`
        : entry.detail
    const shortened = { ...entry, detail }
    const mark = `${INDENT}${paint('✗', entry.errored ? 'yellow' : 'red')} `
    const line = describeFailingRow(shortened)
    if (len(`${INDENT}✗ ${line}`) <= width) {
      out.push(mark + line)
      continue
    }
    // Too long for one line: what failed on the first, why below it, wrapped.
    const parts = failingRowParts(shortened)
    out.push(...hang(`${INDENT}✗ `, parts.head, width, mark))
    if (parts.detail !== null) out.push(...hang(INDENT.repeat(2), parts.detail, width))
  }
  if (entries.length > FAILING_ROWS_SHOWN) {
    out.push(`${INDENT}... and ${entries.length - FAILING_ROWS_SHOWN} more (see the JSON artifact)`)
  }
  return out
}

/**
 * The flaky rows (trials that disagree on a metric): the first 10 (each wrapped), then how
 * many more. Only an eval of several trials has any.
 */
function flakyRowLines(e: EvalReport, width: number, paint: Paint): string[] {
  if (e.trials < 2) return []
  const entries = flakyRows(e.rows)
  if (entries.length === 0) return []
  const out = [paint(`${INDENT}flaky rows (${entries.length}): trials that disagree`, 'dim')]
  for (const entry of entries.slice(0, FAILING_ROWS_SHOWN)) {
    out.push(
      ...hang(`${INDENT}~ `, describeFlakyRow(entry), width, `${INDENT}${paint('~', 'yellow')} `),
    )
  }
  if (entries.length > FAILING_ROWS_SHOWN) {
    out.push(`${INDENT}... and ${entries.length - FAILING_ROWS_SHOWN} more (see the JSON artifact)`)
  }
  return out
}
