import { randomBytes } from 'node:crypto'
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Writes `data` to `file` atomically, as the reporter writes an artifact: into a temporary
 * file beside it (`.<name>.<pid>.<random>.tmp`, the name the reporter's writer cleans up after
 * a killed process), renamed over the target; the directory is created if needed. A reader
 * never sees a half-written file, and a failed write leaves the previous one as it was.
 *
 * @example
 * ```ts
 * writeFileAtomic('merged.json', Buffer.from('{}\n'))
 * ```
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const dir = path.dirname(path.resolve(file))
  mkdirSync(dir, { recursive: true })
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
  try {
    writeFileSync(tmp, data)
    renameSync(tmp, file)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}
