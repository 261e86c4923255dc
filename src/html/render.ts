import { gzipSync } from 'node:zlib'
import { EvalgateError } from '../base/errors.js'
import type { Comparison } from '../core/compare.js'
import type { Report } from '../core/report.js'
import {
  PAGE_SCRIPT,
  PAGE_SCRIPT_SHA256,
  PAGE_STYLE,
  PAGE_STYLE_SHA256,
} from './page-bundle.generated.js'

/**
 * Options of {@link renderHtmlReport} and `writeHtmlReport`.
 *
 * @example
 * ```ts
 * const options: HtmlReportOptions = { title: 'nightly evals', comparison }
 * ```
 */
export interface HtmlReportOptions {
  /** The page's title. Default: `evalgate report`. */
  title?: string | undefined
  /**
   * The report compared with a baseline (`compareReports(baseline, { file, report }, ...)`, the
   * report being the candidate): each eval then shows Δ per metric with its interval and
   * verdict, and the rows that flipped.
   */
  comparison?: Comparison | undefined
}

const escapeText = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * The HTML report of an artifact: one self-contained page (its script, style and the data
 * inline; no network, it opens from `file://`). The data is embedded as gzipped JSON in base64
 * (so no string in it can end its element) and shown as text, never as HTML; a
 * Content-Security-Policy lets only the page's own script and style apply.
 *
 * @example
 * ```ts
 * import { readReportFile } from '../core/report-file.js'
 * const html = renderHtmlReport(readReportFile('evalgate-report.json'), { title: 'PR #12' })
 * ```
 */
export function renderHtmlReport(report: Report, options: HtmlReportOptions = {}): string {
  if (typeof report !== 'object' || report === null || !Array.isArray(report.evals)) {
    throw new EvalgateError(
      'renderHtmlReport: expected an evalgate report (an object with evals[]), received ' +
        (report === null ? 'null' : typeof report),
    )
  }
  const title = options.title ?? 'evalgate report'
  // The data rides as gzip in base64: a tenth of the bytes to store and for the browser to
  // parse as HTML, and an alphabet (A-Z a-z 0-9 + / =) in which nothing can end the element.
  const data = gzipSync(
    JSON.stringify({ report, comparison: options.comparison ?? null, title }),
  ).toString('base64')
  // Only the page's own script and style, by hash; nothing loads from anywhere.
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${PAGE_SCRIPT_SHA256}'`,
    `style-src 'sha256-${PAGE_STYLE_SHA256}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeText(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<noscript>This report needs JavaScript to show its data.</noscript>
<div id="app"></div>
<script type="application/octet-stream" id="evalgate-data" data-encoding="gzip+base64">${data}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`
}
