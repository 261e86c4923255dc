import { FAILING_ROWS_SHOWN, failingRows, flakyRows } from '../core/failing-rows.js'
import type { EvalReport, Report } from '../core/report.js'
import {
  aggregationErrors,
  agreementLines,
  columnHeader,
  formatActual,
  formatReason,
  formatTarget,
  gateResult,
  MISSING,
  metricCell,
  metricColumns,
  otherFailures,
  rowsLabel,
  statusLabel,
  usageLine,
} from './format.js'

const ICON: Record<EvalReport['status'], string> = {
  passed: '✅',
  failed: '❌',
  skipped: '⏭️',
  partial: '🟡',
}

/** What a rationale or error may take in a table cell. */
const MAX_DETAIL = 300

/**
 * A table cell: HTML escaped (GitHub renders raw HTML in Markdown, so a `<script>` in a name
 * would be a tag), pipes and backslashes escaped, line breaks flattened (either would break
 * the table).
 */
function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ')
}

/** Inline text outside tables (headings, bullets): one line, escaped as a cell is. */
function inline(text: string): string {
  return cell(text)
}

/** Inline code: a backtick inside would end it early. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``
}

function cutDetail(text: string): string {
  const chars = [...text]
  return chars.length > MAX_DETAIL ? `${chars.slice(0, MAX_DETAIL - 1).join('')}…` : text
}

/** A GFM table; `right` lists the columns aligned right (numbers). */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: (column: number) => boolean,
): string[] {
  const align = header.map((_, i) => (right(i) ? '---:' : '---'))
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ]
}

/** Failing gates first, then gates not evaluated, then passing ones: a stable order otherwise. */
function gateRank(passed: boolean | null): number {
  return passed === false ? 0 : passed === null ? 1 : 2
}

function renderEval(e: EvalReport): string[] {
  const out: string[] = [
    `### ${ICON[e.status]} ${statusLabel(e.status)}: ${inline(e.name)}`,
    '',
    `${code(e.file)} · ${inline(rowsLabel(e))}`,
    '',
  ]
  const gates = [...e.thresholds].sort((a, b) => gateRank(a.passed) - gateRank(b.passed))
  if (gates.length > 0) {
    out.push(
      ...table(
        ['gate', 'target', 'actual', 'result', 'reason'],
        gates.map((g) => {
          const result = gateResult(g)
          return [
            g.key,
            formatTarget(g),
            formatActual(g),
            result === 'FAIL' ? '**FAIL**' : result,
            formatReason(g) ?? '',
          ]
        }),
        (i) => i === 2,
      ),
      '',
    )
  }
  const failures = otherFailures(e)
  if (failures.length > 0) out.push(...failures.map((f) => `- ${inline(f)}`), '')
  const names = Object.keys(e.metrics)
  if (names.length === 0) {
    out.push('_No rows ran._', '')
  } else {
    const columns = metricColumns(e)
    out.push(
      ...table(
        ['metric', ...columns.map((c) => columnHeader(e, c))],
        names.map((name) => [name, ...columns.map((c) => metricCell(name, e.metrics[name]!, c))]),
        (i) => i > 0,
      ),
      '',
    )
    const broken = aggregationErrors(e)
    if (broken.length > 0) {
      out.push(...broken.map((b) => `- ${inline(`${b.key} has no value: ${b.reason}`)}`), '')
    }
  }
  const agreement = agreementLines(e)
  if (agreement.length > 0) out.push(...agreement.map((l) => `- ${inline(l)}`), '')
  out.push(...failingRowsSection(e))
  out.push(...flakyRowsSection(e))
  const usage = usageLine(e.usage)
  if (usage !== undefined) out.push(inline(usage), '')
  return out
}

