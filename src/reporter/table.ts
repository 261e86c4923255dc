import type { EvalReport } from '../core/report.js'
import {
  formatActual,
  formatMetricValue,
  formatTarget,
  otherFailures,
  rowsLabel,
  SHOWN_AGGREGATIONS,
  statusLabel,
} from './format.js'

/**
 * Options of {@link renderEvalTable}.
 *
 * @example
 * ```ts
 * const options: TableOptions = { color: process.stdout.isTTY === true, width: 100 }
 * ```
 */
export interface TableOptions {
  /** ANSI colours (green PASS, red FAIL, dim headers). */
  color: boolean
  /** Maximum line width in columns (at least 40). Default 80. */
  width?: number | undefined
}

const INDENT = '  '
const GAP = '  '
const MIN_NAME = 8

type Style = 'bold' | 'dim' | 'green' | 'red' | 'yellow'
const ANSI: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
}

/** Length in code points, so a '…' or '–' counts as the one column it takes. */
function len(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

function truncate(s: string, max: number): string {
  if (len(s) <= max) return s
  if (max <= 1) return '…'.slice(0, Math.max(0, max))
  return `${[...s].slice(0, max - 1).join('')}…`
}

function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - len(s)))
}

function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - len(s))) + s
}

/** Greedy word wrap; a word longer than the width is cut with '…'. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const w = truncate(word, width)
    if (line === '') line = w
    else if (len(line) + 1 + len(w) <= width) line += ` ${w}`
    else {
      lines.push(line)
      line = w
    }
  }
  if (line !== '') lines.push(line)
  return lines
}

/**
 * Renders one eval as terminal text: a heading (PASS/FAIL/SKIP, name, file, rows run and
 * errored), the metric table (`metric | count | errors | mean | p50 | p90 | min | max |
 * passRate`), one line per gate (key, target, actual, PASS/FAIL, reason) and any failure no gate
 * shows. Every line fits `width` columns: long names are cut with `…`, long reasons wrap. Pure:
 * colours only with `color: true`.
 *
 * @example
 * ```ts
 * console.log(renderEvalTable(report.evals[0], { color: false }))
 * // FAIL  support bot  test/support.eval.ts  4 rows, 0 errored
 * //   metric       count errors mean  p50  p90 min  max passRate
 * //   exact_match      4      0 0.75    1    1   0    1     0.75
 * //   latency_ms       4      0 1235 1200 2101 980 2200        –
 * //   gate              target   actual  result
 * //   exact_match/mean  >= 0.9     0.75  FAIL  0.75 < min 0.9
 * //   latency_ms/p90    <= 2500    2101  PASS
 * ```
 */
export function renderEvalTable(evalReport: EvalReport, options: TableOptions): string {
  const width = Math.max(40, options.width ?? 80)
  const paint = (s: string, style: Style): string => {
    if (!options.color) return s
    const [on, off] = ANSI[style]
    return `\u001b[${on}m${s}\u001b[${off}m`
  }
  const statusStyle = (passed: boolean | null): Style =>
    passed === null ? 'yellow' : passed ? 'green' : 'red'

  const e = evalReport
  const label = statusLabel(e.status)
  const rows = rowsLabel(e)
  // The name gets what the label, the rows count and a minimal file leave; the file the rest.
  const fixed = len(label) + 2 + 2 + 2 + len(rows)
  const name = truncate(e.name, Math.max(MIN_NAME, width - fixed - Math.min(len(e.file), 20)))
  const file = truncate(e.file, Math.max(1, width - fixed - len(name)))
  const heading = [label, name, file, rows].join(GAP)
  const out: string[] = [
    len(heading) <= width
      ? [
          paint(label, statusStyle(passedOf(e))),
          paint(name, 'bold'),
          paint(file, 'dim'),
          rows,
        ].join(GAP)
      : truncate(heading, width),
  ]

  const metricNames = Object.keys(e.metrics)
  if (metricNames.length === 0) {
    out.push(`${INDENT}${paint('no rows ran', 'dim')}`)
  } else {
    out.push(...metricTable(e, metricNames, width, paint))
  }
  out.push(...gateLines(e, width, paint, statusStyle))
  const usage = usageLine(e.usage)
  if (usage !== undefined) {
    for (const [i, line] of wrap(usage, width - INDENT.length).entries()) {
      out.push(`${INDENT}${i === 0 ? '' : '  '}${paint(line, 'dim')}`)
    }
  }
  for (const failure of otherFailures(e)) {
    for (const [i, line] of wrap(failure, width - INDENT.length - 2).entries()) {
      out.push(`${INDENT}${i === 0 ? paint('✗', 'red') : ' '} ${line}`)
    }
  }
  return out.join('\n')
}

