import { EvalgateError } from '../base/errors.js'
import { REPORT_SCHEMA_VERSION, type Report } from './report.js'
import { ReportSchema } from './report-schema.js'
import { ReportSchemaV1, type ReportV1 } from './report-schema-v1.js'

/**
 * Reads a parsed JSON artifact of any version this evalgate knows (1 and 2) as the current
 * version: a version-1 artifact is upgraded (one trial per row, no metadata, nothing skipped).
 * Anything else is an {@link EvalgateError} that names `file` and says what is wrong: not an
 * evalgate artifact, an artifact of a newer evalgate, or the first field that does not match.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * const report = parseReport(JSON.parse(readFileSync('evalgate-report.json', 'utf8')), 'evalgate-report.json')
 * report.schemaVersion // 2
 * ```
 */
export function parseReport(data: unknown, file: string): Report {
  const header = data as { tool?: { name?: unknown }; schemaVersion?: unknown } | null
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new EvalgateError(`${file} is not an evalgate report: expected a JSON object`)
  }
  if (header?.tool?.name !== 'evalgate') {
    throw new EvalgateError(
      `${file} is not an evalgate report: expected "tool.name" to be "evalgate"`,
    )
  }
  const version = header.schemaVersion
  if (typeof version === 'number' && version > REPORT_SCHEMA_VERSION) {
    throw new EvalgateError(
      `${file} has report schema version ${version}, newer than this evalgate reads (1 to ${REPORT_SCHEMA_VERSION}); upgrade evalgate`,
    )
  }
  if (version === 1) {
    const parsed = ReportSchemaV1.safeParse(data)
    if (!parsed.success) throw invalid(file, parsed.error.issues)
    return upgradeV1(parsed.data)
  }
  const parsed = ReportSchema.safeParse(data)
  if (!parsed.success) throw invalid(file, parsed.error.issues)
  return parsed.data
}

function invalid(
  file: string,
  issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>,
): EvalgateError {
  const shown = issues.slice(0, 5).map((i) => `"${i.path.map(String).join('.')}": ${i.message}`)
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : ''
  return new EvalgateError(`${file} is not a valid evalgate report: ${shown.join('; ')}${more}`)
}

/** A version-1 artifact as version 2 holds it. */
function upgradeV1(v1: ReportV1): Report {
  const evals = v1.evals.map((e) => ({
    ...e,
    trials: 1,
    rows: e.rows.map((r) => ({ ...r, trial: 0, metadata: null })),
    metrics: Object.fromEntries(
      Object.entries(e.metrics).map(([name, m]) => [name, { ...m, skipped: 0 }]),
    ) as Report['evals'][number]['metrics'],
  }))
  return {
    ...v1,
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { ...v1.tool, host: 'vitest', hostVersion: 'unknown' },
    partial: v1.evals.some((e) => e.status === 'skipped' || e.rows.length < e.datasetRows),
    evals,
  }
}
