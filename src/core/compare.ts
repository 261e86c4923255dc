// `evalgate compare`: did the candidate run get worse than the baseline? Rows are paired (by
// id), each metric's row means are differenced, and the verdict reads the paired interval:
// a regression is a difference whose whole interval lies on the worse side. The numerics are
// src/stats/'s (pairedDiff = scipy's ttest_rel, mcnemarExact = binomtest).
import { EvalgateError } from '../base/errors.js'
import { formatMetricValue } from '../base/format.js'
import { mcnemarExact, pairedDiff } from '../stats/index.js'
import { type Pairing, pairRows, type SideRow } from './compare-pairing.js'
import type { Comparison, EvalComparison, MetricComparison, Verdict } from './compare-schema.js'
import { COMPARISON_SCHEMA_VERSION } from './compare-schema.js'
import { LATENCY_METRIC } from './evaluate.js'
import type { EvalReport, Report } from './report.js'
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
  const evals = names.map((name) =>
    compareEval(base.get(name)!, cand.get(name)!, files, level, margins, directions),
  )
  checkNamed(margins, 'margin', evals)
  checkNamed(directions, 'direction', evals)
  const only = options.eval !== undefined
  return {
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
}

function sideOf(side: CompareSide): Comparison['baseline'] {
  return {
    file: side.file,
    startedAt: side.report.startedAt,
    status: side.report.status,
    version: side.report.tool.version,
  }
}

