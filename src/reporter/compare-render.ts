// A comparison (core/compare.ts) as a person reads it: terminal text and Markdown for a pull
// request comment or GITHUB_STEP_SUMMARY. Decides nothing: verdicts and numbers are core's.
import { formatMetricValue } from '../base/format.js'
import type { Comparison, EvalComparison, MetricComparison } from '../core/compare.js'
import { formatFeedbackValue, rowLabel } from '../core/failing-rows.js'

/** How many flipped rows (and added or removed rows) are listed before a count. */
const SHOWN = 10
const MAX_DETAIL = 200

/**
 * Options of {@link renderComparison}.
 *
 * @example
 * ```ts
 * const options: CompareRenderOptions = { color: process.stdout.isTTY === true, width: 100 }
 * ```
 */
export interface CompareRenderOptions {
  /** ANSI colours (red REGRESSION, green improved, yellow within margin). */
  color: boolean
  /** Line width: long rationales are cut to fit. Default 80. */
  width?: number | undefined
}

type Style = 'bold' | 'dim' | 'green' | 'red' | 'yellow'
const ANSI: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
}

function painter(color: boolean) {
  return (s: string, style: Style) => {
    if (!color) return s
    const [on, off] = ANSI[style]
    return `\u001b[${on}m${s}\u001b[${off}m`
  }
}

function len(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

function cutTo(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, ' ')]
  return chars.length > max ? `${chars.slice(0, Math.max(1, max - 1)).join('')}…` : chars.join('')
}

/** A p-value: `<0.001` below that, else 2 significant digits. */
export function formatP(p: number | null): string {
  if (p === null) return '–'
  if (p < 0.001) return '<0.001'
  return String(Number(p.toPrecision(2)))
}

function signed(metric: string, v: number | null): string {
  if (v === null) return '–'
  const s = formatMetricValue(metric, v)
  return v > 0 && s !== '0' ? `+${s}` : s
}

function ciText(m: MetricComparison): string {
  if (m.ci === null) return '–'
  return `[${signed(m.name, m.ci.low)}, ${signed(m.name, m.ci.high)}]`
}

const LABEL: Record<MetricComparison['verdict'], string> = {
  regression: 'REGRESSION',
  improvement: 'improved',
  'within margin': 'within margin',
  'no significant change': 'no significant change',
  'not compared': 'not compared',
}

const STYLE: Record<MetricComparison['verdict'], Style> = {
  regression: 'red',
  improvement: 'green',
  'within margin': 'yellow',
  'no significant change': 'dim',
  'not compared': 'dim',
}

function pct(level: number): string {
  return `${Math.round(level * 1000) / 10}%`
}

function rowsLine(e: EvalComparison): string {
  const parts = [`${e.pairedRows} rows paired by ${e.pairing === 'id' ? 'id' : 'position'}`]
  if (e.added.length > 0) parts.push(`${e.added.length} added`)
  if (e.removed.length > 0) parts.push(`${e.removed.length} removed`)
  return parts.join(', ')
}

function listRefs(refs: EvalComparison['added']): string {
  const shown = refs
    .slice(0, SHOWN)
    .map((r) => rowLabel(r))
    .join(', ')
  return refs.length > SHOWN ? `${shown}, ... and ${refs.length - SHOWN} more` : shown
}

function sideText(s: EvalComparison['flips'][number]['baseline']): string {
  const trials = s.trials > 1 ? ` (${s.passes} of ${s.trials} trials passed)` : ''
  const why = s.rationale === null ? '' : `: ${s.rationale}`
  return `${formatFeedbackValue(s.value)}${trials}${why}`
}

function pad(cells: string[], widths: number[], right: (i: number) => boolean): string {
  return cells
    .map((c, i) => {
      const fill = ' '.repeat(Math.max(0, widths[i]! - len(c)))
      return right(i) ? fill + c : c + fill
    })
    .join('  ')
    .trimEnd()
}

/**
 * One eval's comparison as terminal text: a heading (rows paired, added, removed), the metric
 * table (metric, baseline, candidate, Δ, CI, p, verdict), McNemar's test and the rows that
 * moved for each yes/no metric, why a metric was not compared, the first 10 rows that flipped
 * (regressions first) with both sides' values and rationales, and the rows added and removed.
 * What the reporters print under an eval's own table when given a baseline.
 *
 * @example
 * ```ts
 * console.log(renderEvalComparison(comparison.evals[0], comparison.confidence, { color: false }))
 * ```
 */
