import path from 'node:path'
import { describeValue, EvalgateError } from '../base/errors.js'
import type { Comparison } from '../core/compare.js'
import type { Report } from '../core/report.js'
import { renderMarkdown } from './markdown.js'
import { renderEvalTable, terminalWidth } from './table.js'
import { VERSION } from './version.js'
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
  /**
   * Also write the static HTML report: `true` beside the artifact (`.html`), or a path relative
   * to the host's root.
   */
  html?: string | boolean | undefined
  /**
   * A baseline artifact (relative to the host's root) to compare this run with, as
   * `evalgate compare` does: the comparison is printed under the tables, added to the Markdown
   * and the HTML report. Default: `$EVALGATE_BASELINE`.
   */
  baseline?: string | undefined
  /** With a baseline: a regression fails the run (and the artifact says `failed`). */
  failOnRegression?: boolean | undefined
}

const DEFAULT_OUTPUT = 'evalgate-report.json'
const OPTION_KEYS = new Set(['outputFile', 'markdown', 'html', 'baseline', 'failOnRegression'])

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
      `reporter options: expected an object { outputFile?, markdown?, html?, baseline?, failOnRegression? }, received ${describeValue(options)}`,
    )
  }
  const { outputFile, markdown, html, baseline, failOnRegression } = options as Record<
    string,
    unknown
  >
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new EvalgateError(
        `reporter options: unknown option "${key}" (allowed: ${[...OPTION_KEYS].join(', ')})`,
      )
    }
  }
  if (
    html !== undefined &&
    typeof html !== 'boolean' &&
    (typeof html !== 'string' || html === '')
  ) {
    throw new EvalgateError(
      `reporter option "html": expected a path string or a boolean, received ${describeValue(html)}`,
    )
  }
  if (baseline !== undefined && (typeof baseline !== 'string' || baseline === '')) {
    throw new EvalgateError(
      `reporter option "baseline": expected the path of a baseline artifact, received ${describeValue(baseline)}`,
    )
  }
  if (failOnRegression !== undefined && typeof failOnRegression !== 'boolean') {
    throw new EvalgateError(
      `reporter option "failOnRegression": expected a boolean, received ${describeValue(failOnRegression)}`,
    )
  }
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
  const outputFile = path.resolve(
    root,
    options.outputFile ?? (process.env['EVALGATE_REPORT'] || DEFAULT_OUTPUT),
  )
  // The baseline is compared before the artifact is written: a regression that fails the run
  // is in the artifact's status too.
  let comparison: Comparison | undefined
  try {
    comparison = await compareWithBaseline(report, outputFile, root, options)
  } catch (error) {
    // A baseline that cannot be read or paired is said; it fails the run only when asked to.
    const message = error instanceof Error ? error.message : String(error)
    log(`evalgate: no comparison with the baseline: ${message}`)
    if (options.failOnRegression === true)
      failRun(report, `no comparison with the baseline: ${message}`)
  }
  if (comparison?.regression === true && options.failOnRegression === true) {
    failRun(
      report,
      `regression against the baseline ${comparison.baseline.file} (failOnRegression)`,
    )
  }
  // The comparison's code (and zod, which reading a baseline validates with) loads only with a
  // baseline: a run without one starts no slower for it.
  const render = comparison === undefined ? undefined : await import('./compare-render.js')
  if (report.evals.length > 0 || report.errors.length > 0) log('')
  for (const e of report.evals) {
    log(`${renderEvalTable(e, { color, width })}\n`)
    // The same comparison as `evalgate compare`, under the eval it is about.
    const compared = comparison?.evals.find((c) => c.name === e.name)
    if (compared !== undefined && comparison !== undefined && render !== undefined) {
      log(`${render.renderEvalComparison(compared, comparison.confidence, { color, width })}\n`)
    }
  }
  for (const e of report.errors) {
    if (e.file !== '') log(`FAIL  ${e.file}: ${e.message}\n`)
  }
  await writeReportAtomic(outputFile, report)
  log(`evalgate: report written to ${path.relative(process.cwd(), outputFile) || outputFile}`)
  if (options.html !== undefined && options.html !== false) {
    const { htmlPathFor, writeHtmlReport } = await import('../html/index.js')
    const target =
      options.html === true ? htmlPathFor(outputFile) : path.resolve(root, options.html)
    writeHtmlReport(report, target, comparison === undefined ? {} : { comparison })
    log(`evalgate: HTML report written to ${path.relative(process.cwd(), target) || target}`)
  }
  const markdownFile = markdownTarget(root, options.markdown, log)
  if (markdownFile !== undefined) {
    const extra =
      comparison === undefined || render === undefined
        ? ''
        : `\n\n${render.renderComparisonMarkdown(comparison)}`
    appendMarkdown(markdownFile, `${renderMarkdown(report)}${extra}`)
  }
  return outputFile
}

/** Marks the run failed for a reason of evalgate's own, so the artifact and exit code agree. */
function failRun(report: Report, message: string): void {
  report.status = 'failed'
  report.errors.push({ file: '', message })
}

/** The run compared with the baseline artifact, when the options or the environment name one. */
async function compareWithBaseline(
  report: Report,
  outputFile: string,
  root: string,
  options: ReporterOutputOptions,
): Promise<Comparison | undefined> {
  const baseline = options.baseline ?? (process.env['EVALGATE_BASELINE'] || undefined)
  if (baseline === undefined) return undefined
  const [{ compareReports }, { readReportFile }] = await Promise.all([
    import('../core/compare.js'),
    import('../core/report-file.js'),
  ])
  const file = path.relative(root, path.resolve(root, baseline)) || baseline
  return compareReports(
    { file, report: readReportFile(path.resolve(root, baseline)) },
    { file: path.relative(root, outputFile) || outputFile, report },
    { version: VERSION },
  )
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
