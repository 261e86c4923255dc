// The static HTML report: one self-contained page per artifact (API.md "The HTML report").
export { type HtmlReportOptions, renderHtmlReport } from './render.js'
export { htmlPathFor, writeHtmlReport } from './write.js'
