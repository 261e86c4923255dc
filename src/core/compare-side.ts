// One side of a comparison as `compareSides` reads it: per eval, its dataset rows (trials
// grouped, in index order) and, per metric, each row's mean score and pass counts over its
// trials, in typed arrays. Built from a report where it was read (in `evalgate compare`, a
// worker per artifact), so that only these columns cross to the comparison, never the rows.
import { LATENCY_METRIC } from './latency.js'
import type { EvalReport, Report, ReportRow } from './report.js'

/** One metric of one eval of one side: a value per dataset row (the eval's `index` order). */
export interface MetricColumns {
  /** The mean of the row's scores over its trials; `NaN` when it has none. */
  mean: Float64Array
  /** Trials with a pass verdict on the metric (`passed` not null, no error), and how many passed. */
  judged: Uint32Array
  passes: Uint32Array
  /**
   * Where the first trial that passed (failed) the metric is, to show it when the row flipped:
   * the position of the trial in the eval's `rows` and of the Feedback in its `feedback`
   * (`-1` when there is none).
   */
  firstPassRow: Int32Array
  firstPassFeedback: Int32Array
  firstFailRow: Int32Array
  firstFailFeedback: Int32Array
  /** Some trial scored the metric; some scored value was neither a boolean nor yes/no. */
  scored: boolean
  nonBinary: boolean
}

/** What a comparison reads of one eval of one side. */
export interface EvalSide {
  name: string
  file: string
  datasetRows: number
  trialPassRate: number
  /** The metrics the eval reports (its `metrics` keys), in order. */
  metrics: string[]
  /** Its gates' keys, and whether each has a `min` and a `max` (a metric's direction). */
  gates: Array<{ key: string; min: boolean; max: boolean }>
  /** Each dataset row's index (ascending) and id (its first row's, as it comes in `rows`). */
  index: Float64Array
  ids: Array<string | number | null>
  /** No id is given twice (found where the side is read, in its own thread). */
  uniqueIds: boolean
  /** Per name of any Feedback in its rows, and `latency_ms`: the columns above. */
  columns: Map<string, MetricColumns>
}

/**
 * One artifact as a comparison reads it.
 *
 * @example
 * ```ts
 * const side: CompareSideSummary = summarizeSide('main.json', readReportFile('main.json'))
 * side.evals.map((e) => e.name)
 * ```
 */
export interface CompareSideSummary {
  file: string
  startedAt: string
  status: 'passed' | 'failed'
  version: string
  evals: EvalSide[]
}

/**
 * Where a Feedback is in a report: eval, row (trial) and Feedback positions.
 *
 * @example
 * ```ts
 * const ref: FeedbackRef = { eval: 0, row: 12, feedback: 1 }
 * ```
 */
export interface FeedbackRef {
  eval: number
  row: number
  feedback: number
}

/**
 * What a flipped row shows of a side: the value and rationale of the Feedback a ref points at.
 *
 * @example
 * ```ts
 * const shown: FlipDetail = { value: false, rationale: 'The response declines to answer.' }
 * ```
 */
export interface FlipDetail {
  value: unknown
  rationale: string | null
}

/**
 * The value and rationale of each Feedback `refs` point at, in `report` (the one
 * {@link summarizeSide} read).
 *
 * @example
 * ```ts
 * const [shown] = flipDetails(report, [{ eval: 0, row: 12, feedback: 1 }])
 * ```
 */
export function flipDetails(report: Report, refs: readonly FeedbackRef[]): FlipDetail[] {
  return refs.map((ref) => detailOf(report.evals[ref.eval]!.rows[ref.row]!.feedback[ref.feedback]!))
}

/**
 * What a flipped row shows of a Feedback: its value, and its rationale unless it errored.
 *
 * @example
 * ```ts
 * detailOf(row.feedback[0]) // { value: false, rationale: 'The response declines to answer.' }
 * ```
 */
export function detailOf(fb: ReportRow['feedback'][number]): FlipDetail {
  return { value: fb.value, rationale: fb.error === null ? fb.rationale : null }
}

/**
 * The typed arrays of a summary, to transfer rather than copy to another thread.
 *
 * @example
 * ```ts
 * port.postMessage(side, transferablesOf(side))
 * ```
 */
export function transferablesOf(side: CompareSideSummary): ArrayBuffer[] {
  const out: ArrayBuffer[] = []
  for (const e of side.evals) {
    out.push(e.index.buffer as ArrayBuffer)
    for (const c of e.columns.values()) {
      for (const a of [c.mean, c.judged, c.passes, c.firstPassRow, c.firstPassFeedback]) {
        out.push(a.buffer as ArrayBuffer)
      }
      out.push(c.firstFailRow.buffer as ArrayBuffer, c.firstFailFeedback.buffer as ArrayBuffer)
    }
  }
  return out
}

