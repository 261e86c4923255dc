import type { EvalReport, Report } from '../core/report.js'
import {
  formatActual,
  formatMetricValue,
  formatTarget,
  otherFailures,
  rowsLabel,
  SHOWN_AGGREGATIONS,
  statusLabel,
} from './format.js'

const ICON: Record<EvalReport['status'], string> = {
  passed: '✅',
  failed: '❌',
  skipped: '⏭️',
}

/** A table cell: pipes escaped, line breaks flattened (either would break the table). */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/** Inline text outside tables (headings, bullets): one line, pipes escaped too. */
function inline(text: string): string {
  return cell(text)
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

function renderEval(e: EvalReport): string[] {
  const out: string[] = [
    `### ${ICON[e.status]} ${statusLabel(e.status)}: ${inline(e.name)}`,
    '',
    `\`${e.file.replace(/`/g, "'")}\` · ${rowsLabel(e)}`,
    '',
  ]
  // Failing gates first: they are what a reviewer opens the summary for.
  const gates = [...e.thresholds].sort((a, b) => Number(a.passed) - Number(b.passed))
  if (gates.length > 0) {
    out.push(
      ...table(
        ['gate', 'target', 'actual', 'result'],
        gates.map((g) => [
          g.key,
          formatTarget(g),
          formatActual(g),
          g.passed ? 'PASS' : `**FAIL**${g.reason === undefined ? '' : ` (${g.reason})`}`,
        ]),
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
    return out
  }
  out.push(
    ...table(
      ['metric', 'count', 'errors', ...SHOWN_AGGREGATIONS],
      names.map((name) => {
        const m = e.metrics[name]!
        return [
          name,
          String(m.count),
          String(m.errors),
          ...SHOWN_AGGREGATIONS.map((agg) =>
            formatMetricValue(agg === 'passRate' ? '' : name, m[agg]),
          ),
        ]
      }),
      (i) => i > 0,
    ),
    '',
  )
  return out
}

/**
 * Renders a report as GitHub-flavoured Markdown (for `GITHUB_STEP_SUMMARY` or a PR comment): a
 * one-line verdict, then per eval a heading with its status, the gates with failing ones first
 * (gate, target, actual, result), any other failure, and the metric table. Pipes in names are
 * escaped. Pure.
 *
 * @example
 * ```ts
 * import { appendFileSync } from 'node:fs'
 * appendFileSync(process.env.GITHUB_STEP_SUMMARY!, renderMarkdown(report))
 * ```
 */
export function renderMarkdown(report: Report): string {
  const count = (status: EvalReport['status']) =>
    report.evals.filter((e) => e.status === status).length
  const [passed, failed, skipped] = [count('passed'), count('failed'), count('skipped')]
  const n = report.evals.length
  const plural = (k: number) => `eval${k === 1 ? '' : 's'}`
  const verdict = [
    failed === 0 ? `${passed} ${plural(passed)} passed` : `${failed} of ${n} ${plural(n)} failed`,
    ...(skipped > 0 ? [`${skipped} skipped`] : []),
  ].join(', ')
  const out: string[] = [`## evalgate: ${report.status === 'passed' ? '✅' : '❌'} ${verdict}`, '']
  for (const e of report.evals) out.push(...renderEval(e))
  return out.join('\n')
}