export function renderEvalComparison(
  e: EvalComparison,
  level: number,
  options: CompareRenderOptions,
): string {
  const paint = painter(options.color)
  const width = Math.max(40, options.width ?? 80)
  const out: string[] = [
    `${paint(e.regression ? 'REGRESSION' : 'compared', e.regression ? 'red' : 'dim')}  ${paint(e.name, 'bold')}  ${paint(e.file, 'dim')}  ${rowsLine(e)}`,
  ]
  const header = ['metric', 'baseline', 'candidate', 'Δ', `${pct(level)} CI`, 'p', 'verdict']
  const rows = e.metrics.map((m) => [
    m.name,
    formatMetricValue(m.name, m.baseline),
    formatMetricValue(m.name, m.candidate),
    signed(m.name, m.diff),
    ciText(m),
    formatP(m.pValue),
    LABEL[m.verdict],
  ])
  const widths = header.map((h, i) => Math.max(len(h), ...rows.map((r) => len(r[i]!))))
  const right = (i: number) => i >= 1 && i <= 5
  out.push(paint(`  ${pad(header, widths, right)}`, 'dim'))
  e.metrics.forEach((m, r) => {
    const cells = rows[r]!
    const plain = pad(cells.slice(0, -1), widths.slice(0, -1), right)
    out.push(`  ${plain}  ${paint(cells[cells.length - 1]!, STYLE[m.verdict])}`)
  })
  for (const m of e.metrics) {
    if (m.verdict === 'not compared') out.push(`  ${m.name}: not compared: ${m.reason}`)
    else if (m.verdict === 'regression') out.push(`  ${paint('✗', 'red')} ${m.name}: ${m.reason}`)
    if (m.mcnemar !== null) {
      const { failToPass, passToFail, pValue } = m.mcnemar
      out.push(
        `  ${m.name}: McNemar exact p ${formatP(pValue)} (${failToPass} row(s) fail → pass, ${passToFail} pass → fail)`,
      )
    }
    if (m.pairs > 0 && m.verdict !== 'not compared') {
      const r = m.rows
      out.push(
        paint(
          `  ${m.name}: ${r.improved} row(s) better, ${r.regressed} worse, ${r.unchanged} unchanged (${m.direction} is better${m.margin === null ? '' : `, margin ${formatMetricValue(m.name, m.margin)}`})`,
          'dim',
        ),
      )
    }
  }
  if (e.flips.length > 0) {
    out.push(paint(`  flipped rows (${e.flips.length}), regressions first:`, 'dim'))
    for (const f of e.flips.slice(0, SHOWN)) {
      const mark = f.change === 'regressed' ? paint('✗', 'red') : paint('✓', 'green')
      const change = f.change === 'regressed' ? 'pass → fail' : 'fail → pass'
      out.push(
        `  ${mark} ${rowLabel({ index: f.candidateIndex, id: f.id })} ${f.metric}: ${change}`,
      )
      out.push(`      baseline:  ${cutTo(sideText(f.baseline), Math.min(MAX_DETAIL, width - 17))}`)
      out.push(`      candidate: ${cutTo(sideText(f.candidate), Math.min(MAX_DETAIL, width - 17))}`)
    }
    if (e.flips.length > SHOWN) {
      out.push(`  ... and ${e.flips.length - SHOWN} more (see evalgate compare --json)`)
    }
  }
  if (e.added.length > 0) out.push(`  added rows (${e.added.length}): ${listRefs(e.added)}`)
  if (e.removed.length > 0) out.push(`  removed rows (${e.removed.length}): ${listRefs(e.removed)}`)
  return out.join('\n')
}

function regressionsOf(c: Comparison): string[] {
  return c.evals.flatMap((e) =>
    e.metrics.filter((m) => m.verdict === 'regression').map((m) => `${e.name}: ${m.name}`),
  )
}

/**
 * A whole comparison as terminal text: what was compared with what, each eval (see
 * {@link renderEvalComparison}), evals only on one side, and a last line saying whether
 * anything regressed. Pure.
 *
 * @example
 * ```ts
 * console.log(renderComparison(compareReports(baseline, candidate, { version }), { color: false }))
 * // evalgate compare: main.json → pr.json (95% intervals of candidate − baseline)
 * // ...
 * // 1 regression: support bot: correctness
 * ```
 */
export function renderComparison(c: Comparison, options: CompareRenderOptions): string {
  const paint = painter(options.color)
  const out = [
    `evalgate compare: ${c.baseline.file} → ${c.candidate.file} (${pct(c.confidence)} intervals of candidate − baseline)`,
    '',
  ]
  for (const e of c.evals) out.push(renderEvalComparison(e, c.confidence, options), '')
  if (c.evals.length === 0) out.push('no eval is in both artifacts', '')
  if (c.addedEvals.length > 0)
    out.push(`evals only in ${c.candidate.file}: ${c.addedEvals.join(', ')}`)
  if (c.removedEvals.length > 0) {
    out.push(`evals only in ${c.baseline.file}: ${c.removedEvals.join(', ')}`)
  }
  const regressions = regressionsOf(c)
  out.push(
    regressions.length === 0
      ? paint('no regression', 'green')
      : paint(`${regressions.length} regression(s): ${regressions.join(', ')}`, 'red'),
  )
  return out.join('\n')
}

