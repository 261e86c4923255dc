import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { EvalgateError } from '../base/errors.js'
import { compareReports } from '../core/compare.js'
import type { Report } from '../core/report.js'
import { readReportFile } from '../core/report-file.js'
import { htmlPathFor, writeHtmlReport } from '../html/index.js'
import { renderMarkdown } from '../reporter/markdown.js'
import { renderEvalTable } from '../reporter/table.js'
import { VERSION } from '../reporter/version.js'
import { type CliIO, EXIT } from './io.js'

/**
 * A report as the reporter prints it at the end of a run: a table per eval, then the files
 * that failed outside their rows. Shared by `report` and `merge`.
 */
export function printTables(report: Report, io: CliIO): void {
  for (const e of report.evals)
    io.out(`${renderEvalTable(e, { color: io.color, width: io.width })}\n\n`)
  for (const e of report.errors) if (e.file !== '') io.out(`FAIL  ${e.file}: ${e.message}\n\n`)
  if (report.evals.length === 0 && report.errors.length === 0) io.out('no eval in this artifact\n')
}

/**
 * `evalgate report <artifact> [--markdown [file]] [--html [file]] [--baseline <artifact>]`:
 * exits 1 when the artifact's run failed.
 */
export function reportCommand(
  file: string,
  options: { markdown?: string | true; html?: string | true; baseline?: string },
  io: CliIO,
): number {
  if (options.baseline !== undefined && options.html === undefined) {
    throw new EvalgateError(
      'report --baseline: the comparison is shown in the HTML report; add --html (or run evalgate compare)',
    )
  }
  const report = readReportFile(file)
  if (options.html !== undefined) {
    const comparison =
      options.baseline === undefined
        ? undefined
        : compareReports(
            { file: options.baseline, report: readReportFile(options.baseline) },
            { file, report },
            { version: VERSION },
          )
    const target = options.html === true ? htmlPathFor(file) : options.html
    writeHtmlReport(report, target, comparison === undefined ? {} : { comparison })
    io.out(`evalgate: HTML report written to ${path.relative(process.cwd(), target) || target}\n`)
  }
  if (options.markdown === true) {
    io.out(renderMarkdown(report))
  } else {
    printTables(report, io)
    if (typeof options.markdown === 'string') {
      writeFileSync(options.markdown, renderMarkdown(report))
      io.out(`evalgate: Markdown written to ${options.markdown}\n`)
    }
    const partial = report.partial ? ' (partial: some rows did not run)' : ''
    io.out(`evalgate: ${file}: ${report.status}${partial}\n`)
  }
  return report.status === 'failed' ? EXIT.failed : EXIT.ok
}
