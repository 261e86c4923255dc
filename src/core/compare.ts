// `evalgate compare`: did the candidate run get worse than the baseline? Rows are paired (by
// id), each metric's row means are differenced, and the verdict reads the paired interval:
// a regression is a difference whose whole interval lies on the worse side. The numerics are
// src/stats/'s (pairedDiff = scipy's ttest_rel, mcnemarExact = binomtest).
import { EvalgateError } from '../base/errors.js'
import { formatMetricValue } from '../base/format.js'
import { mcnemarExact, pairedDiff } from '../stats/index.js'
import { type Pairing, pairRows } from './compare-pairing.js'
import type { Comparison, EvalComparison, MetricComparison, Verdict } from './compare-schema.js'
import {
  type CompareSideSummary,
  type EvalSide,
  type FeedbackRef,
  type FlipDetail,
  flipDetails,
  type MetricColumns,
  summarizeSide,
} from './compare-side.js'
import { COMPARISON_SCHEMA_VERSION } from './compare-version.js'
import { LATENCY_METRIC } from './latency.js'
import type { Report } from './report.js'
import { checkLevel } from './statistics.js'

export type { Comparison, EvalComparison, MetricComparison, Verdict } from './compare-schema.js'

/**
 * Options of {@link compareReports}.
 *
 * @example
 * ```ts
 * const options: CompareOptions = {
 *   confidence: 0.95,
 *   margins: { correctness: 0.02 },
 *   directions: { cost_usd: 'lower' },
 *   eval: 'support bot',
 * }
 * ```
 */
export interface CompareOptions {
  /** The level of every interval, strictly between 0 and 1. Default 0.95. */
  confidence?: number | undefined
  /** Metric → the worsening tolerated (≥ 0, in the metric's units) before it is a regression. */
  margins?: Readonly<Record<string, number>> | undefined
  /** Metric → which way is better, over what the gates say. */
  directions?: Readonly<Record<string, 'higher' | 'lower'>> | undefined
  /** Compare only the eval of this name (it must be in both artifacts). */
  eval?: string | undefined
  /** evalgate's version, for `tool.version`. */
  version: string
}

/**
 * An artifact and the path it was read from (named in the output and in errors).
 *
 * @example
 * ```ts
 * const side: CompareSide = { file: 'baseline.json', report: readReportFile('baseline.json') }
 * ```
 */
export interface CompareSide {
  file: string
  report: Report
}

/**
 * Compares a candidate artifact with a baseline. Evals pair by name; rows by `id` (else by
 * position when both datasets have the same length), their trials averaged per row. Per
 * metric: the mean of the paired rows on each side, the paired difference (candidate −
 * baseline) with its standard error (one difference per row, so clustered by row), its t
 * interval and paired t p-value; for yes/no and boolean metrics McNemar's exact test on the
 * rows whose pass verdict flipped (a row passes a metric when the share of its trials that
 * passed is at least its eval's `trialPassRate`, as its row test decides); and how many rows
 * moved each way.
 *
 * Direction: `directions` first; else a gate on the metric with only `min` makes higher
 * better and only `max` lower (the candidate's gates, then the baseline's); else `latency_ms`
 * is better lower and every other metric higher. Verdict: `regression` when the whole
 * interval is on the worse side beyond the margin (`margins`, default 0); `improvement` when
 * it is wholly on the better side; `within margin` when wholly worse but not beyond the
 * margin; `no significant change` when it holds 0; `not compared` with fewer than 2 paired
 * rows or a metric on one side only.
 *
 * Throws an {@link EvalgateError} for rows that cannot be paired (no ids and datasets of
 * different lengths, a repeated id), an `eval` not in both, a margin or direction for a metric
 * no compared eval has, or a bad option.
 *
 * @example
 * ```ts
 * const c = compareReports(
 *   { file: 'main.json', report: readReportFile('main.json') },
 *   { file: 'pr.json', report: readReportFile('pr.json') },
 *   { version: '0.1.0', margins: { correctness: 0.02 } },
 * )
 * if (c.regression) process.exitCode = 1
 * ```
 */
