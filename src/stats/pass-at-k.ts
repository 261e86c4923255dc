// Unbiased per-row estimators of "at least one of k trials passes" (pass@k) and "all k trials
// pass" (pass^k) from n trials of which c passed, and their averages over rows.
// References: M. Chen et al., "Evaluating Large Language Models Trained on Code" (2021),
// arXiv:2107.03374, section 2.1 and its numerically stable numpy form; S. Yao et al.,
// "τ-bench: A Benchmark for Tool-Agent-User Interaction in Real-World Domains" (2024),
// arXiv:2406.12045, section 5 (pass^k).
import { describeValue, EvalgateError } from '../base/errors.js'
import { checkCount } from './validate.js'

function checkTrials(fn: string, n: number, c: number, k: number): void {
  checkCount(fn, 'n (trials)', n, 1)
  checkCount(fn, 'c (passing trials)', c)
  checkCount(fn, 'k', k, 1)
  if (c > n) {
    throw new EvalgateError(`${fn}: c (passing trials) must be <= n (${n}), received ${c}`)
  }
  if (k > n) {
    throw new EvalgateError(
      `${fn}: k must be <= n, the number of trials (${n}), received k = ${k}: run at least ${k} trials`,
    )
  }
}

/**
 * pass@k of one row: the probability that at least one of k trials drawn without replacement
 * from its n trials (c of which passed) passes,
 *
 *     pass@k = 1 − C(n − c, k) / C(n, k) = 1 − Π_{i = n−c+1}^{n} (1 − k/i)
 *
 * (Chen et al. 2021), an unbiased estimator of the chance that k fresh trials contain a pass.
 * Computed as a product (through log1p/expm1, so small values keep their precision), never with
 * factorials, and never as 1 − (1 − c/n)^k, which is biased. 1 when n − c < k; 0 when c = 0.
 *
 * Throws an EvalgateError unless n ≥ 1, 0 ≤ c ≤ n and 1 ≤ k ≤ n (integers).
 *
 * @example
 * ```ts
 * passAtK(5, 1, 2) // 0.4   (1 − C(4,2)/C(5,2) = 1 − 6/10)
 * ```
 */
export function passAtK(n: number, c: number, k: number): number {
  checkTrials('passAtK', n, c, k)
  if (n - c < k) return 1
  if (c === 0) return 0
  let logProduct = 0
  for (let i = n - c + 1; i <= n; i++) logProduct += Math.log1p(-k / i)
  return -Math.expm1(logProduct)
}

/**
 * pass^k of one row: the probability that all of k trials drawn without replacement from its n
 * trials (c of which passed) pass,
 *
 *     pass^k = C(c, k) / C(n, k) = Π_{i = 0}^{k−1} (c − i) / (n − i)
 *
 * (τ-bench, Yao et al. 2024), an unbiased estimator of the chance that k fresh trials all pass.
 * Computed as a product, never with factorials, and never as (c/n)^k, which is biased. 0 when
 * c < k; 1 when c = n.
 *
 * Throws an EvalgateError unless n ≥ 1, 0 ≤ c ≤ n and 1 ≤ k ≤ n (integers).
 *
 * @example
 * ```ts
 * passHatK(5, 4, 2) // ≈ 0.6   (C(4,2)/C(5,2) = 6/10)
 * ```
 */
export function passHatK(n: number, c: number, k: number): number {
  checkTrials('passHatK', n, c, k)
  if (c < k) return 0
  if (c === n) return 1
  let product = 1
  for (let i = 0; i < k; i++) product *= (c - i) / (n - i)
  return product
}

/**
 * One dataset row's trials of a metric: `n` scored trials, `c` of which passed.
 *
 * @example
 * ```ts
 * const row: RowTrials = { n: 5, c: 4 }
 * ```
 */
export interface RowTrials {
  n: number
  c: number
}

function meanOver(
  fn: string,
  rows: readonly RowTrials[],
  k: number,
  perRow: (n: number, c: number, k: number) => number,
): number {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new EvalgateError(
      `${fn}: rows must be a non-empty array of { n, c }, received ${describeValue(rows)}`,
    )
  }
  let sum = 0
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    if (typeof row !== 'object' || row === null) {
      throw new EvalgateError(`${fn}: rows[${r}] must be { n, c }, received ${describeValue(row)}`)
    }
    try {
      sum += perRow(row.n, row.c, k)
    } catch (error) {
      const message =
        error instanceof Error ? error.message.replace(/^evalgate: /, '') : String(error)
      throw new EvalgateError(`${fn}: rows[${r}]: ${message}`, { cause: error })
    }
  }
  return sum / rows.length
}

/**
 * pass@k of an eval: the mean over rows of each row's {@link passAtK} (each row weighs the same,
 * whatever its number of trials). Every row needs at least k trials.
 *
 * Throws an EvalgateError for an empty `rows`, or naming the row whose n, c or k is invalid.
 *
 * @example
 * ```ts
 * meanPassAtK([{ n: 5, c: 1 }, { n: 5, c: 0 }], 2) // 0.2
 * ```
 */
export function meanPassAtK(rows: readonly RowTrials[], k: number): number {
  return meanOver('meanPassAtK', rows, k, passAtK)
}

/**
 * pass^k of an eval: the mean over rows of each row's {@link passHatK}. Every row needs at
 * least k trials.
 *
 * Throws an EvalgateError for an empty `rows`, or naming the row whose n, c or k is invalid.
 *
 * @example
 * ```ts
 * meanPassHatK([{ n: 5, c: 4 }, { n: 5, c: 5 }], 2) // 0.8
 * ```
 */
export function meanPassHatK(rows: readonly RowTrials[], k: number): number {
  return meanOver('meanPassHatK', rows, k, passHatK)
}
