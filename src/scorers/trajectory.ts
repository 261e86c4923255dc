import { describeValue, EvalgateError } from '../base/errors.js'
import { toJsonValue } from '../base/json.js'
import { isPlainObject } from '../base/values.js'
import { type Feedback, type Scorer, scorer } from '../core/scorer.js'
import type { Span } from '../trace/span.js'
import {
  type BaseScorerOptions,
  checkChoice,
  checkOptions,
  jsonEqual,
  requireExpectation,
  requireTrace,
  subsetMatch,
} from './shared.js'

/**
 * How {@link toolCallTrajectory} compares the calls (the modes of LangChain's agentevals):
 * - `strict`: the same calls in the same order;
 * - `unordered`: the same calls, in any order;
 * - `superset`: the agent made at least the expected calls (extra calls are fine);
 * - `subset`: the agent made no call outside the expected ones (missing calls are fine).
 *
 * @example
 * ```ts
 * const mode: TrajectoryMode = 'superset'
 * ```
 */
export type TrajectoryMode = 'strict' | 'unordered' | 'subset' | 'superset'

/**
 * Options of {@link toolCallTrajectory}.
 *
 * @example
 * ```ts
 * const options: ToolCallTrajectoryOptions = { mode: 'unordered', args: 'exact' }
 * ```
 */
export interface ToolCallTrajectoryOptions extends BaseScorerOptions {
  /** Default `strict`. */
  mode?: TrajectoryMode
  /**
   * How an expected call's `args` are compared with the span's inputs: `subset` (default: every
   * key given must match, recursively; the call may have more), `exact` (equal as JSON), or
   * `ignore` (names only). An expected call without `args` matches on its name alone.
   */
  args?: 'subset' | 'exact' | 'ignore'
}

interface Call {
  name: string
  args?: unknown
}

const MODES = ['strict', 'unordered', 'subset', 'superset'] as const

/**
 * Whether the agent's tool calls match `expectations.tool_calls` (boolean, metric
 * `tool_call_trajectory`). The calls made are the trace's `TOOL` spans in start order: each
 * call's name is its `gen_ai.tool.name` attribute (OpenTelemetry) or else the span's name, and
 * its args are the span's inputs. Expected calls are names or `{ name, args? }` objects. The
 * rationale shows both trajectories and what is missing, unexpected or out of order.
 *
 * @example
 * ```ts
 * import { toolCallTrajectory } from 'evalgate/scorers'
 * // row: { inputs: { question: 'Refund order 42' },
 * //        expectations: { tool_calls: ['get_order', { name: 'refund', args: { id: '42' } }] } }
 * toolCallTrajectory({ mode: 'strict' })
 * // fail rationale: call 2 is search_docs, expected refund({"id":"42"}); made: get_order, search_docs
 * ```
 */
export function toolCallTrajectory(options?: ToolCallTrajectoryOptions): Scorer {
  const o = checkOptions('toolCallTrajectory', options, ['name', 'mode', 'args'])
  checkChoice('toolCallTrajectory', 'mode', o.mode, MODES)
  checkChoice('toolCallTrajectory', 'args', o.args, ['subset', 'exact', 'ignore'])
  const name = (o.name as string | undefined) ?? 'tool_call_trajectory'
  const mode = (o.mode as TrajectoryMode | undefined) ?? 'strict'
  const argsMode = (o.args as 'subset' | 'exact' | 'ignore' | undefined) ?? 'subset'
  const matches = (e: Call, a: Call) =>
    e.name === a.name &&
    (argsMode === 'ignore' ||
      e.args === undefined ||
      (argsMode === 'exact' ? jsonEqual(e.args, a.args) : subsetMatch(e.args, a.args)))
  return scorer(name, ({ expectations, trace }): Feedback => {
    const expected = expectedCalls(name, requireExpectation(name, expectations, 'tool_calls'))
    const actual = requireTrace(name, trace).searchSpans({ type: 'TOOL' }).map(toCall)
    const withArgs = argsMode !== 'ignore'
    const made = `made: ${render(actual, withArgs)}; expected: ${render(expected, withArgs)}`
    if (mode === 'strict') {
      const n = Math.max(expected.length, actual.length)
      for (let i = 0; i < n; i++) {
        const e = expected[i]
        const a = actual[i]
        if (e !== undefined && a !== undefined && matches(e, a)) continue
        const why =
          a === undefined
            ? `call ${i + 1} is missing, expected ${renderCall(e!, true)}`
            : e === undefined
              ? `call ${i + 1} is ${renderCall(a, true)}, beyond the ${expected.length} expected`
              : `call ${i + 1} is ${renderCall(a, true)}, expected ${renderCall(e, argsMode !== 'ignore')}`
        return { value: false, rationale: `strict: ${why}; ${made}` }
      }
      return { value: true, rationale: `strict: the calls match in order; ${made}` }
    }
    const { unmatchedExpected, unmatchedActual } = match(expected, actual, matches)
    const missing = unmatchedExpected.map((i) => renderCall(expected[i]!, argsMode !== 'ignore'))
    const extra = unmatchedActual.map((i) => renderCall(actual[i]!, true))
    const problems: string[] = []
    if (mode !== 'subset' && missing.length > 0) problems.push(`missing ${missing.join(', ')}`)
    if (mode !== 'superset' && extra.length > 0) problems.push(`unexpected ${extra.join(', ')}`)
    if (problems.length === 0) {
      return { value: true, rationale: `${mode}: the calls match; ${made}` }
    }
    return { value: false, rationale: `${mode}: ${problems.join('; ')}; ${made}` }
  })
}

