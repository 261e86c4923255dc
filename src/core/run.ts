import { describeValue } from '../base/errors.js'
import { storedValue } from '../base/json.js'
import { isThenable } from '../base/values.js'
import {
  beginTrace,
  endSpan,
  failSpan,
  openSpan,
  runInFrame,
  tracingActive,
  withoutTracing,
} from '../trace/context.js'
import { asTrace, TRACE_MAX_VALUE_BYTES, type Trace } from '../trace/trace.js'
import type { Row } from './dataset.js'
import { type FeedbackResult, rowPasses, toFeedbackResult } from './score.js'
import {
  errorFeedback,
  type FeedbackError,
  type NamedFeedback,
  normalizeFeedback,
  type Scorer,
  type ScorerContext,
  type ScorerReturn,
  toFeedbackError,
} from './scorer.js'

/** What a task receives besides the row's inputs. */
export interface TaskContext {
  /** Aborted when the row times out or the run is cancelled: pass it to fetch / the SDK. */
  signal: AbortSignal
  /** The whole row (for `expectations`, `metadata`, `id`). */
  row: Row
  /** The row's position in the dataset. */
  index: number
  /**
   * The row's trace, being recorded: `traced` functions and instrumented clients called by the
   * task add their spans to it, under a root span for the task itself.
   */
  trace: Trace
}

/** The application under evaluation: inputs in, outputs out. */
export type Task<I = Record<string, unknown>, O = unknown> = (
  inputs: I,
  context: TaskContext,
) => O | Promise<O>

/**
 * The result of one row: JSON-serialisable, every field present (`null` where there is
 * nothing), so it can ride in Vitest's task meta, blob reports and the artifact.
 */
export interface RowResult {
  /** The row's position in the dataset. */
  index: number
  /** Which run of the row this is, from 0 (see `trials`). */
  trial: number
  id: string | number | null
  inputs: Record<string, unknown>
  outputs: unknown
  expectations: Record<string, unknown> | null
  /** The dataset row's `metadata`, `null` when it has none. */
  metadata: Record<string, unknown> | null
  /** The task's wall time in milliseconds; `null` when no task ran (re-scoring stored outputs). */
  latencyMs: number | null
  feedback: FeedbackResult[]
  /** A row-level error (the task failed or timed out, or there was nothing to score). */
  error: FeedbackError | null
  /** The row pass rule over `error` and every Feedback. */
  passed: boolean
  /**
   * The row's trace as JSON (`trace.toJSON()`, each span value capped at
   * {@link TRACE_MAX_VALUE_BYTES} with a visible `__truncated__` marker): the one the task
   * recorded, else the row's stored trace. A stored value that is not a trace is kept as it is;
   * `null` when there is none, and when the task traced nothing (its trace would hold only its
   * root span, which repeats `inputs`, `outputs`, `error` and `latencyMs`).
   */
  trace: unknown
}

/** Options of {@link runRow}. */
export interface RunRowOptions {
  row: Row
  index: number
  /** Which run of the row this is, from 0. Default 0. */
  trial?: number | undefined
  scorers: readonly Scorer[]
  task?: Task | undefined
  /** Per row, task and scorers together. Omit for no limit. */
  timeoutMs?: number | undefined
  /** Cancels the row from outside (e.g. the test runner's own abort). */
  signal?: AbortSignal | undefined
}

const TIMED_OUT = Symbol('timed out')

/**
 * Runs one row: the task (if any) with a timeout and an AbortSignal, records `latencyMs`, then
 * runs the row's scorers concurrently and applies the score and pass rules. Never throws for a
 * failing task or scorer: failures become errors in the result.
 *
 * @example
 * ```ts
 * const result = await runRow({
 *   row: { inputs: { q: '2+2' }, expectations: { expected_response: '4' } },
 *   index: 0,
 *   task: async (inputs) => answer(inputs.q),
 *   scorers: [exactMatch],
 *   timeoutMs: 30_000,
 * })
 * result.passed // true when every metric passed
 * ```
 */
