// Reading an artifact file: its bytes, its JSON, and the fast check that takes a valid current
// artifact as it is. No zod here (see report-file.ts for the whole reader): the commands load
// it only for an artifact the fast check cannot vouch for, to name what is wrong.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs'
import { EvalgateError } from '../base/errors.js'
import { parsedReportFastProblem } from './fast-check.js'
import type { Report } from './report.js'

/**
 * The bytes of an artifact file. `shared`: in a `SharedArrayBuffer`, so that a worker thread
 * reads the very same bytes without a copy. A file that cannot be read is an
 * {@link EvalgateError} naming it and why: not found, a directory, or the system's reason.
 *
 * @example
 * ```ts
 * const bytes = readArtifactBytes('evalgate-report.json')
 * const data = parseArtifactJson(bytes, 'evalgate-report.json')
 * ```
 */
export function readArtifactBytes(file: string, options: { shared?: boolean } = {}): Uint8Array {
  try {
    return options.shared === true ? readShared(file) : readFileSync(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const what =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a directory, not an artifact file'
          : `cannot be read (${(error as Error).message})`
    throw new EvalgateError(`${file}: ${what}`, { cause: error })
  }
}

/** The file read straight into shared memory (a file whose size is unknown, read then copied). */
function readShared(file: string): Uint8Array {
  const fd = openSync(file, 'r')
  try {
    const stat = fstatSync(fd)
    if (stat.isDirectory()) readFileSync(fd) // throws EISDIR, as readFileSync(file) does
    if (!stat.isFile() || stat.size === 0) {
      const bytes = readFileSync(fd)
      const copy = new Uint8Array(new SharedArrayBuffer(bytes.length))
      copy.set(bytes)
      return copy
    }
    const bytes = new Uint8Array(new SharedArrayBuffer(stat.size))
    let at = 0
    while (at < bytes.length) {
      const read = readSync(fd, bytes, at, bytes.length - at, at)
      if (read === 0) break
      at += read
    }
    // A file that shrank while it was read: what was there.
    return at === bytes.length ? bytes : bytes.subarray(0, at)
  } finally {
    closeSync(fd)
  }
}

/**
 * The JSON value in an artifact's bytes (UTF-8). Empty or not JSON is an {@link EvalgateError}
 * naming the file and, for bad JSON, where it breaks.
 *
 * @example
 * ```ts
 * const data = parseArtifactJson(readArtifactBytes('a.json'), 'a.json')
 * ```
 */
export function parseArtifactJson(bytes: Uint8Array, file: string): unknown {
  return parseArtifactText(artifactText(bytes), file)
}

/**
 * An artifact's bytes as text (UTF-8). Decoding the bytes, then parsing, is faster than
 * readFileSync(file, 'utf8') on big files.
 *
 * @example
 * ```ts
 * const text = artifactText(readArtifactBytes('a.json'))
 * ```
 */
export function artifactText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')
}

/**
 * {@link parseArtifactJson} of the text already decoded.
 *
 * @example
 * ```ts
 * const data = parseArtifactText('{"tool":{"name":"evalgate"}}', 'a.json')
 * ```
 */
export function parseArtifactText(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const reason = text.trim() === '' ? 'the file is empty' : (error as Error).message
    throw new EvalgateError(`${file} is not JSON: ${reason}`, { cause: error })
  }
}

/**
 * `data` itself when it is a current artifact that certainly passes the artifact's schema (the
 * fast check of every field, rows included, that never accepts what zod rejects), else
 * `undefined`: then `parseReport` decides, upgrading an older version or naming what is wrong.
 *
 * @example
 * ```ts
 * const report = fastReport(data) ?? parseReport(data, file)
 * ```
 */
export function fastReport(data: unknown): Report | undefined {
  return parsedReportFastProblem(data) === undefined ? (data as Report) : undefined
}

/**
 * The report in an artifact's JSON value: `data` itself when the fast check vouches for it,
 * else what `parseReport` makes of it (zod, loaded only then, upgrades an older version or
 * throws the `EvalgateError` naming what is wrong), as `readReportFile` reads a file.
 *
 * @example
 * ```ts
 * const report = await reportOf(parseArtifactJson(bytes, file), file)
 * ```
 */
export async function reportOf(data: unknown, file: string): Promise<Report> {
  const report = fastReport(data)
  if (report !== undefined) return report
  const { parseReport } = await import('./report-read.js')
  return parseReport(data, file)
}
