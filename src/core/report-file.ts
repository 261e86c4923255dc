import { readFileSync } from 'node:fs'
import { EvalgateError } from '../base/errors.js'
import { reportFastProblem } from './fast-check.js'
import type { Report } from './report.js'
import { parseReport } from './report-read.js'

/**
 * Reads a JSON artifact from disk, of any version evalgate reads (1 and 2; see `parseReport`).
 * A current artifact that the fast check vouches for is taken as it is (a 100,000-row artifact
 * is read in well under a second); anything else goes through the zod schema. Every failure is
 * an {@link EvalgateError} naming the file and what is wrong: not found, unreadable, not JSON,
 * not an evalgate artifact, an artifact of a newer evalgate, or the first fields that do not
 * match.
 *
 * @example
 * ```ts
 * const report = readReportFile('evalgate-report.json')
 * report.evals.map((e) => e.name)
 * ```
 */
export function readReportFile(file: string): Report {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
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
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const reason = text.trim() === '' ? 'the file is empty' : (error as Error).message
    throw new EvalgateError(`${file} is not JSON: ${reason}`, { cause: error })
  }
  if (reportFastProblem(data) === undefined) return data as Report
  return parseReport(data, file)
}