export async function runRow(options: RunRowOptions): Promise<RowResult> {
  const { row, index, scorers, task, timeoutMs, signal } = options
  const trial = options.trial ?? 0
  // Only a task takes a signal: re-scoring stored outputs allocates no AbortController.
  const controller = task === undefined ? undefined : new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let deadline: Promise<typeof TIMED_OUT> | undefined
  const rowStarted = performance.now()
  // The row's deadline is armed only when something can wait on it (a task, or a scorer that
  // returned a promise): a row of synchronous scorers costs no timer. Its time counts from the
  // row's start either way.
  const armDeadline = (): Promise<typeof TIMED_OUT> | undefined => {
    if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return undefined
    deadline ??= new Promise((resolve) => {
      const left = Math.max(0, timeoutMs - (performance.now() - rowStarted))
      timer = setTimeout(() => {
        controller?.abort(new Error(`row timed out after ${timeoutMs} ms`))
        resolve(TIMED_OUT)
      }, left)
    })
    return deadline
  }
  // Only a row with a task and an outer signal listens to it (no closure otherwise).
  const onOuterAbort =
    signal !== undefined && controller !== undefined
      ? () => controller.abort(signal.reason)
      : undefined
  if (signal !== undefined && controller !== undefined && onOuterAbort !== undefined) {
    if (signal.aborted) controller.abort(signal.reason)
    else signal.addEventListener('abort', onOuterAbort, { once: true })
  }
  const result: RowResult = {
    index,
    trial,
    id: row.id ?? null,
    inputs: row.inputs,
    outputs: row.outputs ?? null,
    expectations: row.expectations ?? null,
    metadata: row.metadata ?? null,
    latencyMs: null,
    feedback: [],
    error: null,
    passed: false,
    trace: null,
  }
  // What scorers receive as `trace`: the task's own trace, else the row's stored one (as a
  // Trace when it is a valid trace JSON, else the value as it is).
  let trace: unknown = row.trace
  try {
    if (task !== undefined && controller !== undefined) {
      const recording = beginTrace()
      trace = recording.trace
      const root = openSpan(
        { trace: recording.trace, span: undefined },
        { name: task.name || 'task', type: 'CHAIN', inputs: row.inputs },
      )!
      const started = performance.now()
      try {
        const context = { signal: controller.signal, row, index, trace: recording.trace }
        const run = Promise.resolve().then(() =>
          runInFrame({ trace: recording.trace, span: root }, () => task(row.inputs, context)),
        )
        const limit = armDeadline()
        const outcome = limit === undefined ? await run : await Promise.race([run, limit])
        result.latencyMs = performance.now() - started
        if (outcome === TIMED_OUT) {
          const message = `evalgate: the task did not finish within the row timeout of ${timeoutMs} ms`
          failSpan(root, new Error(message))
          result.error = { code: 'TASK_TIMEOUT', message }
          return result
        }
        endSpan(root, outcome)
        result.outputs = outcome ?? null
      } catch (error) {
        result.latencyMs = performance.now() - started
        failSpan(root, error)
        result.error = toFeedbackError(
          controller.signal.aborted ? 'TASK_ABORTED' : 'TASK_ERROR',
          error,
        )
        return result
      } finally {
        // A task still running after its timeout records nothing more into this row.
        recording.done()
      }
    } else if ((row.trace === undefined || row.trace === null) && row.outputs !== undefined) {
      // A static row: scorers that read `trace` get a minimal one (a root span holding the
      // row's inputs and outputs), made only when a scorer asks for it.
      trace = STATIC_TRACE
    } else {
      const stored = asTrace(row.trace)
      trace = stored ?? row.trace
      if (row.outputs === undefined) {
        // Without stored outputs, a stored trace's root span supplies them (as MLflow does).
        const root = stored?.rootSpan ?? undefined
        if (root?.outputs === undefined || root.outputs === null) {
          result.error = {
            code: 'NO_OUTPUTS',
            message: `evalgate: row ${index} has no "outputs"${root === undefined ? '' : " (nor has its trace's root span)"} and the eval has no task; received ${describeValue(row.outputs)}`,
          }
          return result
        }
        result.outputs = root.outputs
      }
    }
    const score = (): FeedbackResult[] | Promise<FeedbackResult[]> =>
      runScorers(
        scorers,
        row,
        trial,
        result.outputs,
        trace,
        armDeadline,
        timeoutMs,
        controller?.signal ?? signal,
      )
    // Scorers run outside the application's trace; with no trace recording anywhere, there is
    // nothing to step out of. Synchronous scorers cost no promise.
    const scored = tracingActive() ? withoutTracing(score) : score()
    result.feedback = isThenable(scored) ? await scored : scored
  } finally {
    if (timer !== undefined) clearTimeout(timer)
    if (onOuterAbort !== undefined) signal?.removeEventListener('abort', onOuterAbort)
    result.trace = trace === STATIC_TRACE ? null : traceForReport(trace, task !== undefined)
    result.passed = rowPasses(result.error, result.feedback)
    storeSafely(result)
  }
  return result
}