export function compareReports(
  baseline: CompareSide,
  candidate: CompareSide,
  options: CompareOptions,
): Comparison {
  const pending = compareSides(
    summarizeSide(baseline.file, baseline.report),
    summarizeSide(candidate.file, candidate.report),
    options,
  )
  return pending.complete(
    flipDetails(baseline.report, pending.baselineRefs),
    flipDetails(candidate.report, pending.candidateRefs),
  )
}

/**
 * A comparison whose flipped rows do not show their values and rationales yet: those are in the
 * artifacts, where `baselineRefs` and `candidateRefs` point (see `flipDetails`).
 *
 * @example
 * ```ts
 * const pending = compareSides(baseSide, candSide, { version: '0.1.0' })
 * const comparison = pending.complete(
 *   flipDetails(baseReport, pending.baselineRefs),
 *   flipDetails(candReport, pending.candidateRefs),
 * )
 * ```
 */
export interface PendingComparison {
  baselineRefs: FeedbackRef[]
  candidateRefs: FeedbackRef[]
  /**
   * The comparison as it stands: complete but for the `value` and `rationale` of each side of
   * each flipped row, `null` until `complete` (the very object it returns).
   */
  draft: Comparison
  /** The comparison, each flipped row showing what its refs point at (given in their order). */
  complete: (baseline: readonly FlipDetail[], candidate: readonly FlipDetail[]) => Comparison
}

/** A flipped row's side, and where the Feedback it shows is. */
type FlipSide = EvalComparison['flips'][number]['baseline']

/** What the flips will show, side by side with where it is. */
interface Shown {
  baseline: { sides: FlipSide[]; refs: FeedbackRef[] }
  candidate: { sides: FlipSide[]; refs: FeedbackRef[] }
}

/** An eval of one side, and its position in its report. */
interface Located {
  side: EvalSide
  at: number
}

/**
 * {@link compareReports} on two summarized artifacts (`summarizeSide`), as `evalgate compare`
 * reads them in a worker each: the same comparison, whose flipped rows get their values and
 * rationales from the artifacts afterwards (`complete`). Throws as compareReports does.
 *
 * @example
 * ```ts
 * const pending = compareSides(summarizeSide('main.json', main), summarizeSide('pr.json', pr), {
 *   version: '0.1.0',
 * })
 * const comparison = pending.complete(
 *   flipDetails(main, pending.baselineRefs),
 *   flipDetails(pr, pending.candidateRefs),
 * )
 * ```
 */
export function compareSides(
  baseline: CompareSideSummary,
  candidate: CompareSideSummary,
  options: CompareOptions,
): PendingComparison {
  const level = checkLevel('compare "confidence"', options.confidence ?? 0.95)
  const margins = options.margins ?? {}
  const directions = options.directions ?? {}
  const files = { baseline: baseline.file, candidate: candidate.file }
  const base = byName(baseline)
  const cand = byName(candidate)
  let names = [...cand.keys()].filter((n) => base.has(n))
  if (options.eval !== undefined) {
    if (!base.has(options.eval) || !cand.has(options.eval)) {
      const where = [
        base.has(options.eval) ? undefined : baseline.file,
        cand.has(options.eval) ? undefined : candidate.file,
      ].filter((w) => w !== undefined)
      throw new EvalgateError(
        `compare: no eval named ${JSON.stringify(options.eval)} in ${where.join(' and ')}; evals in both: ${names.map((n) => JSON.stringify(n)).join(', ') || '(none)'}`,
      )
    }
    names = [options.eval]
  }
  const shown: Shown = { baseline: { sides: [], refs: [] }, candidate: { sides: [], refs: [] } }
  const evals = names.map((name) =>
    compareEval(base.get(name)!, cand.get(name)!, files, level, margins, directions, shown),
  )
  checkNamed(margins, 'margin', evals)
  checkNamed(directions, 'direction', evals)
  const only = options.eval !== undefined
  const comparison: Comparison = {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    tool: { name: 'evalgate', version: options.version },
    confidence: level,
    baseline: sideOf(baseline),
    candidate: sideOf(candidate),
    regression: evals.some((e) => e.regression),
    evals,
    addedEvals: only ? [] : [...cand.keys()].filter((n) => !base.has(n)),
    removedEvals: only ? [] : [...base.keys()].filter((n) => !cand.has(n)),
  }
  return {
    baselineRefs: shown.baseline.refs,
    candidateRefs: shown.candidate.refs,
    draft: comparison,
    complete: (baselineDetails, candidateDetails) => {
      const fill = (sides: FlipSide[], details: readonly FlipDetail[]) => {
        if (details.length !== sides.length) {
          throw new Error(
            `compare: ${details.length} flipped-row details for ${sides.length} flipped rows`,
          )
        }
        sides.forEach((side, i) => {
          side.value = details[i]!.value
          side.rationale = details[i]!.rationale
        })
      }
      fill(shown.baseline.sides, baselineDetails)
      fill(shown.candidate.sides, candidateDetails)
      return comparison
    },
  }
}