/** A Markdown table cell or inline text: HTML, pipes and line breaks escaped. */
function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ')
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``
}

const ICON: Record<MetricComparison['verdict'], string> = {
  regression: '❌ regression',
  improvement: '✅ improved',
  'within margin': '🟡 within margin',
  'no significant change': 'no significant change',
  'not compared': 'not compared',
}

function markdownEval(e: EvalComparison, level: number): string[] {
  const out = [
    `### ${e.regression ? '❌' : '✅'} ${cell(e.name)}`,
    '',
    `_${cell(`${e.file}: ${rowsLine(e)}`)}_`,
    '',
  ]
  out.push(
    `| metric | baseline | candidate | Δ | ${pct(level)} CI | p | McNemar p | rows better / worse | verdict |`,
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |',
  )
  for (const m of e.metrics) {
    const rows = m.verdict === 'not compared' ? '–' : `${m.rows.improved} / ${m.rows.regressed}`
    const cells = [
      m.name,
      formatMetricValue(m.name, m.baseline),
      formatMetricValue(m.name, m.candidate),
      signed(m.name, m.diff),
      ciText(m),
      formatP(m.pValue),
      m.mcnemar === null ? '–' : formatP(m.mcnemar.pValue),
      rows,
      ICON[m.verdict],
    ]
    out.push(`| ${cells.map(cell).join(' | ')} |`)
  }
  out.push('')
  for (const m of e.metrics) {
    if (m.verdict === 'regression' || m.verdict === 'not compared') {
      out.push(`- ${cell(m.name)}: ${cell(m.reason)}`)
    }
  }
  if (e.metrics.some((m) => m.verdict === 'regression' || m.verdict === 'not compared'))
    out.push('')
  if (e.flips.length > 0) {
    const shown = e.flips.slice(0, SHOWN)
    out.push(
      `<details><summary>Rows that flipped (${e.flips.length}), regressions first</summary>`,
      '',
      '| row | metric | change | baseline | candidate |',
      '| --- | --- | --- | --- | --- |',
    )
    for (const f of shown) {
      const change = f.change === 'regressed' ? '❌ pass → fail' : '✅ fail → pass'
      const cells = [
        rowLabel({ index: f.candidateIndex, id: f.id }),
        f.metric,
        change,
        cutTo(sideText(f.baseline), 300),
        cutTo(sideText(f.candidate), 300),
      ]
      out.push(`| ${cells.map(cell).join(' | ')} |`)
    }
    if (e.flips.length > SHOWN) out.push('', `_… and ${e.flips.length - SHOWN} more in the JSON._`)
    out.push('', '</details>', '')
  }
  if (e.added.length > 0) out.push(`Added rows (${e.added.length}): ${cell(listRefs(e.added))}`, '')
  if (e.removed.length > 0) {
    out.push(`Removed rows (${e.removed.length}): ${cell(listRefs(e.removed))}`, '')
  }
  return out
}

/**
 * A comparison as GitHub-flavoured Markdown, for a pull-request comment or
 * `GITHUB_STEP_SUMMARY`: a verdict line, what was compared, then per eval the metric table
 * (baseline, candidate, Δ, CI, p, McNemar p, rows better/worse, verdict), why a metric
 * regressed or was not compared, the first 10 flipped rows in a collapsed section, and rows
 * added and removed. Text from the data is escaped (HTML, pipes, line breaks). Pure.
 *
 * @example
 * ```ts
 * appendFileSync(process.env.GITHUB_STEP_SUMMARY!, renderComparisonMarkdown(comparison))
 * ```
 */
export function renderComparisonMarkdown(c: Comparison): string {
  const regressions = regressionsOf(c)
  const out = [
    `## evalgate compare: ${regressions.length === 0 ? '✅ no regression' : `❌ ${regressions.length} regression(s)`}`,
    '',
    `Baseline ${code(c.baseline.file)} (${cell(c.baseline.startedAt)}) → candidate ${code(c.candidate.file)} (${cell(c.candidate.startedAt)}). Δ is candidate − baseline over rows paired across the runs, with its ${pct(c.confidence)} interval; a regression is an interval wholly on the worse side.`,
    '',
  ]
  for (const e of c.evals) out.push(...markdownEval(e, c.confidence))
  if (c.evals.length === 0) out.push('_No eval is in both artifacts._', '')
  if (c.addedEvals.length > 0) {
    out.push(`Evals only in the candidate: ${cell(c.addedEvals.join(', '))}`, '')
  }
  if (c.removedEvals.length > 0) {
    out.push(`Evals only in the baseline: ${cell(c.removedEvals.join(', '))}`, '')
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`
}
