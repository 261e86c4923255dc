import { readFileSync } from 'node:fs'
import { EvalgateError } from '../base/errors.js'
import { reportFastProblem } from './fast-check.js'
import type { Report } from './report.js'
import { parseReport } from './report-read.js'

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isError = (v: unknown): boolean =>
  v === null || (isObject(v) && typeof v.code === 'string' && typeof v.message === 'string')

/**
 * Whether a row has, with the right types, every field that reading an artifact uses (its
 * position, id, latency, error, verdict and each Feedback's name, value, score, pass, rationale
 * and error). Deliberately not the full schema: the inputs, outputs and trace of 100,000 rows
 * are not walked to be read (writing an artifact checks everything).
 */
function isReadableRow(v: unknown): boolean {
  if (!isObject(v)) return false
  if (!isCount(v.index) || !isCount(v.trial)) return false
  if (!(v.id === null || typeof v.id === 'string' || isFiniteNumber(v.id))) return false
  if (!(v.latencyMs === null || (isFiniteNumber(v.latencyMs) && v.latencyMs >= 0))) return false
  if (!isError(v.error) || typeof v.passed !== 'boolean' || !isObject(v.inputs)) return false
  if (!(v.expectations === null || isObject(v.expectations))) return false
  if (!(v.metadata === null || isObject(v.metadata)) || !('outputs' in v)) return false
  if (!Array.isArray(v.feedback)) return false
  for (const fb of v.feedback as unknown[]) {
    if (!isObject(fb) || typeof fb.name !== 'string' || typeof fb.scorer !== 'string') return false
    if (!(fb.score === null || isFiniteNumber(fb.score)) || fb.value === undefined) return false
    if (!(fb.passed === null || typeof fb.passed === 'boolean') || !isError(fb.error)) return false
    if (!(fb.rationale === null || typeof fb.rationale === 'string')) return false
    if (!(fb.metadata === null || isObject(fb.metadata))) return false
  }
  return true
}

/** A current artifact whose envelope passes the fast check and whose rows are readable. */
function isReadable(data: unknown): boolean {
  if (!isObject(data) || !Array.isArray(data.evals)) return false
  const evals = data.evals as unknown[]
  if (!evals.every((e) => isObject(e) && Array.isArray(e.rows))) return false
  const envelope = { ...data, evals: evals.map((e) => ({ ...(e as object), rows: [] })) }
  if (reportFastProblem(envelope) !== undefined) return false
  for (const e of evals)
    for (const row of (e as { rows: unknown[] }).rows) if (!isReadableRow(row)) return false
  return true
}

/**
 * Reads a JSON artifact from disk, of any version evalgate reads (1 and 2; see `parseReport`).
 * A current artifact whose envelope passes the fast check and whose rows have every field a
 * reader uses, typed right, is taken as it is (a 100,000-row artifact is read at the speed of
 * `JSON.parse`); anything else goes through the zod schema, which names the first fields that
 * do not match. Every failure is an {@link EvalgateError} naming the file and what is wrong:
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
  if (isReadable(data)) return data as Report
  return parseReport(data, file)
}
