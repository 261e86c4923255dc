import { fastReport, parseArtifactJson, readArtifactBytes } from './artifact-read.js'
import type { Report } from './report.js'
import { parseReport } from './report-read.js'

/**
 * Reads a JSON artifact from disk, of any version evalgate reads (1 and 2; see `parseReport`).
 * A current artifact that passes the fast check of every field (one that never accepts what
 * the schema rejects) is taken as it is (a 100,000-row artifact is read at about the speed of
 * `JSON.parse`); anything else goes through the zod schema, which names the first fields that
 * do not match. Every failure is an `EvalgateError` naming the file and what is wrong:
 * not found, a directory, unreadable, empty, not JSON, not an evalgate artifact, an artifact
 * of a newer evalgate, or the fields that do not match.
 *
 * @example
 * ```ts
 * const report = readReportFile('evalgate-report.json')
 * report.evals.map((e) => e.name)
 * ```
 */
export function readReportFile(file: string): Report {
  const data = parseArtifactJson(readArtifactBytes(file), file)
  return fastReport(data) ?? parseReport(data, file)
}
