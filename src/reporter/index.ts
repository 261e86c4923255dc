/**
 * `evalgate/reporter`: the Vitest reporter (default export) that prints per-eval metric tables,
 * writes the JSON artifact and a Markdown summary; plus the artifact's types and the renderers.
 *
 * @packageDocumentation
 */
import { EvalgateReporter } from './vitest.js'

// The artifact's zod schema (`ReportSchema`, `reportJsonSchema`) is exported by `evalgate`: this
// entry is what Vitest loads at start-up, and it loads zod only to explain an invalid report.
export {
  type EvalReport,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportUsage,
} from '../core/report.js'
export {
  type CompareRenderOptions,
  formatP,
  renderComparison,
  renderComparisonMarkdown,
  renderEvalComparison,
} from './compare-render.js'
export { renderMarkdown } from './markdown.js'
export { renderEvalTable, type TableOptions } from './table.js'
export { EvalgateReporter, type EvalgateReporterOptions } from './vitest.js'

export default EvalgateReporter
