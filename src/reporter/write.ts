import { randomBytes } from 'node:crypto'
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { EvalgateError } from '../base/errors.js'
import { isReportRowFast, reportFastProblem } from '../core/fast-check.js'
import type { Report } from '../core/report.js'

function issuePath(p: readonly PropertyKey[]): string {
  let out = ''
  for (const k of p)
    out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`
  return out === '' ? '(report)' : out
}

/**
 * Writes the JSON artifact atomically: validates it against `ReportSchema` first (an invalid
 * report throws an `EvalgateError` naming each bad field, and nothing is written), then writes a
 * temporary file in the target's directory and renames it over the target, so a reader never
 * sees a half-written file and a failed write leaves the previous artifact as it was. Creates
 * the directory if needed. The JSON is compact (one line); pipe it through `jq .` to read.
 *
 * The temporary file is `.<name>.<pid>.<random>.tmp`, unique per process and write. A run killed
 * mid-write leaves its temp file behind (up to the artifact's size); each write removes those of
 * the same target whose process is no longer alive and that were last written over a minute ago.
 *
 * Validation first takes a fast path that never accepts what the zod schema rejects (see
 * core/fast-check.ts); only a report it cannot vouch for loads zod, which then decides and names
 * every bad field. The reporter thus loads no zod while Vitest starts, nor in a passing run.
 *
 * @example
 * ```ts
 * await writeReportAtomic('evalgate-report.json', buildReport({ evals, startedAt, durationMs, version }))
 * ```
 */
export async function writeReportAtomic(file: string, report: Report): Promise<void> {
  const where = reportFastProblem(uncheckedPart(report))
  if (where !== undefined) {
    const issues = await schemaIssues(report, where)
    if (issues.length > 0) {
      const problems = issues.slice(0, 10).map((i) => `  ${issuePath(i.path)}: ${i.message}`)
      const more = issues.length > 10 ? `\n  ... and ${issues.length - 10} more` : ''
      throw new EvalgateError(
        `refusing to write an invalid report to ${file}:\n${problems.join('\n')}${more}`,
      )
    }
  }
  const dir = path.dirname(path.resolve(file))
  mkdirSync(dir, { recursive: true })
  removeStaleTemps(dir, path.basename(file))
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

/** Artifact rows the fast check already accepted (as they arrived, see {@link markRowChecked}). */
const checkedRows = new WeakSet<object>()

/**
 * Runs the report schema's fast check on one row as soon as it is known (a reporter does it as
 * each row test finishes, while the workers still run) and remembers the row when it passes, so
 * {@link writeReportAtomic} checks only the rest at the end of the run. Returns whether it passed.
 *
 * @example
 * ```ts
 * for (const row of meta.rows) markRowChecked(toReportRow(row))
 * ```
 */
export function markRowChecked(row: object): boolean {
  if (checkedRows.has(row)) return true
  if (!isReportRowFast(row)) return false
  checkedRows.add(row)
  return true
}

/** The report without the rows already checked (the same report when there are none). */
function uncheckedPart(report: Report): Report {
  let any = false
  for (const e of report.evals) {
    if (e.rows.length > 0 && checkedRows.has(e.rows[0]!)) {
      any = true
      break
    }
  }
  if (!any) return report
  return {
    ...report,
    evals: report.evals.map((e) => ({ ...e, rows: e.rows.filter((r) => !checkedRows.has(r)) })),
  }
}

/**
 * A temp file this young is never removed, whatever its pid says: a writer in another pid
 * namespace (a container sharing the directory) may still be writing it. Writing even a large
 * artifact takes seconds.
 */
const STALE_AFTER_MS = 60_000

/**
 * Removes the temp files of `base` (`.<base>.<pid>.<8 hex>.tmp`) that writers killed mid-write
 * left behind: their process is gone and they were last written over {@link STALE_AFTER_MS} ago.
 * Best effort: a file that cannot be listed, read or removed is left, and never fails the write.
 */
function removeStaleTemps(dir: string, base: string): void {
  const prefix = `.${base}.`
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  const now = Date.now()
  for (const name of names) {
    if (!name.startsWith(prefix)) continue
    const pid = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))?.[1]
    if (pid === undefined || isAlive(Number(pid))) continue
    const tmp = path.join(dir, name)
    try {
      if (now - statSync(tmp).mtimeMs < STALE_AFTER_MS) continue
      rmSync(tmp, { force: true })
    } catch {
      // Removed meanwhile by another writer, or not ours to remove: leave it.
    }
  }
}

/** Whether a process with this pid exists (EPERM: it does, owned by another user). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

type Issue = { path: readonly PropertyKey[]; message: string }

/** Every zod issue of a report the fast path could not vouch for (first failing at `where`). */
async function schemaIssues(report: Report, where: string): Promise<Issue[]> {
  const schema: Partial<typeof import('../core/report-schema.js')> = await import(
    '../core/report-schema.js'
  )
  const { ReportSchema, ReportRowSchema } = schema
  // Vitest's module runner can hand back an empty namespace for a dynamic import under
  // --merge-reports (modules the blobs' module graph names); never write an unchecked report.
  if (ReportSchema === undefined || ReportRowSchema === undefined) {
    return [{ path: [], message: `${where} does not match the report schema` }]
  }
  // The envelope (everything but the rows) in one parse, then each row that is not certainly
  // valid: a 10k-row report with one bad row costs one row's parse, not 10k.
  const issues: Issue[] = []
  const envelope = { ...report, evals: report.evals.map((e) => ({ ...e, rows: [] })) }
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
  return issues
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
