import { writeFileSync } from 'node:fs'
import { EvalgateError } from '../base/errors.js'
import { compareReports } from '../core/compare.js'
import { parseDirections, parseMargins } from '../core/compare-options.js'
import { ComparisonSchema } from '../core/compare-schema.js'
import { readReportFile } from '../core/report-file.js'
import { renderComparison, renderComparisonMarkdown } from '../reporter/compare-render.js'
import { VERSION } from '../reporter/version.js'
import { appendMarkdown } from '../reporter/write.js'
import { type CliIO, EXIT } from './io.js'

/** `--confidence`: a number strictly between 0 and 1. */
function level(text: string): number {
  const value = Number(text)
  if (text.trim() === '' || !(value > 0 && value < 1)) {
    throw new EvalgateError(
      `--confidence: expected a level strictly between 0 and 1 (e.g. 0.95), received ${JSON.stringify(text)}`,
    )
  }
  return value
}

/**
 * `evalgate compare <baseline> <candidate>`: the comparison in the terminal (or Markdown on
 * stdout with a bare `--markdown`), Markdown to a file and to `$GITHUB_STEP_SUMMARY` when set,
 * JSON with `--json`. Exits 1 on a regression with `--fail-on-regression`, else 0.
 */
export function compareCommand(
  baselineFile: string,
  candidateFile: string,
  options: {
    eval?: string
    confidence: string
    margin?: string[] | undefined
    direction?: string[] | undefined
    markdown?: string | true
    json?: string
    failOnRegression?: boolean
  },
  io: CliIO,
): number {
  const confidence = level(options.confidence)
  const margins = parseMargins(options.margin ?? [])
  const directions = parseDirections(options.direction ?? [])
  const comparison = compareReports(
    { file: baselineFile, report: readReportFile(baselineFile) },
    { file: candidateFile, report: readReportFile(candidateFile) },
    { version: VERSION, confidence, margins, directions, eval: options.eval },
  )
  const markdown = renderComparisonMarkdown(comparison)
  if (options.markdown === true) io.out(markdown)
  else io.out(`${renderComparison(comparison, { color: io.color, width: io.width })}\n`)
  if (typeof options.markdown === 'string') writeFileSync(options.markdown, markdown)
  const summary = io.env['GITHUB_STEP_SUMMARY']
  if (summary) appendMarkdown(summary, markdown)
  if (options.json !== undefined) {
    // Checked against the schema it is published with, so the two never disagree.
    ComparisonSchema.parse(comparison)
    writeFileSync(options.json, `${JSON.stringify(comparison, null, 2)}\n`)
  }
  return options.failOnRegression === true && comparison.regression ? EXIT.failed : EXIT.ok
}