function sideOf(side: CompareSideSummary): Comparison['baseline'] {
  return {
    file: side.file,
    startedAt: side.startedAt,
    status: side.status,
    version: side.version,
  }
}

function byName(summary: CompareSideSummary): Map<string, Located> {
  const out = new Map<string, Located>()
  summary.evals.forEach((e, at) => {
    const other = out.get(e.name)
    if (other !== undefined) {
      throw new EvalgateError(
        `compare: ${summary.file} has 2 evals named ${JSON.stringify(e.name)} (in ${other.side.file} and ${e.file}); evals are paired by name, so names must be unique`,
      )
    }
    out.set(e.name, { side: e, at })
  })
  return out
}

/** A margin or direction for a metric that no compared eval has is a typo: say so. */
function checkNamed(
  given: Readonly<Record<string, unknown>>,
  what: string,
  evals: readonly EvalComparison[],
): void {
  const known = new Set(evals.flatMap((e) => e.metrics.map((m) => m.name)))
  for (const metric of Object.keys(given)) {
    if (known.has(metric)) continue
    throw new EvalgateError(
      `compare: ${what} for metric ${JSON.stringify(metric)}, which no compared eval has; metrics: ${[...known].join(', ') || '(none)'}`,
    )
  }
}

/**
 * Whether every scored value of a metric, on both sides, is a boolean or yes/no (and there is
 * one): McNemar's test then applies. `latency_ms` never is.
 */
function binaryMetric(sides: ReadonlyArray<MetricColumns | undefined>, metric: string): boolean {
  if (metric === LATENCY_METRIC) return false
  return sides.some((c) => c?.scored === true) && !sides.some((c) => c?.nonBinary === true)
}

type Direction = MetricComparison['direction']

function directionOf(
  metric: string,
  evals: readonly EvalSide[],
  directions: Readonly<Record<string, Direction>>,
): { direction: Direction; source: MetricComparison['directionSource'] } {
  const given = Object.hasOwn(directions, metric) ? directions[metric] : undefined
  if (given !== undefined) return { direction: given, source: 'option' }
  for (const e of evals) {
    for (const g of e.gates) {
      if (g.key.slice(0, g.key.lastIndexOf('/')) !== metric) continue
      if (g.min && !g.max) return { direction: 'higher', source: 'gate' }
      if (g.max && !g.min) return { direction: 'lower', source: 'gate' }
    }
  }
  if (metric === LATENCY_METRIC) return { direction: 'lower', source: 'latency' }
  return { direction: 'higher', source: 'default' }
}