/**
 * The largest JSON a row's `inputs`, `outputs`, `expectations` or `metadata` keeps in the
 * artifact (UTF-8 bytes each); a larger value is replaced by a `__truncated__` marker.
 */
export const ROW_MAX_VALUE_BYTES = 256 * 1024

/**
 * Makes every value the row stores JSON-safe when the row finishes (the trace rules: undefined
 * dropped, NaN → null, bigints and functions as strings, cycles as "[Circular]", big values
 * truncated with a marker), so one odd value can neither crash the reporter nor keep the row
 * from crossing to the main process. Plain data is kept as it is, uncopied.
 */
function storeSafely(result: RowResult): void {
  result.inputs = storedValue(result.inputs, ROW_MAX_VALUE_BYTES) as Record<string, unknown>
  result.outputs = storedValue(result.outputs, ROW_MAX_VALUE_BYTES)
  if (result.expectations !== null) {
    result.expectations = storedValue(result.expectations, ROW_MAX_VALUE_BYTES) as Record<
      string,
      unknown
    >
  }
  if (result.metadata !== null) {
    result.metadata = storedValue(result.metadata, ROW_MAX_VALUE_BYTES) as Record<string, unknown>
  }
}

/** Stands for "this static row's minimal trace" until a scorer reads it (see scorerContext). */
const STATIC_TRACE: unique symbol = Symbol('static trace')

/** A closed trace of one root span holding a static row's inputs and outputs (as MLflow makes). */
function staticTrace(inputs: unknown, outputs: unknown): Trace {
  const recording = beginTrace()
  const root = openSpan(
    { trace: recording.trace, span: undefined },
    { name: 'row', type: 'UNKNOWN', inputs },
  )
  if (root !== undefined) endSpan(root, outputs)
  recording.done()
  return recording.trace
}

/**
 * The trace as the report stores it: capped JSON, or a non-trace stored value as it is. A task's
 * trace with nothing but its own root span is not stored (`null`): that span only repeats the
 * row's inputs, outputs, error and latency, and an untraced application's artifact (and its
 * merged shards) stays exactly as without tracing.
 */
function traceForReport(trace: unknown, recorded: boolean): unknown {
  if (trace === undefined || trace === null) return null
  const t = asTrace(trace)
  if (t === undefined) return trace
  if (recorded && t.spans.length <= 1) return null
  return t.toJSON({ maxValueBytes: TRACE_MAX_VALUE_BYTES })
}

/** Where a metric already is in a row's Feedback, or -1. */
function indexOfMetric(out: readonly FeedbackResult[], name: string): number {
  for (let i = 0; i < out.length; i++) if (out[i]!.name === name) return i
  return -1
}

