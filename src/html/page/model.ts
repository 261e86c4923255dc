import type { Comparison, EvalComparison } from '../../core/compare-schema.js'
import type { EvalReport, Report } from '../../core/report-schema.js'

// What the page derives from the data, once per eval: pure functions, no DOM.

export type Row = EvalReport['rows'][number]
export type Feedback = Row['feedback'][number]

/** What the writer embeds in the page. */
export interface PageData {
  report: Report
  comparison: Comparison | null
  title: string
}

export type StatusFilter = 'all' | 'failed' | 'errored' | 'flaky' | 'flipped'

/** The metric the runner records itself, from each row's `latencyMs`. */
export const LATENCY = 'latency_ms'

export interface EvalModel {
  ev: EvalReport
  /** Metric names, in the artifact's order. */
  metrics: string[]
  /** Per metric, the dataset rows whose trials disagree on it. */
  flaky: Map<string, Set<number>>
  /** Dataset rows flaky on any metric. */
  flakyAny: Set<number>
  comparison: EvalComparison | null
  /** Dataset rows whose verdict flipped against the baseline, per metric ('' = any). */
  flipped: Map<string, Set<number>>
  /** Lower-cased searchable text per row, made on the first search. */
  haystack: string[] | null
}

export function feedbackOf(row: Row, metric: string): Feedback | undefined {
  for (const f of row.feedback) if (f.name === metric) return f
  return undefined
}

export function rowErrored(row: Row): boolean {
  return row.error !== null || row.feedback.some((f) => f.error !== null)
}

/** The row's outcome in one word: an error outranks a failure. */
export function rowStatus(row: Row): 'ERROR' | 'FAIL' | 'PASS' {
  if (rowErrored(row)) return 'ERROR'
  return row.passed ? 'PASS' : 'FAIL'
}

export function buildModel(ev: EvalReport, comparison: Comparison | null): EvalModel {
  const metrics = Object.keys(ev.metrics)
  const flaky = new Map<string, Set<number>>()
  const flakyAny = new Set<number>()
  if (ev.trials > 1) {
    // Per metric and dataset row: bit 1 a trial passed, bit 2 one failed.
    const seen = new Map<string, Map<number, number>>()
    for (const row of ev.rows) {
      for (const f of row.feedback) {
        if (f.passed === null) continue
        let m = seen.get(f.name)
        if (m === undefined) {
          m = new Map()
          seen.set(f.name, m)
        }
        m.set(row.index, (m.get(row.index) ?? 0) | (f.passed ? 1 : 2))
      }
    }
    for (const [metric, m] of seen) {
      const set = new Set<number>()
      for (const [index, bits] of m) if (bits === 3) set.add(index)
      if (set.size > 0) flaky.set(metric, set)
      for (const i of set) flakyAny.add(i)
    }
  }
  const cmp = comparison?.evals.find((e) => e.name === ev.name) ?? null
  const flipped = new Map<string, Set<number>>([['', new Set()]])
  for (const f of cmp?.flips ?? []) {
    flipped.get('')!.add(f.candidateIndex)
    let s = flipped.get(f.metric)
    if (s === undefined) {
      s = new Set()
      flipped.set(f.metric, s)
    }
    s.add(f.candidateIndex)
  }
  return { ev, metrics, flaky, flakyAny, comparison: cmp, flipped, haystack: null }
}

function text(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function haystackOf(row: Row): string {
  let s = `${text(row.id)}\n${text(row.inputs)}\n${text(row.outputs)}\n${text(row.expectations)}\n${text(row.metadata)}`
  for (const f of row.feedback) {
    s += `\n${f.name} ${text(f.value)} ${f.rationale ?? ''} ${f.error?.message ?? ''}`
  }
  if (row.error) s += `\n${row.error.message}`
  return s.toLowerCase()
}

export interface RowQuery {
  status: StatusFilter
  /** '' = any metric. */
  metric: string
  text: string
}

function failedOn(row: Row, metric: string): boolean {
  if (metric === LATENCY) return false
  const f = feedbackOf(row, metric)
  return f !== undefined && (f.passed === false || f.error !== null)
}

function matches(model: EvalModel, row: Row, q: RowQuery): boolean {
  const { metric } = q
  switch (q.status) {
    case 'failed':
      if (metric === '' ? row.passed || rowErrored(row) : !failedOn(row, metric)) return false
      break
    case 'errored':
      if (metric === '' ? !rowErrored(row) : feedbackOf(row, metric)?.error == null) return false
      break
    case 'flaky':
      if (!(metric === '' ? model.flakyAny : model.flaky.get(metric))?.has(row.index)) return false
      break
    case 'flipped':
      if (!model.flipped.get(metric)?.has(row.index)) return false
      break
    default:
      if (metric !== '' && metric !== LATENCY && feedbackOf(row, metric) === undefined) return false
  }
  return true
}

/** The positions (in `ev.rows`) of the rows that the query selects, in order. */
export function filterRows(model: EvalModel, q: RowQuery): Int32Array {
  const rows = model.ev.rows
  const needle = q.text.trim().toLowerCase()
  if (needle !== '' && model.haystack === null) model.haystack = rows.map(haystackOf)
  const out = new Int32Array(rows.length)
  let n = 0
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (!matches(model, row, q)) continue
    if (needle !== '' && !model.haystack![i]!.includes(needle)) continue
    out[n++] = i
  }
  return out.subarray(0, n)
}

/** The values a metric's distribution chart shows: each row's score (or latency). */
export function metricValues(ev: EvalReport, metric: string): number[] {
  const out: number[] = []
  for (const row of ev.rows) {
    if (metric === LATENCY) {
      if (row.latencyMs !== null) out.push(row.latencyMs)
      continue
    }
    const score = feedbackOf(row, metric)?.score
    if (typeof score === 'number' && Number.isFinite(score)) out.push(score)
  }
  return out
}

export interface Bin {
  low: number
  high: number
  count: number
  /** The bin's label: its value when bins are distinct values, else its range. */
  label: string
}

/**
 * A histogram of `values`: one bin per distinct value when there are at most 11 whole
 * numbers (pass/fail, 1–5 ratings), else 10 equal bins from min to max.
 */
export function histogram(values: readonly number[], fmt: (n: number) => string): Bin[] {
  if (values.length === 0) return []
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let whole = true
  for (const v of values) {
    if (v < min) min = v
    if (v > max) max = v
    if (whole && !Number.isInteger(v)) whole = false
  }
  if (min === max) return [{ low: min, high: max, count: values.length, label: fmt(min) }]
  if (whole && max - min <= 10) {
    const bins: Bin[] = []
    for (let v = min; v <= max; v++) bins.push({ low: v, high: v, count: 0, label: fmt(v) })
    for (const v of values) bins[v - min]!.count++
    return bins
  }
  const n = 10
  const width = (max - min) / n
  const bins: Bin[] = Array.from({ length: n }, (_, i) => {
    const low = min + i * width
    const high = i === n - 1 ? max : min + (i + 1) * width
    return { low, high, count: 0, label: `${fmt(low)}–${fmt(high)}` }
  })
  for (const v of values) bins[Math.min(n - 1, Math.floor((v - min) / width))]!.count++
  return bins
}

/** The dataset row's trials, in trial order (positions in `ev.rows`). */
export function trialsOf(ev: EvalReport, index: number): number[] {
  const out: number[] = []
  ev.rows.forEach((r, i) => {
    if (r.index === index) out.push(i)
  })
  return out.sort((a, b) => ev.rows[a]!.trial - ev.rows[b]!.trial)
}
