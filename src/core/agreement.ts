// A judge measured against people (MLflow's "align judges with human feedback"): where rows
// carry a human yes/no verdict for a judged metric, how often the judge agrees (accuracy,
// Cohen's κ, its sensitivity and specificity), and the pass rate corrected for the judge's own
// errors. Numerics in src/stats/agreement.ts.
import { describeValue, EvalgateError } from '../base/errors.js'
import { type Confusion, cohensKappa, correctedPassRate } from '../stats/index.js'
import type { RowResult } from './run.js'
import { toScore } from './score.js'

/** The aggregations agreement adds to a judged metric, each gateable (`'correctness/kappa'`). */
export const AGREEMENT_AGGREGATIONS = ['kappa', 'accuracy', 'corrected'] as const

/**
 * An eval's `agreement` option: metric → where each row holds the human verdict for it, as a
 * dotted path into the row (`'expectations.human_correctness'`, `'metadata.label'`). A metric not
 * named reads `expectations.human.<metric>`.
 *
 * @example
 * ```ts
 * const agreement: AgreementOption = { correctness: 'expectations.human_correctness' }
 * ```
 */
export type AgreementOption = Readonly<Record<string, string>>

/** One judged metric's agreement with the human labels, as the artifact holds it. */
export interface MetricAgreement {
  /** Judgements compared (rows × trials with both a judge verdict and a human label). */
  n: number
  accuracy: number
  /** `null` when both sides gave a single verdict throughout (κ is undefined). */
  kappa: number | null
  /** Sensitivity: human passes the judge also passed. `null` without a human pass. */
  tpr: number | null
  /** Specificity: human fails the judge also failed. `null` without a human fail. */
  tnr: number | null
  confusion: Confusion
  /**
   * The judge's pass rate over every judged row, corrected for its measured errors,
   * θ = (p + q0 − 1) / (q0 + q1 − 1), with its interval; or why there is none.
   */
  corrected:
    | { estimate: number; low: number; high: number; level: number; method: 'delta' }
    | { estimate: null; reason: string }
}

const SOURCES = ['expectations', 'metadata', 'inputs'] as const

/**
 * Checks an `agreement` option against the eval's metrics: each key a metric, each path a
 * dotted path starting at `expectations.`, `metadata.` or `inputs.`.
 */
export function checkAgreement(
  agreement: unknown,
  metrics: readonly string[],
): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>()
  if (agreement === undefined) return out
  if (typeof agreement !== 'object' || agreement === null || Array.isArray(agreement)) {
    throw new EvalgateError(
      `"agreement": expected { <metric>: '<path to the human label>' }, received ${describeValue(agreement)}`,
    )
  }
  for (const [metric, path] of Object.entries(agreement)) {
    if (!metrics.includes(metric)) {
      throw new EvalgateError(`"agreement": no metric "${metric}"; metrics: ${metrics.join(', ')}`)
    }
    const parts = typeof path === 'string' ? path.split('.') : []
    if (
      parts.length < 2 ||
      !SOURCES.includes(parts[0] as (typeof SOURCES)[number]) ||
      parts.includes('')
    ) {
      throw new EvalgateError(
        `"agreement.${metric}": expected a path such as 'expectations.human_${metric}' (starting at expectations., metadata. or inputs.), received ${describeValue(path)}`,
      )
    }
    out.set(metric, parts)
  }
  return out
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null
}

/** The value at a dotted path of a row, or undefined. */
function at(row: RowResult, path: readonly string[]): unknown {
  let v: unknown = row
  for (const key of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

/**
 * Each judged metric's agreement with the human labels of `rows`, for the metrics with at least
 * one row carrying both a pass verdict and a yes/no (or boolean) human label. Labels that are
 * not yes/no are not labels (ignored); trials of a row each count as one judgement of it.
 *
 * @example
 * ```ts
 * const a = agreementOf(rows, ['correctness'], new Map(), 0.95)
 * a.correctness?.kappa // 0.4
 * ```
 */
export function agreementOf(
  rows: readonly RowResult[],
  metrics: readonly string[],
  paths: ReadonlyMap<string, readonly string[]>,
  level: number,
): Record<string, MetricAgreement> {
  const out: Record<string, MetricAgreement> = {}
  // Most evals have no labels: one look at the rows' expectations says so, before any metric.
  if (paths.size === 0 && !rows.some((r) => isObject(r.expectations?.['human']))) return out
  for (const metric of metrics) {
    const path = paths.get(metric) ?? ['expectations', 'human', metric]
    const confusion: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 }
    let judged = 0
    let judgedPass = 0
    for (const row of rows) {
      const fb = row.feedback.find((f) => f.name === metric)
      if (fb === undefined || fb.error !== null || fb.passed === null) continue
      judged++
      if (fb.passed) judgedPass++
      const human = toScore(at(row, path))
      if (human !== 0 && human !== 1) continue
      if (fb.passed) human === 1 ? confusion.tp++ : confusion.fp++
      else human === 1 ? confusion.fn++ : confusion.tn++
    }
    const n = confusion.tp + confusion.fp + confusion.fn + confusion.tn
    if (n === 0) continue
    const a = cohensKappa(confusion)
    out[metric] = {
      n,
      accuracy: a.accuracy,
      kappa: a.kappa,
      tpr: a.tpr,
      tnr: a.tnr,
      confusion,
      corrected: corrected(
        judgedPass / judged,
        judged,
        a.tnr,
        a.negatives,
        a.tpr,
        a.positives,
        level,
      ),
    }
  }
  return out
}

function corrected(
  p: number,
  n: number,
  q0: number | null,
  m0: number,
  q1: number | null,
  m1: number,
  level: number,
): MetricAgreement['corrected'] {
  if (q0 === null || q1 === null) {
    return {
      estimate: null,
      reason: `the labels hold no human ${q1 === null ? 'pass' : 'fail'}, so the judge's ${q1 === null ? 'sensitivity' : 'specificity'} is unknown`,
    }
  }
  const r = correctedPassRate({ p, n, q0, m0, q1, m1 }, { confidence: level })
  if (r.estimate === null) return r
  return { estimate: r.estimate, low: r.low, high: r.high, level: r.level, method: 'delta' }
}