function compareEval(
  b: Located,
  c: Located,
  files: { baseline: string; candidate: string },
  level: number,
  margins: Readonly<Record<string, number>>,
  directions: Readonly<Record<string, Direction>>,
  shown: Shown,
): EvalComparison {
  const baseline = b.side
  const candidate = c.side
  const pairing = pairRows(baseline, candidate, files)
  const inBaseline = new Set(baseline.metrics)
  const inCandidate = new Set(candidate.metrics)
  const names = [...candidate.metrics]
  for (const m of baseline.metrics) if (!inCandidate.has(m)) names.push(m)
  const metrics: MetricComparison[] = []
  const flips: EvalComparison['flips'] = []
  for (const name of names) {
    const inBoth = inBaseline.has(name) && inCandidate.has(name)
    const margin = Object.hasOwn(margins, name) ? margins[name]! : null
    const { direction, source } = directionOf(name, [candidate, baseline], directions)
    const columns = { baseline: baseline.columns.get(name), candidate: candidate.columns.get(name) }
    const binary = binaryMetric([columns.baseline, columns.candidate], name)
    const base = { name, direction, directionSource: source, binary, margin }
    if (!inBoth) {
      const only = inCandidate.has(name) ? files.candidate : files.baseline
      metrics.push(notCompared(base, `only ${only} has this metric`))
      continue
    }
    const flipped = flipsOf(pairing, name, b, c, columns, shown)
    flips.push(...flipped.flips)
    metrics.push(compareMetric(base, pairing, columns, level, binary ? flipped.counts : null))
  }
  flips.sort(
    (x, y) =>
      (x.change === y.change ? 0 : x.change === 'regressed' ? -1 : 1) ||
      x.candidateIndex - y.candidateIndex,
  )
  const ref = (side: EvalSide) => (r: number) => ({ index: side.index[r]!, id: side.ids[r]! })
  return {
    name: candidate.name,
    file: candidate.file,
    baselineFile: baseline.file,
    pairing: pairing.by,
    pairedRows: pairing.candidate.length,
    added: pairing.added.map(ref(candidate)),
    removed: pairing.removed.map(ref(baseline)),
    metrics,
    flips,
    regression: metrics.some((m) => m.verdict === 'regression'),
  }
}

type MetricBase = Pick<
  MetricComparison,
  'name' | 'direction' | 'directionSource' | 'binary' | 'margin'
>

function notCompared(base: MetricBase, reason: string, pairs = 0): MetricComparison {
  return {
    ...base,
    pairs,
    baseline: null,
    candidate: null,
    diff: null,
    stderr: null,
    ci: null,
    df: null,
    pValue: null,
    mcnemar: null,
    rows: { improved: 0, regressed: 0, unchanged: 0 },
    verdict: 'not compared',
    reason,
  }
}

/** A metric's columns on each side (`undefined` where no row gave it). */
interface SideColumns {
  baseline: MetricColumns | undefined
  candidate: MetricColumns | undefined
}

function compareMetric(
  base: MetricBase,
  pairing: Pairing,
  columns: SideColumns,
  level: number,
  flips: { failToPass: number; passToFail: number } | null,
): MetricComparison {
  const a: number[] = []
  const b: number[] = []
  const rows = { improved: 0, regressed: 0, unchanged: 0 }
  const better = base.direction === 'higher' ? 1 : -1
  const meanA = columns.baseline?.mean
  const meanB = columns.candidate?.mean
  if (meanA !== undefined && meanB !== undefined) {
    for (let p = 0; p < pairing.candidate.length; p++) {
      const ma = meanA[pairing.baseline[p]!]!
      const mb = meanB[pairing.candidate[p]!]!
      // NaN: the row has no value of the metric on that side.
      if (Number.isNaN(ma) || Number.isNaN(mb)) continue
      a.push(ma)
      b.push(mb)
      const d = (mb - ma) * better
      if (d > 0) rows.improved++
      else if (d < 0) rows.regressed++
      else rows.unchanged++
    }
  }
  const mcnemar =
    flips === null ? null : { ...flips, pValue: mcnemarExact(flips.failToPass, flips.passToFail) }
  if (a.length < 2) {
    const out = notCompared(
      base,
      `${a.length} paired row(s) with a value on both sides; a difference needs at least 2`,
      a.length,
    )
    return { ...out, rows, mcnemar }
  }
  const d = pairedDiff(a, b, { confidence: level })!
  const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length
  const { verdict, reason } = verdictOf(base, d.low, d.high, level)
  return {
    ...base,
    pairs: a.length,
    baseline: mean(a),
    candidate: mean(b),
    diff: d.meanDiff,
    stderr: d.stderr,
    ci: { level, low: d.low, high: d.high },
    df: d.df,
    pValue: d.pValue,
    mcnemar,
    rows,
    verdict,
    reason,
  }
}

/**
 * The verdict from the interval [low, high] of candidate − baseline: the worse side is below 0
 * for a higher-is-better metric and above 0 for a lower-is-better one.
 */