function byName(side: CompareSide): Map<string, EvalReport> {
  const out = new Map<string, EvalReport>()
  for (const e of side.report.evals) {
    const other = out.get(e.name)
    if (other !== undefined) {
      throw new EvalgateError(
        `compare: ${side.file} has 2 evals named ${JSON.stringify(e.name)} (in ${other.file} and ${e.file}); evals are paired by name, so names must be unique`,
      )
    }
    out.set(e.name, e)
  }
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

/** The mean of a row's scores of a metric over all its trials; `null` when it has none. */
function rowMean(row: SideRow, metric: string): number | null {
  let sum = 0
  let n = 0
  for (const t of row.trials) {
    if (metric === LATENCY_METRIC && t.error === null && t.latencyMs !== null) {
      // A task's latency, unless a scorer of a task-less eval named its metric so.
      if (!t.feedback.some((fb) => fb.name === LATENCY_METRIC)) {
        sum += t.latencyMs
        n++
        continue
      }
    }
    // A scorer may give a metric more than once in a row: each value counts.
    for (const fb of t.feedback) {
      if (fb.name === metric && fb.error === null && fb.value !== null && fb.score !== null) {
        sum += fb.score
        n++
      }
    }
  }
  return n === 0 ? null : sum / n
}

interface RowPass {
  passed: boolean
  trials: number
  passes: number
  shown: SideRow['trials'][number]['feedback'][number]
}

/** Whether a row passed a metric: the share of its judged trials that passed ≥ trialPassRate. */
function rowPass(row: SideRow, metric: string, trialPassRate: number): RowPass | null {
  let n = 0
  let c = 0
  let firstPass: RowPass['shown'] | undefined
  let firstFail: RowPass['shown'] | undefined
  for (const t of row.trials) {
    for (const fb of t.feedback) {
      if (fb.name !== metric || fb.error !== null || fb.passed === null) continue
      n++
      if (fb.passed) {
        c++
        firstPass ??= fb
      } else firstFail ??= fb
    }
  }
  if (n === 0) return null
  const passed = c / n >= trialPassRate
  return {
    passed,
    trials: n,
    passes: c,
    shown: (passed ? firstPass : firstFail) ?? (firstPass ?? firstFail)!,
  }
}

/** A value that is a boolean or a yes/no string: its score can only be 0 or 1. */
function isBinary(value: unknown, score: number): boolean {
  return typeof value === 'boolean' || (typeof value === 'string' && (score === 0 || score === 1))
}

function binaryMetric(evals: readonly EvalReport[], metric: string): boolean {
  if (metric === LATENCY_METRIC) return false
  let any = false
  for (const e of evals) {
    for (const r of e.rows) {
      for (const fb of r.feedback) {
        if (fb.name !== metric || fb.error !== null || fb.value === null || fb.score === null) {
          continue
        }
        if (!isBinary(fb.value, fb.score)) return false
        any = true
      }
    }
  }
  return any
}

type Direction = MetricComparison['direction']

function directionOf(
  metric: string,
  evals: readonly EvalReport[],
  directions: Readonly<Record<string, Direction>>,
): { direction: Direction; source: MetricComparison['directionSource'] } {
  const given = Object.hasOwn(directions, metric) ? directions[metric] : undefined
  if (given !== undefined) return { direction: given, source: 'option' }
  for (const e of evals) {
    for (const g of e.thresholds) {
      if (g.key.slice(0, g.key.lastIndexOf('/')) !== metric) continue
      if (g.min !== undefined && g.max === undefined) return { direction: 'higher', source: 'gate' }
      if (g.max !== undefined && g.min === undefined) return { direction: 'lower', source: 'gate' }
    }
  }
  if (metric === LATENCY_METRIC) return { direction: 'lower', source: 'latency' }
  return { direction: 'higher', source: 'default' }
}

function compareEval(
  baseline: EvalReport,
  candidate: EvalReport,
  files: { baseline: string; candidate: string },
  level: number,
  margins: Readonly<Record<string, number>>,
  directions: Readonly<Record<string, Direction>>,
): EvalComparison {
  const pairing = pairRows(baseline, candidate, files)
  const names = [...Object.keys(candidate.metrics)]
  for (const m of Object.keys(baseline.metrics)) if (!names.includes(m)) names.push(m)
  const metrics: MetricComparison[] = []
  const flips: EvalComparison['flips'] = []
  for (const name of names) {
    const inBoth = Object.hasOwn(baseline.metrics, name) && Object.hasOwn(candidate.metrics, name)
    const margin = Object.hasOwn(margins, name) ? margins[name]! : null
    const { direction, source } = directionOf(name, [candidate, baseline], directions)
    const binary = binaryMetric([baseline, candidate], name)
    const base = { name, direction, directionSource: source, binary, margin }
    if (!inBoth) {
      const only = Object.hasOwn(candidate.metrics, name) ? files.candidate : files.baseline
      metrics.push(notCompared(base, `only ${only} has this metric`))
      continue
    }
    const flipped = flipsOf(pairing, name, baseline, candidate)
    flips.push(...flipped.flips)
    metrics.push(compareMetric(base, pairing, level, binary ? flipped.counts : null))
  }
  flips.sort(
    (x, y) =>
      (x.change === y.change ? 0 : x.change === 'regressed' ? -1 : 1) ||
      x.candidateIndex - y.candidateIndex,
  )
  const ref = (r: SideRow) => ({ index: r.index, id: r.id })
  return {
    name: candidate.name,
    file: candidate.file,
    baselineFile: baseline.file,
    pairing: pairing.by,
    pairedRows: pairing.pairs.length,
    added: pairing.added.map(ref),
    removed: pairing.removed.map(ref),
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

function compareMetric(
  base: MetricBase,
  pairing: Pairing,
  level: number,
  flips: { failToPass: number; passToFail: number } | null,
): MetricComparison {
  const a: number[] = []
  const b: number[] = []
  const rows = { improved: 0, regressed: 0, unchanged: 0 }
  const better = base.direction === 'higher' ? 1 : -1
  for (const [x, y] of pairing.pairs) {
    const ma = rowMean(x, base.name)
    const mb = rowMean(y, base.name)
    if (ma === null || mb === null) continue
    a.push(ma)
    b.push(mb)
    const d = (mb - ma) * better
    if (d > 0) rows.improved++
    else if (d < 0) rows.regressed++
    else rows.unchanged++
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

/** Rows whose pass verdict on `metric` differs between the sides, and the McNemar counts. */
function flipsOf(
  pairing: Pairing,
  metric: string,
  baseline: EvalReport,
  candidate: EvalReport,
): { flips: EvalComparison['flips']; counts: { failToPass: number; passToFail: number } } {
  const flips: EvalComparison['flips'] = []
  const counts = { failToPass: 0, passToFail: 0 }
  const rateA = baseline.trialPassRate ?? 1
  const rateB = candidate.trialPassRate ?? 1
  for (const [x, y] of pairing.pairs) {
    const pa = rowPass(x, metric, rateA)
    const pb = rowPass(y, metric, rateB)
    if (pa === null || pb === null || pa.passed === pb.passed) continue
    if (pb.passed) counts.failToPass++
    else counts.passToFail++
    const side = (p: RowPass) => ({
      passed: p.passed,
      trials: p.trials,
      passes: p.passes,
      value: p.shown.value,
      rationale: p.shown.error === null ? p.shown.rationale : null,
    })
    flips.push({
      metric,
      change: pb.passed ? 'improved' : 'regressed',
      id: y.id,
      baselineIndex: x.index,
      candidateIndex: y.index,
      baseline: side(pa),
      candidate: side(pb),
    })
  }
  return { flips, counts }
}
