// Reading big artifacts on both cores: `evalgate compare` summarizes each artifact in a worker
// thread of its own, and `evalgate merge` finds the rows in the shards' bytes in one while it
// parses them itself. Without the worker script (the sources run by the unit tests) the same
// functions run in this thread, one after the other.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { EvalgateError } from '../base/errors.js'
import type { CompareSideSummary, FeedbackRef, FlipDetail } from '../core/compare-side.js'
import type { EvalRowSpans } from '../core/report-spans.js'

/** What the worker is asked to do (its `workerData`). */
export type WorkerTask =
  | { task: 'summarize'; file: string }
  | { task: 'spans'; files: Uint8Array[] }

/** What the worker answers: a result, or the error that stopped it. */
export type WorkerReply =
  | { summary: CompareSideSummary }
  | { details: string }
  | { spans: Array<EvalRowSpans[] | null> }
  | { error: { message: string; stack: string; evalgate: boolean } }

/** The built worker beside this module (dist/cli-worker.js), when there is one. */
function workerScript(): string | undefined {
  try {
    const script = fileURLToPath(new URL('./cli-worker.js', import.meta.url))
    return existsSync(script) ? script : undefined
  } catch {
    // No import.meta.url (the CommonJS build): read in this thread.
    return undefined
  }
}

const SCRIPT = workerScript()

/** A worker's answers, one after the other, as it sends them; its error or end as a rejection. */
function answers(worker: Worker): () => Promise<WorkerReply> {
  const received: WorkerReply[] = []
  let ended: Error | undefined
  let waiting: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | undefined
  const deliver = (reply: WorkerReply, to: NonNullable<typeof waiting>) => {
    if (!('error' in reply)) return to.resolve(reply)
    const { message, stack, evalgate } = reply.error
    to.reject(evalgate ? new EvalgateError(message) : new Error(`${message}\n${stack}`))
  }
  const end = (error: Error) => {
    ended ??= error
    const to = waiting
    waiting = undefined
    to?.reject(ended)
  }
  worker.on('message', (reply: WorkerReply) => {
    const to = waiting
    waiting = undefined
    if (to === undefined) received.push(reply)
    else deliver(reply, to)
  })
  worker.on('error', end)
  worker.on('exit', (code) => {
    end(new Error(`evalgate: a worker thread ended (exit code ${code}) before it answered`))
  })
  return () =>
    new Promise((resolve, reject) => {
      const reply = received.shift()
      if (reply !== undefined) deliver(reply, { resolve, reject })
      else if (ended !== undefined) reject(ended)
      else waiting = { resolve, reject }
    })
}

/**
 * One artifact being read for a comparison: its summary, then what its flipped rows show.
 * `close()` ends the reading (and its thread) whatever state it is in.
 */
export interface SideReader {
  summary: Promise<CompareSideSummary>
  details: (refs: FeedbackRef[]) => Promise<FlipDetail[]>
  close: () => void
}

/**
 * Starts reading an artifact for a comparison: in a worker thread of its own when the built
 * script is there (the artifact's rows never leave it, only their summary), else in this one.
 */
export function readSide(file: string): SideReader {
  if (SCRIPT === undefined) return readSideHere(file)
  const worker = new Worker(SCRIPT, {
    workerData: { task: 'summarize', file } satisfies WorkerTask,
  })
  const next = answers(worker)
  const summary = next().then((reply) => (reply as { summary: CompareSideSummary }).summary)
  return {
    summary,
    details: async (refs) => {
      worker.postMessage(refs)
      return JSON.parse(((await next()) as { details: string }).details) as FlipDetail[]
    },
    close: () => {
      void worker.terminate()
    },
  }
}

function readSideHere(file: string): SideReader {
  const read = (async () => {
    const [{ readArtifactBytes }, { readSideSummary }] = await Promise.all([
      import('../core/artifact-read.js'),
      import('../core/compare-read.js'),
    ])
    return readSideSummary(readArtifactBytes(file), file)
  })()
  return {
    summary: read.then((r) => r.summary),
    details: async (refs) => (await read).details(refs),
    close: () => {},
  }
}

/**
 * Where the rows are in each artifact's bytes (see `rowSpans`; `null` for a file laid out
 * otherwise), found in a worker thread while this one goes on (give it bytes in a
 * SharedArrayBuffer, read with `readArtifactBytes(file, { shared: true })`), else here.
 * `cancel()` ends the search if the answer is no longer wanted.
 */
export function findRowSpans(files: Uint8Array[]): {
  result: Promise<Array<EvalRowSpans[] | null>>
  cancel: () => void
} {
  if (SCRIPT === undefined) {
    const result = import('../core/report-spans.js').then(({ rowSpans }) =>
      files.map((bytes) => rowSpans(bytes) ?? null),
    )
    return { result, cancel: () => {} }
  }
  const worker = new Worker(SCRIPT, { workerData: { task: 'spans', files } satisfies WorkerTask })
  const result = answers(worker)().then(
    (reply) => (reply as { spans: Array<EvalRowSpans[] | null> }).spans,
  )
  // Not awaited when the merge fails first: that is no unhandled rejection.
  result.catch(() => {})
  return {
    result,
    cancel: () => {
      void worker.terminate()
    },
  }
}
