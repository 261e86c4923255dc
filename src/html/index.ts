// The static HTML report: one self-contained page per artifact (API.md "The HTML report").
export { type HtmlReportOptions, renderHtmlReport } from './render.js'
export { writeHtmlReport } from './write.js'
