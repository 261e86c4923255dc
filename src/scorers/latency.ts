import { describeValue, EvalgateError } from '../base/errors.js'
import { type Feedback, type Scorer, scorer } from '../core/scorer.js'
import type { Span } from '../trace/span.js'
import type { SpanFilter } from '../trace/trace.js'
import { type BaseScorerOptions, checkNumber, checkOptions, requireTrace } from './shared.js'

/**
 * Options of {@link latency}.
 *
 * @example
 * ```ts
 * const options: LatencyOptions = { maxMs: 2000, span: { type: 'CHAT_MODEL' } }
 * ```
 */
export interface LatencyOptions extends BaseScorerOptions {
  /**
   * With it, the value is a boolean: did every selected span take at most `maxMs`? Without it,
   * the value is the selected spans' total time in ms.
   */
  maxMs?: number
  /** Which spans to time (as `trace.searchSpans`). Default: the root span (the whole task). */
  span?: SpanFilter
}

/**
 * The time spans of the trace took (metric `latency`): the root span by default, or every span
 * matching `span` (e.g. `{ type: 'CHAT_MODEL' }` for time spent in the model). With `maxMs` the
 * value is whether each took at most that long, and the rationale names the slow ones; without
 * it, the total in milliseconds. No matching span, or one that never ended, is an errored
 * Feedback. (describeEval already records the task's wall time as `latency_ms`; this scorer
 * times parts of it, and works on stored traces.)
 *
 * @example
 * ```ts
 * import { latency } from 'evalgate/scorers'
 * latency({ maxMs: 1500, span: { type: 'CHAT_MODEL' }, name: 'llm_latency' })
 * // fail rationale: 1 of 2 CHAT_MODEL span(s) over 1500 ms: "chat.completions.create" 2210.4 ms
 * ```
 */
export function latency(options?: LatencyOptions): Scorer {
  const o = checkOptions('latency', options, ['name', 'maxMs', 'span'])
  checkNumber('latency', 'maxMs', o.maxMs, true)
  if (o.span !== undefined && (typeof o.span !== 'object' || o.span === null)) {
    throw new EvalgateError(
      `latency(): expected "span" to be a filter { type?, name? }, received ${describeValue(o.span)}`,
    )
  }
  const name = (o.name as string | undefined) ?? 'latency'
  const maxMs = o.maxMs as number | undefined
  const filter = o.span as SpanFilter | undefined
  const what = filter === undefined ? 'root span' : describeFilter(filter)
  return scorer(name, ({ trace }): Feedback => {
    const t = requireTrace(name, trace)
    const root = t.rootSpan
    const spans: Span[] =
      filter === undefined ? (root === null ? [] : [root]) : t.searchSpans(filter)
    if (spans.length === 0) {
      throw new EvalgateError(`scorer "${name}": the trace has no ${what} to time`)
    }
    const open = spans.find((s) => s.endMs === null)
    if (open !== undefined) {
      throw new EvalgateError(
        `scorer "${name}": span "${open.name}" never ended, so it has no duration`,
      )
    }
    const timed = spans.map((s) => ({ span: s, ms: s.endMs! - s.startMs }))
    if (maxMs === undefined) {
      const total = timed.reduce((sum, x) => sum + x.ms, 0)
      const slowest = timed.reduce((a, b) => (b.ms > a.ms ? b : a))
      return {
        value: total,
        rationale: `${timed.length} ${what}(s): ${ms(total)} total, slowest "${slowest.span.name}" ${ms(slowest.ms)}`,
      }
    }
    const slow = timed.filter((x) => x.ms > maxMs)
    if (slow.length === 0) {
      return { value: true, rationale: `every ${what} (${timed.length}) took at most ${maxMs} ms` }
    }
    const list = slow.map((x) => `"${x.span.name}" ${ms(x.ms)}`).join(', ')
    return {
      value: false,
      rationale: `${slow.length} of ${timed.length} ${what}(s) over ${maxMs} ms: ${list}`,
    }
  })
}

function ms(x: number): string {
  return `${Math.round(x * 10) / 10} ms`
}

function describeFilter(filter: SpanFilter): string {
  const parts: string[] = []
  if (filter.type !== undefined) parts.push(String(filter.type))
  if (filter.name !== undefined) parts.push(`named ${String(filter.name)}`)
  return parts.length === 0 ? 'span' : `${parts.join(' ')} span`
}
