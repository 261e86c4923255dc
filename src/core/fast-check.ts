/**
 * Fast paths for the zod schemas on the hot path (rows of a dataset, rows of the artifact).
 * Validating 10k rows through zod costs tens of milliseconds, most of a large eval's overhead.
 * Each check here accepts only what its zod schema accepts, and is tested against it on many
 * generated values; whatever it does not accept (anything invalid, and anything unusual, such as
 * a class instance or a `__proto__` key) goes to zod, which stays the one source of truth and
 * of every error message.
 */

/**
 * A value `z.record(z.string(), z.unknown())` accepts, and that {@link copyRecord} copies exactly
 * as zod does: an object with `Object.prototype` or no prototype, no own symbol keys, and no own
 * `__proto__` or `constructor` key (zod treats those specially).
 */
export function isDataRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) return false
  if (Object.hasOwn(v, '__proto__') || Object.hasOwn(v, 'constructor')) return false
  return Object.getOwnPropertySymbols(v).length === 0
}

/** A copy of a {@link isDataRecord} value, as zod's record parse makes it (same keys, order). */
export function copyRecord(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in v) out[key] = v[key]
  return out
}

/** Every enumerable key of `v` is in `allowed`; returns how many there are, or -1. */
function countKeys(v: object, allowed: ReadonlySet<string>): number {
  let n = 0
  for (const key in v) {
    if (!allowed.has(key)) return -1
    n++
  }
  return n
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isString = (v: unknown): v is string => typeof v === 'string'

// ---------------------------------------------------------------------------------------------
// Dataset rows (RowSchema)

const ROW_KEYS: ReadonlySet<string> = new Set([
  'inputs',
  'outputs',
  'expectations',
  'trace',
  'id',
  'metadata',
])

/**
 * The common dataset row, checked and copied without zod: `RowSchema.parse(value)` with the
 * undefined optional fields dropped, or `undefined` when the row must go through `RowSchema`
 * (it is invalid, unusual, or its stored trace may supply a missing field).
 */
export function fastRow(value: unknown): FastRow | undefined {
  if (!isDataRecord(value) || countKeys(value, ROW_KEYS) < 0) return undefined
  const { inputs, outputs, expectations, trace, id, metadata } = value
  if (!isDataRecord(inputs)) return undefined
  // RowSchema fills a missing `outputs` from a stored trace's root span: zod's job.
  if (outputs === undefined && trace !== undefined && trace !== null) return undefined
  if (expectations !== undefined && !isDataRecord(expectations)) return undefined
  if (metadata !== undefined && !isDataRecord(metadata)) return undefined
  if (id !== undefined && !isString(id) && !isFiniteNumber(id)) return undefined
  // Keys in the schema's order, as zod's output has them.
  const row: FastRow = { inputs: copyRecord(inputs) }
  if (outputs !== undefined) row.outputs = outputs
  if (expectations !== undefined) row.expectations = copyRecord(expectations)
  if (trace !== undefined) row.trace = trace
  if (id !== undefined) row.id = id
  if (metadata !== undefined) row.metadata = copyRecord(metadata)
  return row
}

/** The shape {@link fastRow} returns (`Row` without its type parameters). */
export interface FastRow {
  inputs: Record<string, unknown>
  outputs?: unknown
  expectations?: Record<string, unknown>
  trace?: unknown
  id?: string | number
  metadata?: Record<string, unknown>
}

// ---------------------------------------------------------------------------------------------
// Artifact rows (ReportRowSchema)

const REPORT_ROW_KEYS: ReadonlySet<string> = new Set([
  'index',
  'id',
  'inputs',
  'outputs',
  'expectations',
  'latencyMs',
  'feedback',
  'error',
  'passed',
  'trace',
])
const FEEDBACK_KEYS: ReadonlySet<string> = new Set([
  'name',
  'scorer',
  'value',
  'score',
  'passed',
  'rationale',
  'error',
  'source',
  'metadata',
])
const ERROR_KEYS: ReadonlySet<string> = new Set(['code', 'message', 'stack'])
const SOURCE_KEYS: ReadonlySet<string> = new Set(['type', 'id'])
const SOURCE_TYPES: ReadonlySet<unknown> = new Set(['CODE', 'LLM_JUDGE', 'HUMAN'])

function isFeedbackError(v: unknown): boolean {
  if (!isDataRecord(v)) return false
  const n = countKeys(v, ERROR_KEYS)
  if (n < 2 || !isString(v.code) || !isString(v.message)) return false
  return n === 2 || isString(v.stack)
}

function isFeedbackSource(v: unknown): boolean {
  if (!isDataRecord(v)) return false
  const n = countKeys(v, SOURCE_KEYS)
  if (n < 1 || !SOURCE_TYPES.has(v.type)) return false
  return n === 1 || isString(v.id)
}

function isFeedbackValue(v: unknown): boolean {
  return (
    typeof v === 'boolean' ||
    isString(v) ||
    isFiniteNumber(v) ||
    Array.isArray(v) ||
    isDataRecord(v)
  )
}

function isReportFeedback(v: unknown): boolean {
  if (!isDataRecord(v) || countKeys(v, FEEDBACK_KEYS) !== FEEDBACK_KEYS.size) return false
  return (
    isString(v.name) &&
    isString(v.scorer) &&
    (v.value === null || isFeedbackValue(v.value)) &&
    (v.score === null || isFiniteNumber(v.score)) &&
    (v.passed === null || typeof v.passed === 'boolean') &&
    (v.rationale === null || isString(v.rationale)) &&
    (v.error === null || isFeedbackError(v.error)) &&
    (v.source === null || isFeedbackSource(v.source)) &&
    (v.metadata === null || isDataRecord(v.metadata))
  )
}

/**
 * Whether a row certainly passes `ReportRowSchema` (exactly the artifact's fields, each of the
 * right type), without zod. `false` means "ask zod", not "invalid".
 */
export function isReportRowFast(v: unknown): boolean {
  if (!isDataRecord(v) || countKeys(v, REPORT_ROW_KEYS) !== REPORT_ROW_KEYS.size) return false
  const { index, id, latencyMs, feedback, error } = v
  if (!(Number.isSafeInteger(index) && (index as number) >= 0)) return false
  if (!(id === null || isString(id) || isFiniteNumber(id))) return false
  if (!isDataRecord(v.inputs)) return false
  if (!(v.expectations === null || isDataRecord(v.expectations))) return false
  if (!(latencyMs === null || (isFiniteNumber(latencyMs) && latencyMs >= 0))) return false
  if (typeof v.passed !== 'boolean') return false
  if (!(error === null || isFeedbackError(error))) return false
  if (!Array.isArray(feedback)) return false
  for (const fb of feedback) if (!isReportFeedback(fb)) return false
  return true
}

/**
 * Whether a row has exactly the artifact's fields, in itself and in each feedback entry, none of
 * them `undefined` (which JSON drops): such a RowResult needs no copy to become a report row.
 * Says nothing about the types (see {@link isReportRowFast}).
 */
export function isReportRowShape(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false
  if (countKeys(v, REPORT_ROW_KEYS) !== REPORT_ROW_KEYS.size) return false
  const { outputs, trace, feedback } = v as Record<string, unknown>
  if (outputs === undefined || trace === undefined || !Array.isArray(feedback)) return false
  for (const fb of feedback) {
    if (typeof fb !== 'object' || fb === null) return false
    if (countKeys(fb, FEEDBACK_KEYS) !== FEEDBACK_KEYS.size) return false
  }
  return true
}