/**
 * A report as a comparison reads it: for each eval, its rows grouped by dataset row (trials in
 * trial order) and, per metric, each row's mean score over its trials (`latency_ms`: the task's
 * latency, unless a scorer named its metric so) and its pass counts. Every number is computed
 * in the order the rows would be read one by one, so the comparison is the same to the bit.
 *
 * @example
 * ```ts
 * const side = summarizeSide('pr.json', readReportFile('pr.json'))
 * ```
 */
export function summarizeSide(file: string, report: Report): CompareSideSummary {
  return {
    ...sideOf(file, report),
    evals: report.evals.map((e) => {
      const builder = evalSideBuilder()
      for (const at of ordered(e.rows)) builder.add(e.rows[at]!, at)
      return builder.finish(e)
    }),
  }
}

/** A side's own fields, from its report (evals aside). */
export function sideOf(
  file: string,
  report: Omit<Report, 'evals'>,
): Omit<CompareSideSummary, 'evals'> {
  return { file, startedAt: report.startedAt, status: report.status, version: report.tool.version }
}

/** Positions of an eval's rows in (index, trial) order, ties in the order they come. */
function ordered(rows: EvalReport['rows']): Uint32Array {
  const order = new Uint32Array(rows.length)
  let sorted = true
  for (let i = 0; i < rows.length; i++) {
    order[i] = i
    if (i > 0 && !inOrder(rows[i - 1]!, rows[i]!)) sorted = false
  }
  if (sorted) return order
  const positions = Array.from(order)
  positions.sort((x, y) => rows[x]!.index - rows[y]!.index || rows[x]!.trial - rows[y]!.trial)
  return Uint32Array.from(positions)
}

/** Whether row `b` may come after row `a` in (index, trial) order. */
function inOrder(a: ReportRow, b: ReportRow): boolean {
  return a.index < b.index || (a.index === b.index && a.trial <= b.trial)
}

function columnsFor(rows: number): MetricColumns {
  const minusOne = () => new Int32Array(rows).fill(-1)
  return {
    mean: new Float64Array(rows).fill(Number.NaN),
    judged: new Uint32Array(rows),
    passes: new Uint32Array(rows),
    firstPassRow: minusOne(),
    firstPassFeedback: minusOne(),
    firstFailRow: minusOne(),
    firstFailFeedback: minusOne(),
    scored: false,
    nonBinary: false,
  }
}

/** The first `n` values of each column (a builder sizes them for every row given). */
function trimmed(c: MetricColumns, n: number): MetricColumns {
  return {
    mean: c.mean.slice(0, n),
    judged: c.judged.slice(0, n),
    passes: c.passes.slice(0, n),
    firstPassRow: c.firstPassRow.slice(0, n),
    firstPassFeedback: c.firstPassFeedback.slice(0, n),
    firstFailRow: c.firstFailRow.slice(0, n),
    firstFailFeedback: c.firstFailFeedback.slice(0, n),
    scored: c.scored,
    nonBinary: c.nonBinary,
  }
}

/** A value that is a boolean or a yes/no string: its score can only be 0 or 1. */
function isBinary(value: unknown, score: number): boolean {
  return typeof value === 'boolean' || (typeof value === 'string' && (score === 0 || score === 1))
}

/** `c` with room for `rows` rows (its values kept, the new ones empty). */
function widened(c: MetricColumns, rows: number): MetricColumns {
  const wider = columnsFor(rows)
  wider.mean.set(c.mean)
  wider.judged.set(c.judged)
  wider.passes.set(c.passes)
  wider.firstPassRow.set(c.firstPassRow)
  wider.firstPassFeedback.set(c.firstPassFeedback)
  wider.firstFailRow.set(c.firstFailRow)
  wider.firstFailFeedback.set(c.firstFailFeedback)
  wider.scored = c.scored
  wider.nonBinary = c.nonBinary
  return wider
}

/**
 * Builds an eval's side one row at a time, the rows given in (index, trial) order, each with its
 * position in the eval's `rows`: `add` returns false (and takes nothing) for a row out of that
 * order; `finish` takes the eval's other fields. `shown` is told of each Feedback a flipped row
 * may show (the first that passed and the first that failed a metric, per dataset row), by the
 * positions a `FeedbackRef` names, for a reader that does not keep the rows.
 *
 * @example
 * ```ts
 * const builder = evalSideBuilder()
 * evalReport.rows.forEach((row, at) => builder.add(row, at))
 * const side = builder.finish(evalReport)
 * ```
 */