function toCall(span: Span): Call {
  const toolName = span.attributes['gen_ai.tool.name']
  return { name: typeof toolName === 'string' ? toolName : span.name, args: span.inputs }
}

function expectedCalls(scorerName: string, value: unknown): Call[] {
  const bad = (detail: string) =>
    new EvalgateError(
      `scorer "${scorerName}": expected expectations.tool_calls to be an array of tool names or { name, args? } objects; ${detail}`,
    )
  if (!Array.isArray(value)) throw bad(`received ${describeValue(value)}`)
  return value.map((c, i): Call => {
    if (typeof c === 'string') return { name: c }
    if (isPlainObject(c) && typeof c.name === 'string') {
      const extra = Object.keys(c).filter((k) => k !== 'name' && k !== 'args')
      if (extra.length > 0) throw bad(`entry ${i} has unknown key "${extra[0]}"`)
      return c.args === undefined ? { name: c.name } : { name: c.name, args: c.args }
    }
    throw bad(`entry ${i} is ${describeValue(c)}`)
  })
}

function renderCall(call: Call, withArgs: boolean): string {
  if (!withArgs || call.args === undefined) return call.name
  const json = JSON.stringify(toJsonValue(call.args)) ?? 'null'
  return `${call.name}(${json.length > 80 ? `${json.slice(0, 77)}...` : json})`
}

function render(calls: readonly Call[], withArgs: boolean): string {
  return calls.length === 0 ? '(none)' : calls.map((c) => renderCall(c, withArgs)).join(', ')
}

/**
 * A maximum matching of expected to actual calls (Kuhn's augmenting paths: a greedy pass can
 * miss a matching when args make one actual call fit several expected ones).
 */
function match(
  expected: readonly Call[],
  actual: readonly Call[],
  matches: (e: Call, a: Call) => boolean,
): { unmatchedExpected: number[]; unmatchedActual: number[] } {
  const ownerOfActual = new Array<number>(actual.length).fill(-1)
  const tryAssign = (e: number, seen: boolean[]): boolean => {
    for (let a = 0; a < actual.length; a++) {
      if (seen[a] || !matches(expected[e]!, actual[a]!)) continue
      seen[a] = true
      if (ownerOfActual[a] === -1 || tryAssign(ownerOfActual[a]!, seen)) {
        ownerOfActual[a] = e
        return true
      }
    }
    return false
  }
  const unmatchedExpected: number[] = []
  for (let e = 0; e < expected.length; e++) {
    if (!tryAssign(e, new Array<boolean>(actual.length).fill(false))) unmatchedExpected.push(e)
  }
  const unmatchedActual: number[] = []
  for (let a = 0; a < actual.length; a++) if (ownerOfActual[a] === -1) unmatchedActual.push(a)
  return { unmatchedExpected, unmatchedActual }
}
