import type { Row } from './dataset.js'
import { describeValue } from './errors.js'
import { type FeedbackResult, rowPasses, toFeedbackResult } from './score.js'
import {
  errorFeedback,
  type FeedbackError,
  type NamedFeedback,
  normalizeFeedback,
  type Scorer,
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
  index: number
  id: string | number | null
  inputs: Record<string, unknown>
  outputs: unknown
  expectations: Record<string, unknown> | null
  /** The task's wall time in milliseconds; `null` when no task ran (re-scoring stored outputs). */
  latencyMs: number | null
  feedback: FeedbackResult[]
  /** A row-level error (the task failed or timed out, or there was nothing to score). */
  error: FeedbackError | null
  /** The row pass rule over `error` and every Feedback. */
  passed: boolean
  trace: unknown
}

/** Options of {@link runRow}. */
export interface RunRowOptions {
  row: Row
  index: number
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
  // Only a task takes a signal: re-scoring stored outputs allocates no AbortController.
  const controller = task === undefined ? undefined : new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let deadline: Promise<typeof TIMED_OUT> | undefined
  const onOuterAbort = () => controller?.abort(signal?.reason)
  if (signal !== undefined && controller !== undefined) {
    if (signal.aborted) controller.abort(signal.reason)
    else signal.addEventListener('abort', onOuterAbort, { once: true })
  }
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
    deadline = new Promise((resolve) => {
      timer = setTimeout(() => {
        controller?.abort(new Error(`row timed out after ${timeoutMs} ms`))
        resolve(TIMED_OUT)
      }, timeoutMs)
    })
  }
  const result: RowResult = {
    index,
    id: row.id ?? null,
    inputs: row.inputs,
    outputs: row.outputs ?? null,
    expectations: row.expectations ?? null,
    latencyMs: null,
    feedback: [],
    error: null,
    passed: false,
    trace: row.trace ?? null,
  }
  try {
    if (task !== undefined && controller !== undefined) {
      const started = performance.now()
      try {
        const run = Promise.resolve().then(() =>
          task(row.inputs, { signal: controller.signal, row, index }),
        )
        const outcome = deadline === undefined ? await run : await Promise.race([run, deadline])
        result.latencyMs = performance.now() - started
        if (outcome === TIMED_OUT) {
          result.error = {
            code: 'TASK_TIMEOUT',
            message: `evalgate: the task did not finish within the row timeout of ${timeoutMs} ms`,
          }
          return result
        }
        result.outputs = outcome ?? null
      } catch (error) {
        result.latencyMs = performance.now() - started
        result.error = toFeedbackError(
          controller.signal.aborted ? 'TASK_ABORTED' : 'TASK_ERROR',
          error,
        )
        return result
      }
    } else if (row.outputs === undefined) {
      result.error = {
        code: 'NO_OUTPUTS',
        message: `evalgate: row ${index} has no "outputs" and the eval has no task; received ${describeValue(row.outputs)}`,
      }
      return result
    }
    result.feedback = await runScorers(scorers, row, result.outputs, deadline, timeoutMs)
  } finally {
    if (timer !== undefined) clearTimeout(timer)
    if (controller !== undefined) signal?.removeEventListener('abort', onOuterAbort)
    result.passed = rowPasses(result.error, result.feedback)
  }
  return result
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'
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

async function runScorers(
  scorers: readonly Scorer[],
  row: Row,
  outputs: unknown,
  deadline: Promise<typeof TIMED_OUT> | undefined,
  timeoutMs: number | undefined,
): Promise<FeedbackResult[]> {
  const context = {
    inputs: row.inputs,
    outputs,
    expectations: row.expectations ?? {},
    trace: row.trace,
  }
  // Call every scorer first (they run concurrently when async), then await only what is
  // pending: a row of synchronous scorers costs no promise per scorer.
  const pending: Array<Promise<NamedFeedback[]> | NamedFeedback[]> = scorers.map((s) => {
    let returned: ScorerReturn | Promise<ScorerReturn>
    try {
      returned = s.score(context)
    } catch (error) {
      return errorFeedback(s, 'SCORER_ERROR', error)
    }
    if (!isThenable(returned)) return normalizeFeedback(s, returned)
    return settleScorer(s, returned, deadline, timeoutMs)
  })
  const perScorer = pending.some(isThenable)
    ? await Promise.all(pending)
    : (pending as NamedFeedback[][])
  const out: FeedbackResult[] = []
  const at = new Map<string, number>()
  for (let i = 0; i < scorers.length; i++) {
    const s = scorers[i]!
    for (const fb of perScorer[i]!) {
      const first = at.get(fb.name)
      if (first === undefined) {
        at.set(fb.name, out.length)
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
