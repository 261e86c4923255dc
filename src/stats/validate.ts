// Input checks shared by the statistics: every function here is total, so bad input is an
// EvalgateError that names the function, what it expected and what it received, never a NaN.
import { describeValue, EvalgateError } from '../base/errors.js'

/** A cluster id: the dataset row a value came from (its index, or its id). */
export type ClusterId = number | string

/** Throws unless `confidence` is a number strictly between 0 and 1. */
export function checkConfidence(fn: string, confidence: unknown): number {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new EvalgateError(
      `${fn}: confidence must be a number between 0 and 1 (exclusive, e.g. 0.95), received ${describeValue(confidence)}`,
    )
  }
  return confidence
}

/** Throws unless `p` is a probability strictly between 0 and 1 (a quantile's argument). */
export function checkOpenProbability(fn: string, name: string, p: unknown): number {
  if (typeof p !== 'number' || !(p > 0 && p < 1)) {
    throw new EvalgateError(
      `${fn}: ${name} must be a number between 0 and 1 (exclusive), received ${describeValue(p)}`,
    )
  }
  return p
}

/** Throws unless `p` is a proportion in [0, 1]. */
export function checkProportion(fn: string, name: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new EvalgateError(
      `${fn}: ${name} must be a number from 0 to 1, received ${describeValue(p)}`,
    )
  }
  return p
}

/** Throws unless `n` is an integer >= `min` (a count). */
export function checkCount(fn: string, name: string, n: unknown, min = 0): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    throw new EvalgateError(
      `${fn}: ${name} must be an integer >= ${min}, received ${describeValue(n)}`,
    )
  }
  return n
}

/** Throws unless `values` is a non-empty array of finite numbers. */
export function checkValues(fn: string, name: string, values: readonly number[]): void {
  if (!Array.isArray(values) || values.length === 0) {
    throw new EvalgateError(
      `${fn}: ${name} must be a non-empty array of finite numbers, received ${describeValue(values)}`,
    )
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new EvalgateError(
        `${fn}: ${name}[${i}] must be a finite number, received ${describeValue(v)}`,
      )
    }
  }
}

/**
 * Values grouped by cluster: `of[i]` is the dense cluster number (0..count-1, in order of first
 * appearance) of value i, `sizes[c]` how many values cluster c holds.
 */
export interface ClusterIndex {
  count: number
  of: Int32Array
  sizes: Int32Array
}

/**
 * Groups `n` values by their parallel cluster ids (or one cluster per value when `clusters` is
 * undefined). Throws when the ids are not a parallel array of numbers or strings.
 */
export function indexClusters(
  fn: string,
  n: number,
  clusters: readonly ClusterId[] | undefined,
): ClusterIndex {
  const of = new Int32Array(n)
  if (clusters === undefined) {
    for (let i = 0; i < n; i++) of[i] = i
    return { count: n, of, sizes: new Int32Array(n).fill(1) }
  }
  if (!Array.isArray(clusters) || clusters.length !== n) {
    throw new EvalgateError(
      `${fn}: clusters must be an array parallel to the values (length ${n}), received ${describeValue(clusters)}`,
    )
  }
  const dense = new Map<ClusterId, number>()
  const sizes: number[] = []
  for (let i = 0; i < n; i++) {
    const id = clusters[i]
    if (!(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))) {
      throw new EvalgateError(
        `${fn}: clusters[${i}] must be a row index or id (a finite number or a string), received ${describeValue(id)}`,
      )
    }
    let c = dense.get(id)
    if (c === undefined) {
      c = sizes.length
      dense.set(id, c)
      sizes.push(0)
    }
    of[i] = c
    sizes[c]! += 1
  }
  return { count: sizes.length, of, sizes: Int32Array.from(sizes) }
}
