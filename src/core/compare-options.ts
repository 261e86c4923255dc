// The textual forms of compare's options, as the command line (and an environment variable)
// give them: `--margin 'correctness/mean=0.02'`, `--direction 'cost=lower'`.
import { describeValue, EvalgateError } from '../base/errors.js'

/**
 * Parses margins given as `'<metric>/mean=<number>'` (or `'<metric>=<number>'`): the worsening
 * of a metric's mean tolerated before a difference is a regression, in the metric's own units.
 * The comparison judges the mean (of row means), so `mean` is the one aggregation a margin
 * takes. A bad entry is an {@link EvalgateError} naming it and what was expected.
 *
 * @example
 * ```ts
 * parseMargins(['correctness/mean=0.02', 'latency_ms=50']) // { correctness: 0.02, latency_ms: 50 }
 * ```
 */
export function parseMargins(specs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const spec of specs) {
    const eq = typeof spec === 'string' ? spec.lastIndexOf('=') : -1
    const key = eq === -1 ? '' : spec.slice(0, eq).trim()
    const text = eq === -1 ? '' : spec.slice(eq + 1).trim()
    const value = text === '' ? Number.NaN : Number(text)
    const metric = key.endsWith('/mean') ? key.slice(0, -'/mean'.length) : key
    const slash = key.lastIndexOf('/')
    if (slash !== -1 && !key.endsWith('/mean')) {
      throw new EvalgateError(
        `--margin ${describeValue(spec)}: compare judges a metric's mean, so a margin is '<metric>/mean=<number>'; received the aggregation "${key.slice(slash + 1)}"`,
      )
    }
    if (metric === '' || !Number.isFinite(value) || value < 0) {
      throw new EvalgateError(
        `--margin: expected '<metric>/mean=<number >= 0>' (e.g. 'correctness/mean=0.02'), received ${describeValue(spec)}`,
      )
    }
    out[metric] = value
  }
  return out
}

/**
 * Parses directions given as `'<metric>=higher'` or `'<metric>=lower'`: which way a metric is
 * better, over what its gates say. A bad entry is an {@link EvalgateError}.
 *
 * @example
 * ```ts
 * parseDirections(['cost_usd=lower']) // { cost_usd: 'lower' }
 * ```
 */
export function parseDirections(specs: readonly string[]): Record<string, 'higher' | 'lower'> {
  const out: Record<string, 'higher' | 'lower'> = {}
  for (const spec of specs) {
    const eq = typeof spec === 'string' ? spec.lastIndexOf('=') : -1
    const metric = eq === -1 ? '' : spec.slice(0, eq).trim()
    const dir = eq === -1 ? '' : spec.slice(eq + 1).trim()
    if (metric === '' || (dir !== 'higher' && dir !== 'lower')) {
      throw new EvalgateError(
        `--direction: expected '<metric>=higher' or '<metric>=lower', received ${describeValue(spec)}`,
      )
    }
    out[metric] = dir
  }
  return out
}
