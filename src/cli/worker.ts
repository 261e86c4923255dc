// The worker thread of `evalgate compare` and `evalgate merge` (dist/cli-worker.js): one
// artifact read and summarized for a comparison, or the places of the rows in shards' bytes for
// a merge, in parallel with the command's own thread. What it sends back is columns and
// offsets in typed arrays, moved rather than copied; never the rows themselves.
import { parentPort, workerData } from 'node:worker_threads'
import { EvalgateError } from '../base/errors.js'
import type { FeedbackRef } from '../core/compare-side.js'
import type { WorkerReply, WorkerTask } from './parallel.js'

const port = parentPort!

function fail(error: unknown): void {
  const reply: WorkerReply = {
    error: {
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? (error.stack ?? '') : '',
      evalgate: error instanceof EvalgateError,
    },
  }
  port.postMessage(reply)
  port.close()
}

async function summarize(file: string): Promise<void> {
  const [{ readArtifactBytes }, { readSideSummary }, { transferablesOf }] = await Promise.all([
    import('../core/artifact-read.js'),
    import('../core/compare-read.js'),
    import('../core/compare-side.js'),
  ])
  const read = await readSideSummary(readArtifactBytes(file), file)
  // The comparison asks once for what its flipped rows show, then this thread is done.
  port.once('message', (refs: FeedbackRef[]) => {
    try {
      const reply: WorkerReply = { details: JSON.stringify(read.details(refs)) }
      port.postMessage(reply)
      port.close()
    } catch (error) {
      fail(error)
    }
  })
  const reply: WorkerReply = { summary: read.summary }
  port.postMessage(reply, transferablesOf(read.summary))
}

async function spans(files: readonly Uint8Array[]): Promise<void> {
  const { rowSpans } = await import('../core/report-spans.js')
  const found = files.map((bytes) => rowSpans(bytes) ?? null)
  const transfer = found.flatMap((evals) =>
    (evals ?? []).flatMap((e) => [e.starts.buffer, e.ends.buffer, e.compact.buffer]),
  )
  const reply: WorkerReply = { spans: found }
  port.postMessage(reply, transfer as ArrayBuffer[])
  port.close()
}

const task = workerData as WorkerTask
;(task.task === 'summarize' ? summarize(task.file) : spans(task.files)).catch(fail)
