import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync, writevSync } from 'node:fs'
import path from 'node:path'

/** Chunks a system call writes at most (IOV_MAX on Linux and macOS). */
const IOV_MAX = 1024

/** Writes the chunks one after the other, many to a system call, whatever each call takes. */
function writeChunks(fd: number, chunks: readonly Uint8Array[]): void {
  for (let i = 0; i < chunks.length; i += IOV_MAX) {
    const batch = chunks.slice(i, i + IOV_MAX)
    let left = writevSync(fd, batch)
    // A short write: the rest of the batch, chunk by chunk.
    for (const chunk of batch) {
      if (left >= chunk.length) {
        left -= chunk.length
        continue
      }
      let rest = chunk.subarray(left)
      left = 0
      while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest))
    }
  }
}

/**
 * Writes `chunks`, one after the other, to `file` atomically, as the reporter writes an
 * artifact: into a temporary file beside it (`.<name>.<pid>.<random>.tmp`, the name the
 * reporter's writer cleans up after a killed process), renamed over the target; the directory
 * is created if needed. A reader never sees a half-written file, and a failed write leaves the
 * previous one as it was. The chunks are written as they are (a merge's rows are views of the
 * shards' bytes), never copied into one.
 *
 * @example
 * ```ts
 * writeFileAtomic('merged.json', [Buffer.from('{}'), Buffer.from('\n')])
 * ```
 */
export function writeFileAtomic(file: string, chunks: readonly Uint8Array[]): void {
  const dir = path.dirname(path.resolve(file))
  mkdirSync(dir, { recursive: true })
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
  try {
    const fd = openSync(tmp, 'w')
    try {
      writeChunks(fd, chunks)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, file)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}
