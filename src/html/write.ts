import { randomBytes } from 'node:crypto'
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Report } from '../core/report.js'
import { type HtmlReportOptions, renderHtmlReport } from './render.js'

/**
 * Where the HTML report of a JSON artifact goes by default: beside it, with `.html` for its
 * `.json` (or `.html` added).
 *
 * @example
 * ```ts
 * htmlPathFor('reports/evalgate-report.json') // 'reports/evalgate-report.html'
 * ```
 */
export function htmlPathFor(jsonFile: string): string {
  return `${jsonFile.replace(/\.json$/i, '')}.html`
}

/**
 * Writes the HTML report of `report` to `file` atomically: a temporary file in the same
 * directory, renamed over the target, so a reader (a browser, a CI artifact upload) never sees
 * half a page and a failed write leaves the previous report as it was. Creates the directory.
 * Returns the absolute path written.
 *
 * @example
 * ```ts
 * writeHtmlReport(readReportFile('evalgate-report.json'), 'evalgate-report.html')
 * ```
 */
export function writeHtmlReport(
  report: Report,
  file: string,
  options: HtmlReportOptions = {},
): string {
  const html = renderHtmlReport(report, options)
  const target = path.resolve(file)
  const dir = path.dirname(target)
  mkdirSync(dir, { recursive: true })
  // Same directory as the target: rename is atomic only within one file system.
  const tmp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
  try {
    writeFileSync(tmp, html)
    renameSync(tmp, target)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
  return target
}
