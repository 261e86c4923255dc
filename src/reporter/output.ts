import path from 'node:path'
import { describeValue, EvalgateError } from '../base/errors.js'
import type { Report } from '../core/report.js'
import { renderMarkdown } from './markdown.js'
import { renderEvalTable, terminalWidth } from './table.js'
import { appendMarkdown, writeReportAtomic } from './write.js'

// What every host's reporter does with a finished report, whatever the host: its options, the
// tables it prints, where the artifact and the Markdown go. The host adapters only gather the
// evals and the host's verdict.

/**
 * Options of the evalgate reporters (the second element of their `reporters` entry), the same
 * for Vitest and Jest.
 *
 * @example
 * ```ts
 * const options: ReporterOutputOptions = { outputFile: 'reports/evals.json', markdown: true }
 * ```
 */
export interface ReporterOutputOptions {
  /**
   * Where the JSON artifact goes, relative to the host's root. Default: `$EVALGATE_REPORT`, else
   * `evalgate-report.json`.
   */
  outputFile?: string | undefined
  /**
   * A path to append a Markdown summary to (relative to the host's root), or `true` for
   * `$GITHUB_STEP_SUMMARY`. When omitted, the summary goes to `$GITHUB_STEP_SUMMARY` if it is set;
   * `false` turns it off.
   */
  markdown?: string | boolean | undefined
}

const DEFAULT_OUTPUT = 'evalgate-report.json'

/**
 * Checks a reporter's options, throwing an {@link EvalgateError} that names the option, what was
 * expected and what was received.
 *
 * @example
 * ```ts
 * checkReporterOptions({ outputFile: '' })
 * // throws: evalgate: reporter option "outputFile": expected a non-empty path string, received ""
 * ```
 */
export function checkReporterOptions(options: unknown): ReporterOutputOptions {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object') {
    throw new EvalgateError(
      `reporter options: expected an object { outputFile?, markdown? }, received ${describeValue(options)}`,
    )
  }
  const { outputFile, markdown } = options as Record<string, unknown>
  if (outputFile !== undefined && (typeof outputFile !== 'string' || outputFile === '')) {
    throw new EvalgateError(
      `reporter option "outputFile": expected a non-empty path string, received ${describeValue(outputFile)}`,
    )
  }
  if (markdown !== undefined && typeof markdown !== 'string' && typeof markdown !== 'boolean') {
    throw new EvalgateError(
      `reporter option "markdown": expected a path string or a boolean, received ${describeValue(markdown)}`,
    )
  }
  return options as ReporterOutputOptions
}

/**
 * Prints a finished report (a table per eval, and the files that failed outside their tests),
 * writes the artifact atomically, and appends the Markdown summary where asked. Returns the
 * artifact's path.
 *
 * @example
 * ```ts
 * await emitReport(report, { root: config.rootDir, options, log: (t) => console.log(t) })
 * ```
 */
export async function emitReport(
  report: Report,
  context: { root: string; options: ReporterOutputOptions; log: (text: string) => void },
): Promise<string> {
  const { root, options, log } = context
  const color = process.stdout.isTTY === true && !process.env['NO_COLOR']
  const width = terminalWidth(process.stdout, process.env)
  if (report.evals.length > 0 || report.errors.length > 0) log('')
  for (const e of report.evals) log(`${renderEvalTable(e, { color, width })}\n`)
  for (const e of report.errors) {
    if (e.file !== '') log(`FAIL  ${e.file}: ${e.message}\n`)
  }
  const outputFile = path.resolve(
    root,
    options.outputFile ?? (process.env['EVALGATE_REPORT'] || DEFAULT_OUTPUT),
  )
  await writeReportAtomic(outputFile, report)
  log(`evalgate: report written to ${path.relative(process.cwd(), outputFile) || outputFile}`)
  const markdownFile = markdownTarget(root, options.markdown, log)
  if (markdownFile !== undefined) appendMarkdown(markdownFile, renderMarkdown(report))
  return outputFile
}

function markdownTarget(
  root: string,
  markdown: ReporterOutputOptions['markdown'],
  log: (text: string) => void,
): string | undefined {
  if (typeof markdown === 'string') return path.resolve(root, markdown)
  if (markdown === false) return undefined
  const summary = process.env['GITHUB_STEP_SUMMARY']
  if (summary) return summary
  if (markdown === true) {
    log('evalgate: markdown: true, but GITHUB_STEP_SUMMARY is not set; no Markdown summary written')
  }
  return undefined
}
