import { writeFileSync } from 'node:fs'
import { EvalgateError } from '../base/errors.js'
import type { Report } from '../core/report.js'
import { readReportFile } from '../core/report-file.js'
import { renderMarkdown } from '../reporter/markdown.js'
import { renderEvalTable } from '../reporter/table.js'
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

/** `evalgate report <artifact> [--markdown [file]]`: exits 1 when the artifact's run failed. */
export function reportCommand(
  file: string,
  options: { markdown?: string | true; html?: unknown },
  io: CliIO,
): number {
  if (options.html !== undefined) {
    throw new EvalgateError(
      'report --html: the HTML report is not in this version of evalgate yet; use --markdown',
    )
  }
  const report = readReportFile(file)
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
