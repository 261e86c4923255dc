// The trace model and its capture; re-exported by the `evalgate` entry.

export type { TruncatedValue } from '../base/json.js'
export {
  type CaptureTraceOptions,
  captureTrace,
  getCurrentTrace,
  withoutTracing,
} from './context.js'
export { type InstrumentOpenAIOptions, instrumentOpenAI } from './openai.js'
export { SPAN_TYPES, type Span, type SpanStatus, type SpanType } from './span.js'
export {
  type SpanFilter,
  type SpanJSON,
  TRACE_MAX_VALUE_BYTES,
  Trace,
  type TraceJSON,
  type TraceJSONOptions,
  TraceJSONSchema,
} from './trace.js'
export {
  type SpanHandle,
  type StartSpanOptions,
  startSpan,
  type TracedOptions,
  traced,
} from './traced.js'