function verdictOf(
  metric: Pick<MetricComparison, 'name' | 'direction' | 'margin'>,
  low: number,
  high: number,
  level: number,
): { verdict: Verdict; reason: string } {
  const show = (v: number) => formatMetricValue(metric.name, v)
  const ci = `${Math.round(level * 1000) / 10}% CI of Δ [${show(low)}, ${show(high)}]`
  const margin = metric.margin ?? 0
  const higher = metric.direction === 'higher'
  // Distance of the interval's better end beyond 0 on the worse side (> 0: wholly worse).
  const worseBy = higher ? -high : low
  const betterBy = higher ? low : -high
  const worse = higher ? 'below' : 'above'
  const better = higher ? 'above' : 'below'
  if (worseBy > margin) {
    const beyond =
      metric.margin === null
        ? `wholly ${worse} 0`
        : `wholly ${worse} ${higher ? '-' : '+'}${show(margin)} (the margin)`
    return { verdict: 'regression', reason: `${ci} lies ${beyond}: ${metric.name} got worse` }
  }
  if (betterBy > 0) {
    return {
      verdict: 'improvement',
      reason: `${ci} lies wholly ${better} 0: ${metric.name} got better`,
    }
  }
  if (worseBy > 0) {
    return {
      verdict: 'within margin',
      reason: `${ci} lies ${worse} 0 but not wholly beyond the margin ${show(margin)}`,
    }
  }
  return { verdict: 'no significant change', reason: `${ci} holds 0` }
}

/** A row's pass verdict on a metric over its judged trials. */
interface RowPass {
  passed: boolean
  trials: number
  passes: number
  /** The trial shown: the first that passed (failed) when the row passed (failed). */
  shown: FeedbackRef
}

/**
 * Whether a row passed a metric: the share of its judged trials that passed ≥ trialPassRate;
 * `null` when no trial was judged.
 */
function passedRow(c: MetricColumns, r: number, trialPassRate: number): boolean | null {
  const n = c.judged[r]!
  return n === 0 ? null : c.passes[r]! / n >= trialPassRate
}

function rowPass(c: MetricColumns, r: number, at: number, passed: boolean): RowPass {
  // The row passed (failed), so some trial passed (failed); the other is the fallback.
  const usePass = passed ? c.firstPassRow[r]! !== -1 : c.firstFailRow[r]! === -1
  return {
    passed,
    trials: c.judged[r]!,
    passes: c.passes[r]!,
    shown: usePass
      ? { eval: at, row: c.firstPassRow[r]!, feedback: c.firstPassFeedback[r]! }
      : { eval: at, row: c.firstFailRow[r]!, feedback: c.firstFailFeedback[r]! },
  }
}

/** Rows whose pass verdict on `metric` differs between the sides, and the McNemar counts. */
function flipsOf(
  pairing: Pairing,
  metric: string,
  b: Located,
  c: Located,
  columns: SideColumns,
  shown: Shown,
): { flips: EvalComparison['flips']; counts: { failToPass: number; passToFail: number } } {
  const flips: EvalComparison['flips'] = []
  const counts = { failToPass: 0, passToFail: 0 }
  const ca = columns.baseline
  const cb = columns.candidate
  if (ca === undefined || cb === undefined) return { flips, counts }
  const side = (pass: RowPass, where: Shown['baseline']): FlipSide => {
    // The value and rationale come from the artifact (`complete`).
    const out: FlipSide = {
      passed: pass.passed,
      trials: pass.trials,
      passes: pass.passes,
      value: null,
      rationale: null,
    }
    where.sides.push(out)
    where.refs.push(pass.shown)
    return out
  }
  for (let p = 0; p < pairing.candidate.length; p++) {
    const x = pairing.baseline[p]!
    const y = pairing.candidate[p]!
    const passedA = passedRow(ca, x, b.side.trialPassRate)
    const passedB = passedRow(cb, y, c.side.trialPassRate)
    if (passedA === null || passedB === null || passedA === passedB) continue
    if (passedB) counts.failToPass++
    else counts.passToFail++
    flips.push({
      metric,
      change: passedB ? 'improved' : 'regressed',
      id: c.side.ids[y]!,
      baselineIndex: b.side.index[x]!,
      candidateIndex: c.side.index[y]!,
      baseline: side(rowPass(ca, x, b.at, passedA), shown.baseline),
      candidate: side(rowPass(cb, y, c.at, passedB), shown.candidate),
    })
  }
  return { flips, counts }
}