type Paint = (s: string, style: Style) => string

function passedOf(e: EvalReport): boolean | null {
  return e.status === 'skipped' ? null : e.status === 'passed'
}

function metricTable(e: EvalReport, names: string[], width: number, paint: Paint): string[] {
  const header = ['count', 'errors', ...SHOWN_AGGREGATIONS] as const
  const cells = names.map((name) => {
    const m = e.metrics[name]!
    return header.map((col) =>
      col === 'count' || col === 'errors' || col === 'passRate'
        ? formatMetricValue('', m[col])
        : formatMetricValue(name, m[col]),
    )
  })
  const colWidths = header.map((h, i) => Math.max(len(h), ...cells.map((c) => len(c[i]!))))
  // One space between number columns (right-aligned under wider headers, they stay apart):
  // it leaves the metric name room for names like `retrieval_groundedness`.
  const numericWidth = GAP.length + colWidths.reduce((sum, w) => sum + 1 + w, -1)
  const longest = Math.max(len('metric'), ...names.map(len))
  const nameWidth = Math.max(len('metric'), Math.min(longest, width - INDENT.length - numericWidth))
  const line = (first: string, rest: readonly string[]): string =>
    truncate(
      INDENT +
        padEnd(truncate(first, nameWidth), nameWidth) +
        GAP +
        rest.map((c, i) => padStart(c, colWidths[i]!)).join(' '),
      width,
    )
  const head = line('metric', header)
  return [paint(head, 'dim'), ...names.map((name, r) => line(name, cells[r]!))]
}

function gateLines(
  e: EvalReport,
  width: number,
  paint: Paint,
  statusStyle: (passed: boolean | null) => Style,
): string[] {
  if (e.thresholds.length === 0) return []
  const targets = e.thresholds.map(formatTarget)
  const actuals = e.thresholds.map(formatActual)
  const targetW = Math.max(len('target'), ...targets.map(len))
  const actualW = Math.max(len('actual'), ...actuals.map(len))
  const fixed =
    INDENT.length + GAP.length + targetW + GAP.length + actualW + GAP.length + len('result')
  const keyW = Math.max(
    MIN_NAME,
    Math.min(Math.max(...e.thresholds.map((g) => len(g.key))), width - fixed),
  )
  const head =
    INDENT +
    padEnd('gate', keyW) +
    GAP +
    padEnd('target', targetW) +
    GAP +
    padStart('actual', actualW) +
    GAP +
    'result'
  const out: string[] = [paint(truncate(head, width), 'dim')]
  e.thresholds.forEach((g, i) => {
    const result = g.passed ? 'PASS' : 'FAIL'
    const plain =
      INDENT +
      padEnd(truncate(g.key, keyW), keyW) +
      GAP +
      padEnd(targets[i]!, targetW) +
      GAP +
      padStart(actuals[i]!, actualW) +
      GAP +
      result
    if (len(plain) > width) {
      // Only when the numbers alone are wider than the terminal: never colour a cut line.
      out.push(truncate(plain, width))
    } else {
      out.push(plain.slice(0, plain.length - result.length) + paint(result, statusStyle(g.passed)))
    }
    if (g.reason === undefined) return
    const last = out.length - 1
    if (len(plain) + GAP.length + len(g.reason) <= width) {
      out[last] = `${out[last]}${GAP}${g.reason}`
    } else {
      for (const line of wrap(g.reason, width - INDENT.length * 2))
        out.push(INDENT.repeat(2) + line)
    }
  })
  return out
}

/**
 * One line of LLM judge usage: requests, cache hits, tokens and cost, per judge when there are
 * several. The cost is printed only when every paid request had a known price.
 */
export function usageLine(usage: EvalReport['usage']): string | undefined {
  if (usage.requests === 0 && usage.cacheHits === 0) return undefined
  const cost =
    usage.requests === 0
      ? 'no cost (all cached)'
      : usage.costUsd === null
        ? 'cost unknown (no price for a model used)'
        : `$${usage.costUsd < 0.01 ? usage.costUsd.toPrecision(2) : usage.costUsd.toFixed(2)}`
  return (
    `judges: ${usage.requests} request${usage.requests === 1 ? '' : 's'}, ` +
    `${usage.cacheHits} cache hit${usage.cacheHits === 1 ? '' : 's'}, ` +
    `${usage.inputTokens} in / ${usage.outputTokens} out tokens, ${cost}`
  )
}