/** The failing and errored rows as a table (the first 10), then how many more. */
function failingRowsSection(e: EvalReport): string[] {
  const entries = failingRows(e.rows, e.trials)
  if (entries.length === 0) return []
  const out = [
    `**Failing and errored rows (${entries.length})**`,
    '',
    ...table(
      ['row', 'metric', 'value', 'rationale / error'],
      entries
        .slice(0, FAILING_ROWS_SHOWN)
        .map((f) => [
          f.row,
          f.metric ?? MISSING,
          f.errored ? 'error' : f.value,
          f.detail === null ? '' : cutDetail(f.detail),
        ]),
      () => false,
    ),
    '',
  ]
  if (entries.length > FAILING_ROWS_SHOWN) {
    out.push(`_… and ${entries.length - FAILING_ROWS_SHOWN} more in the JSON artifact._`, '')
  }
  return out
}

/**
 * The flaky rows (trials that disagree on a metric) as a table (the first 10), then how many
 * more: row, metric, trials passed of those judged, and each trial (`✓✗✓`).
 */
function flakyRowsSection(e: EvalReport): string[] {
  if (e.trials < 2) return []
  const entries = flakyRows(e.rows)
  if (entries.length === 0) return []
  const out = [
    `**Flaky rows (${entries.length})**: trials that disagree`,
    '',
    ...table(
      ['row', 'metric', 'passed', 'trials'],
      entries
        .slice(0, FAILING_ROWS_SHOWN)
        .map((f) => [f.row, f.metric, `${f.passed} of ${f.judged}`, f.trials]),
      (i) => i === 2,
    ),
    '',
  ]
  if (entries.length > FAILING_ROWS_SHOWN) {
    out.push(`_… and ${entries.length - FAILING_ROWS_SHOWN} more in the JSON artifact._`, '')
  }
  return out
}

function verdictLine(report: Report): string {
  const count = (status: EvalReport['status']) =>
    report.evals.filter((e) => e.status === status).length
  const [passed, failed, partial, skipped] = [
    count('passed'),
    count('failed'),
    count('partial'),
    count('skipped'),
  ]
  const n = report.evals.length
  const plural = (k: number) => `eval${k === 1 ? '' : 's'}`
  const parts =
    n === 0
      ? ['no eval ran']
      : [
          failed > 0
            ? `${failed} of ${n} ${plural(n)} failed`
            : passed > 0
              ? `${passed} ${plural(passed)} passed`
              : undefined,
          partial > 0 ? `${partial} partial` : undefined,
          skipped > 0 ? `${skipped} skipped` : undefined,
        ].filter((p) => p !== undefined)
  return `## evalgate: ${report.status === 'passed' ? '✅' : '❌'} ${parts.join(', ')}`
}

/**
 * Renders a report as GitHub-flavoured Markdown (for `GITHUB_STEP_SUMMARY` or a PR comment): a
 * one-line verdict (and a note when the run was partial), then per eval a heading with its
 * status, the gates with failing ones first (gate, target, actual, PASS/FAIL/N/A, reason), any
 * other failure, the metric table (the mean's confidence interval, and `skipped`, `flaky`,
 * gated and custom aggregations when there are any), the failing and errored rows (row,
 * metric, value, rationale or error: the first 10, then a count), the flaky rows (trials that
 * disagree on a metric: the first 10, then a count) and the judges' usage. A gate with
 * `confidence` shows its level in the target and the bound, the interval and n in its reason. Text is escaped: HTML (`<`, `>`, `&`), pipes and line
 * breaks. Pure.
 *
 * @example
 * ```ts
 * import { appendFileSync } from 'node:fs'
 * appendFileSync(process.env.GITHUB_STEP_SUMMARY!, renderMarkdown(report))
 * ```
 */
export function renderMarkdown(report: Report): string {
  const out: string[] = [verdictLine(report), '']
  if (report.partial) {
    out.push(
      '_Partial run: some rows were left out (`-t`, `.only`, a shard), so the gates of the evals marked PARTIAL were not evaluated._',
      '',
    )
  }
  if (report.evals.length > 1) {
    const usage = usageLine(report.usage)
    if (usage !== undefined) out.push(inline(`In all, ${usage}`), '')
  }
  for (const e of report.evals) out.push(...renderEval(e))
  return out.join('\n')
}
