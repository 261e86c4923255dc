/**
 * `evalgate/reporter`: the Vitest reporter (default export) that prints per-eval metric tables,
 * writes the JSON artifact and a Markdown summary; plus the artifact's schema and the renderers.
 *
 * @packageDocumentation
 */
import { EvalgateReporter } from './vitest.js'

export {
  type EvalReport,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportUsage,
} from '../core/report.js'
export { ReportSchema, toJSONSchema as reportJsonSchema } from '../core/report-schema.js'
export { renderMarkdown } from './markdown.js'
export { renderEvalTable, type TableOptions } from './table.js'
export { EvalgateReporter, type EvalgateReporterOptions } from './vitest.js'

export default EvalgateReporter
