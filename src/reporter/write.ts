import { randomBytes } from 'node:crypto'
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { EvalgateError } from '../core/errors.js'
import { isReportRowFast } from '../core/fast-check.js'
import type { Report } from '../core/report.js'
import { ReportRowSchema, ReportSchema } from '../core/report-schema.js'

function issuePath(p: readonly PropertyKey[]): string {
  let out = ''
  for (const k of p)
    out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`
  return out === '' ? '(report)' : out
}

/**
 * Writes the JSON artifact atomically: validates it against {@link ReportSchema} first (an
 * invalid report throws an `EvalgateError` naming each bad field, and nothing is written), then
 * writes a temporary file in the target's directory and renames it over the target, so a reader
 * never sees a half-written file and a failed write leaves the previous artifact as it was.
 * Creates the directory if needed. The JSON is compact (one line); pipe it through `jq .` to read.
 *
 * @example
 * ```ts
 * writeReportAtomic('evalgate-report.json', buildReport({ evals, startedAt, durationMs, version }))
 * ```
 */
export function writeReportAtomic(file: string, report: Report): void {
  // The envelope (everything but the rows) in one zod parse; then each row, by a fast check
  // that never accepts what zod rejects, and through zod when the fast check cannot vouch for
  // it (which also names the bad field). A 10k-row artifact costs little at the end of a run.
  const envelope = { ...report, evals: report.evals.map((e) => ({ ...e, rows: [] })) }
  const issues: Array<{ path: readonly PropertyKey[]; message: string }> = []
  const parsed = ReportSchema.safeParse(envelope)
  if (!parsed.success) issues.push(...parsed.error.issues)
  report.evals.forEach((e, i) => {
    e.rows.forEach((row, j) => {
      if (isReportRowFast(row)) return
      const r = ReportRowSchema.safeParse(row)
      if (!r.success) {
        for (const issue of r.error.issues) {
          issues.push({ ...issue, path: ['evals', i, 'rows', j, ...issue.path] })
        }
      }
    })
  })
  if (issues.length > 0) {
    const problems = issues.slice(0, 10).map((i) => `  ${issuePath(i.path)}: ${i.message}`)
    const more = issues.length > 10 ? `\n  ... and ${issues.length - 10} more` : ''
    throw new EvalgateError(
      `refusing to write an invalid report to ${file}:\n${problems.join('\n')}${more}`,
    )
  }
  const dir = path.dirname(path.resolve(file))
  mkdirSync(dir, { recursive: true })
  // Same directory as the target: rename is atomic only within one file system.
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
  try {
    // Compact: artifacts of 10k+ rows are read by tools, and pretty-printing doubles the bytes.
    writeFileSync(tmp, `${JSON.stringify(report)}\n`)
    renameSync(tmp, file)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}

/**
 * Appends Markdown to a file (e.g. `GITHUB_STEP_SUMMARY`), creating it and its directory if
 * needed, separated from what is already there by a blank line.
 *
 * @example
 * ```ts
 * appendMarkdown(process.env.GITHUB_STEP_SUMMARY!, renderMarkdown(report))
 * ```
 */
export function appendMarkdown(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  appendFileSync(file, `${text.replace(/\n*$/, '')}\n\n`)
}
