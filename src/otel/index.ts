/**
 * `evalgate/otel`: an OpenTelemetry span processor that feeds the spans of each evalgate row
 * (GenAI semantic conventions included) into the row's trace. `@opentelemetry/api` and
 * `@opentelemetry/sdk-trace-base` are optional peer dependencies: this entry only uses their
 * types, so it loads without them.
 *
 * @packageDocumentation
 */
export {
  EvalgateSpanProcessor,
  GEN_AI_OPERATION_TYPES,
  SPAN_TYPE_ATTRIBUTE,
} from './processor.js'