async function settleScorer(
  s: Scorer,
  returned: PromiseLike<ScorerReturn>,
  deadline: Promise<typeof TIMED_OUT> | undefined,
  timeoutMs: number | undefined,
): Promise<NamedFeedback[]> {
  try {
    const value = deadline === undefined ? await returned : await Promise.race([returned, deadline])
    if (value === TIMED_OUT) {
      return errorFeedback(
        s,
        'SCORER_TIMEOUT',
        new Error(
          `evalgate: scorer "${s.name}" did not finish within the row timeout of ${timeoutMs} ms`,
        ),
      )
    }
    return normalizeFeedback(s, value)
  } catch (error) {
    return errorFeedback(s, 'SCORER_ERROR', error)
  }
}

function runScorers(
  scorers: readonly Scorer[],
  row: Row,
  trial: number,
  outputs: unknown,
  trace: unknown,
  armDeadline: () => Promise<typeof TIMED_OUT> | undefined,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
): FeedbackResult[] | Promise<FeedbackResult[]> {
  let resolved: unknown = trace
  const context: ScorerContext = {
    inputs: row.inputs,
    outputs,
    expectations: row.expectations ?? {},
    metadata: row.metadata ?? {},
    trial,
    get trace(): unknown {
      if (resolved === STATIC_TRACE) resolved = staticTrace(row.inputs, outputs)
      return resolved
    },
  }
  if (signal !== undefined) context.signal = signal
  // Call every scorer first (they run concurrently when async), then await only what is
  // pending: a row of synchronous scorers costs no promise per scorer.
  const pending: Array<Promise<NamedFeedback[]> | NamedFeedback[]> = new Array(scorers.length)
  let waiting = false
  for (let i = 0; i < scorers.length; i++) {
    const s = scorers[i]!
    let returned: ScorerReturn | Promise<ScorerReturn>
    try {
      returned = s.score(context)
    } catch (error) {
      pending[i] = errorFeedback(s, 'SCORER_ERROR', error)
      continue
    }
    if (!isThenable(returned)) pending[i] = normalizeFeedback(s, returned)
    else {
      waiting = true
      pending[i] = settleScorer(s, returned, armDeadline(), timeoutMs)
    }
  }
  if (waiting) return Promise.all(pending).then((perScorer) => collectFeedback(scorers, perScorer))
  return collectFeedback(scorers, pending as NamedFeedback[][])
}

/** Each scorer's Feedback as the row keeps it; a metric two scorers wrote is an error naming both. */
function collectFeedback(
  scorers: readonly Scorer[],
  perScorer: ReadonlyArray<readonly NamedFeedback[]>,
): FeedbackResult[] {
  const out: FeedbackResult[] = []
  // A row has a handful of metrics: a scan beats a Map, until there are many.
  let at: Map<string, number> | undefined
  for (let i = 0; i < scorers.length; i++) {
    const s = scorers[i]!
    for (const fb of perScorer[i]!) {
      if (at === undefined && out.length > 16) at = new Map(out.map((f, j) => [f.name, j]))
      const first = at === undefined ? indexOfMetric(out, fb.name) : (at.get(fb.name) ?? -1)
      if (first === -1) {
        at?.set(fb.name, out.length)
        out.push(toFeedbackResult(fb, s.name, s.threshold))
        continue
      }
      // Two scorers wrote the same metric in this row: one errored entry naming both, never a
      // silent overwrite or a metric counted twice.
      const owner = out[first]!.scorer
      const message = `evalgate: metric "${fb.name}" is returned by both scorer "${owner}" and scorer "${s.name}"; metric names must be distinct within an eval`
      out[first] = toFeedbackResult(
        { name: fb.name, error: { code: 'METRIC_NAME_CLASH', message } },
        owner,
        undefined,
      )
    }
  }
  return out
}