export function evalSideBuilder(
  shown?: (row: number, feedback: number, fb: ReportRow['feedback'][number]) => void,
): {
  add: (row: ReportRow, at: number) => boolean
  finish: (e: Omit<EvalReport, 'rows'>) => EvalSide
} {
  let capacity = 1024
  let index = new Float64Array(capacity)
  const ids: Array<string | number | null> = []
  // Metrics by position (latency_ms first), each with its columns and the running sums.
  const position = new Map<string, number>([[LATENCY_METRIC, 0]])
  const columns: MetricColumns[] = [columnsFor(capacity)]
  let sum = new Float64Array(8)
  let count = new Uint32Array(8)
  // The metrics of the last row, by Feedback position: the next row most often has the same.
  const lastNames: string[] = []
  const lastMetrics: number[] = []
  const metricAt = (name: string, f: number): number => {
    if (lastNames[f] === name) return lastMetrics[f]!
    const m = metricOf(name)
    lastNames[f] = name
    lastMetrics[f] = m
    return m
  }
  const metricOf = (name: string): number => {
    let m = position.get(name)
    if (m === undefined) {
      m = columns.length
      position.set(name, m)
      columns.push(columnsFor(capacity))
      if (m >= sum.length) {
        const wider = new Float64Array(sum.length * 2)
        wider.set(sum)
        sum = wider
        const counts = new Uint32Array(count.length * 2)
        counts.set(count)
        count = counts
      }
    }
    return m
  }
  // The dataset row being read (-1: none yet), its first row's position, and the last row.
  let g = -1
  let first = -1
  let last: ReportRow | undefined
  const close = () => {
    for (let m = 0; m < columns.length; m++) {
      if (count[m]! > 0) columns[m]!.mean[g] = sum[m]! / count[m]!
    }
  }
  const add = (t: ReportRow, at: number): boolean => {
    if (last !== undefined && !inOrder(last, t)) return false
    if (last === undefined || t.index !== last.index) {
      if (g >= 0) close()
      g++
      if (g === capacity) {
        capacity *= 2
        const wider = new Float64Array(capacity)
        wider.set(index)
        index = wider
        for (let m = 0; m < columns.length; m++) columns[m] = widened(columns[m]!, capacity)
      }
      sum.fill(0)
      count.fill(0)
      index[g] = t.index
      ids.push(t.id)
      first = at
    } else if (at < first) {
      // Each dataset row's id is that of its first row in the eval's `rows`.
      first = at
      ids[g] = t.id
    }
    last = t
    const feedback = t.feedback
    // A task's latency, unless a scorer of a task-less eval named its metric so.
    if (t.error === null && t.latencyMs !== null) {
      let named = false
      for (let f = 0; f < feedback.length; f++) named ||= feedback[f]!.name === LATENCY_METRIC
      if (!named) {
        sum[0]! += t.latencyMs
        count[0]!++
      }
    }
    // A scorer may give a metric more than once in a row: each value counts.
    for (let f = 0; f < feedback.length; f++) {
      const fb = feedback[f]!
      const m = metricAt(fb.name, f)
      if (fb.error !== null) continue
      const c = columns[m]!
      if (fb.value !== null && fb.score !== null) {
        sum[m]! += fb.score
        count[m]!++
        c.scored = true
        if (!isBinary(fb.value, fb.score)) c.nonBinary = true
      }
      if (fb.passed === null) continue
      c.judged[g]!++
      if (fb.passed) {
        c.passes[g]!++
        if (c.firstPassRow[g] === -1) {
          c.firstPassRow[g] = at
          c.firstPassFeedback[g] = f
          shown?.(at, f, fb)
        }
      } else if (c.firstFailRow[g] === -1) {
        c.firstFailRow[g] = at
        c.firstFailFeedback[g] = f
        shown?.(at, f, fb)
      }
    }
    return true
  }
  const finish = (e: Omit<EvalReport, 'rows'>): EvalSide => {
    if (g >= 0) close()
    const groups = g + 1
    return {
      name: e.name,
      file: e.file,
      datasetRows: e.datasetRows,
      trialPassRate: e.trialPassRate ?? 1,
      metrics: Object.keys(e.metrics),
      gates: e.thresholds.map((gate) => ({
        key: gate.key,
        min: gate.min !== undefined,
        max: gate.max !== undefined,
      })),
      index: index.slice(0, groups),
      ids,
      uniqueIds: new Set(ids).size === ids.length,
      columns: new Map([...position].map(([name, m]) => [name, trimmed(columns[m]!, groups)])),
    }
  }
  return { add, finish }
}
