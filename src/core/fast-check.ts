import { REPORT_SCHEMA_VERSION } from './report-version.js'

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
function isDataRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) return false
  if (Object.hasOwn(v, '__proto__') || Object.hasOwn(v, 'constructor')) return false
  return Object.getOwnPropertySymbols(v).length === 0
}

/**
 * {@link isDataRecord} for a value `JSON.parse` made: such an object always has
 * `Object.prototype` and never a symbol key, so only the keys zod treats specially are looked at
 * (the reflection that the general test needs costs more than the rest of a row's check).
 */
function isJsonRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  return !Object.hasOwn(v, '__proto__') && !Object.hasOwn(v, 'constructor')
}

/** A copy of a {@link isDataRecord} value, as zod's record parse makes it (same keys, order). */
function copyRecord(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in v) out[key] = v[key]
  return out
}

/**
 * A set of keys that also holds them in the order objects usually have them in (the order the
 * writers create them in, which JSON.parse keeps).
 */
class Keys extends Set<string> {
  readonly order: readonly string[]
  constructor(keys: readonly string[]) {
    super(keys)
    this.order = keys
  }
}

/**
 * Every enumerable key of `v` is in `allowed`; returns how many there are, or -1. Keys in the
 * usual order are matched by position (an identity test of two interned strings); only from
 * the first one out of that order on is each looked up in the set.
 */
function countKeys(v: object, allowed: Keys): number {
  const order = allowed.order
  let n = 0
  let usual = true
  for (const key in v) {
    if (usual && key === order[n]) {
      n++
      continue
    }
    usual = false
    if (!allowed.has(key)) return -1
    n++
  }
  return n
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isString = (v: unknown): v is string => typeof v === 'string'

// ---------------------------------------------------------------------------------------------
// Dataset rows (RowSchema)

const ROW_KEYS = new Keys(['inputs', 'outputs', 'expectations', 'trace', 'id', 'metadata'])

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

const REPORT_ROW_KEYS = new Keys([
  'index',
  'trial',
  'id',
  'inputs',
  'outputs',
  'expectations',
  'metadata',
  'latencyMs',
  'feedback',
  'error',
  'passed',
  'trace',
])
const FEEDBACK_KEYS = new Keys([
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
const ERROR_KEYS = new Keys(['code', 'message', 'stack'])
const SOURCE_KEYS = new Keys(['type', 'id'])
const SOURCE_TYPES: ReadonlySet<unknown> = new Set(['CODE', 'LLM_JUDGE', 'HUMAN'])

/**
 * How a check tells a data record: {@link isDataRecord} for any value, {@link isJsonRecord} for a
 * value `JSON.parse` made (a read artifact).
 */
type RecordTest = (v: unknown) => v is Record<string, unknown>

function isFeedbackError(v: unknown, isRecord: RecordTest): boolean {
  if (!isRecord(v)) return false
  const n = countKeys(v, ERROR_KEYS)
  if (n < 2 || !isString(v.code) || !isString(v.message)) return false
  return n === 2 || isString(v.stack)
}

function isFeedbackSource(v: unknown, isRecord: RecordTest): boolean {
  if (!isRecord(v)) return false
  const n = countKeys(v, SOURCE_KEYS)
  if (n < 1 || !SOURCE_TYPES.has(v.type)) return false
  return n === 1 || isString(v.id)
}

function isFeedbackValue(v: unknown, isRecord: RecordTest): boolean {
  return (
    typeof v === 'boolean' || isString(v) || isFiniteNumber(v) || Array.isArray(v) || isRecord(v)
  )
}

function isReportFeedback(v: unknown, isRecord: RecordTest): boolean {
  if (!isRecord(v) || countKeys(v, FEEDBACK_KEYS) !== FEEDBACK_KEYS.size) return false
  return (
    isString(v.name) &&
    isString(v.scorer) &&
    (v.value === null || isFeedbackValue(v.value, isRecord)) &&
    (v.score === null || isFiniteNumber(v.score)) &&
    (v.passed === null || typeof v.passed === 'boolean') &&
    (v.rationale === null || isString(v.rationale)) &&
    (v.error === null || isFeedbackError(v.error, isRecord)) &&
    (v.source === null || isFeedbackSource(v.source, isRecord)) &&
    (v.metadata === null || isRecord(v.metadata))
  )
}

function isReportRow(v: unknown, isRecord: RecordTest): boolean {
  if (!isRecord(v) || countKeys(v, REPORT_ROW_KEYS) !== REPORT_ROW_KEYS.size) return false
  const { index, id, latencyMs, feedback, error } = v
  if (!(Number.isSafeInteger(index) && (index as number) >= 0)) return false
  if (!(Number.isSafeInteger(v.trial) && (v.trial as number) >= 0)) return false
  if (!(id === null || isString(id) || isFiniteNumber(id))) return false
  if (!isRecord(v.inputs)) return false
  if (!(v.expectations === null || isRecord(v.expectations))) return false
  if (!(v.metadata === null || isRecord(v.metadata))) return false
  if (!(latencyMs === null || (isFiniteNumber(latencyMs) && latencyMs >= 0))) return false
  if (typeof v.passed !== 'boolean') return false
  if (!(error === null || isFeedbackError(error, isRecord))) return false
  if (!Array.isArray(feedback)) return false
  for (const fb of feedback) if (!isReportFeedback(fb, isRecord)) return false
  return true
}

/**
 * Whether a row certainly passes `ReportRowSchema` (exactly the artifact's fields, each of the
 * right type), without zod. `false` means "ask zod", not "invalid".
 */
export function isReportRowFast(v: unknown): boolean {
  return isReportRow(v, isDataRecord)
}

/**
 * {@link isReportRowFast} for a value `JSON.parse` made (a row read from an artifact's text):
 * the same answer, faster.
 */
export function isParsedReportRow(v: unknown): boolean {
  return isReportRow(v, isJsonRecord)
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

// ---------------------------------------------------------------------------------------------
// The whole artifact (ReportSchema)

const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0
const isNullableNumber = (v: unknown): boolean => v === null || isFiniteNumber(v)

/** Exactly `keys` (all present) and nothing else, on a plain data object. */
function hasExactly(v: unknown, keys: Keys): v is Record<string, unknown> {
  return isDataRecord(v) && countKeys(v, keys) === keys.size
}

const USAGE_COUNT_KEYS = new Keys([
  'requests',
  'cacheHits',
  'inputTokens',
  'outputTokens',
  'costUsd',
])
const USAGE_KEYS = new Keys([...USAGE_COUNT_KEYS, 'judges'])

function isUsageCounts(v: Record<string, unknown>): boolean {
  return (
    isCount(v.requests) &&
    isCount(v.cacheHits) &&
    isCount(v.inputTokens) &&
    isCount(v.outputTokens) &&
    (v.costUsd === null || (isFiniteNumber(v.costUsd) && v.costUsd >= 0))
  )
}

function isUsage(v: unknown): boolean {
  if (!hasExactly(v, USAGE_KEYS) || !isUsageCounts(v) || !isDataRecord(v.judges)) return false
  for (const key in v.judges) {
    const j = v.judges[key]
    if (!hasExactly(j, USAGE_COUNT_KEYS) || !isUsageCounts(j)) return false
  }
  return true
}

const METRIC_COUNTS: ReadonlySet<string> = new Set(['count', 'errors', 'unscored', 'skipped'])

function isMetric(v: unknown): boolean {
  if (!isDataRecord(v)) return false
  if (!isCount(v.count) || !isCount(v.errors) || !isCount(v.unscored) || !isCount(v.skipped)) {
    return false
  }
  for (const key in v) {
    if (METRIC_COUNTS.has(key)) continue
    if (key === 'aggregationErrors') {
      const reasons = v[key]
      if (!isDataRecord(reasons)) return false
      for (const name in reasons) if (!isString(reasons[name])) return false
    } else if (key === 'ci') {
      if (v.ci !== null && !isMetricCI(v.ci)) return false
    } else if (key === 'flaky') {
      if (!isCount(v.flaky)) return false
    } else if (!isNullableNumber(v[key])) {
      return false
    }
  }
  return true
}

const CI_KEYS = new Keys(['level', 'method', 'low', 'high'])
const CI_METHODS: ReadonlySet<unknown> = new Set(['t', 'wilson', 'bootstrap'])

function isMetricCI(v: unknown): boolean {
  if (!hasExactly(v, CI_KEYS)) return false
  return (
    isFiniteNumber(v.level) &&
    v.level > 0 &&
    v.level < 1 &&
    CI_METHODS.has(v.method) &&
    isFiniteNumber(v.low) &&
    isFiniteNumber(v.high)
  )
}

const GATE_KEYS = new Keys([
  'key',
  'min',
  'max',
  'confidence',
  'require',
  'actual',
  'bound',
  'passed',
  'reason',
])

function isGate(v: unknown): boolean {
  if (!isDataRecord(v) || countKeys(v, GATE_KEYS) < 0) return false
  return (
    isString(v.key) &&
    (!('min' in v) || isFiniteNumber(v.min)) &&
    (!('max' in v) || isFiniteNumber(v.max)) &&
    (!('require' in v) || v.require === 'plausible') &&
    (!('confidence' in v) ||
      (isFiniteNumber(v.confidence) && v.confidence > 0 && v.confidence < 1)) &&
    isNullableNumber(v.actual) &&
    (!('bound' in v) || isNullableNumber(v.bound)) &&
    (v.passed === null || typeof v.passed === 'boolean') &&
    (!('reason' in v) || isString(v.reason))
  )
}

const EVAL_KEYS = new Keys([
  'name',
  'file',
  'status',
  'trials',
  'trialPassRate',
  'statistics',
  'rows',
  'metrics',
  'thresholds',
  'maxErrors',
  'erroredRows',
  'datasetRows',
  'failures',
  'usage',
])
const EVAL_STATUSES: ReadonlySet<unknown> = new Set(['passed', 'failed', 'skipped', 'partial'])

const STATISTICS_KEYS = new Keys(['confidence', 'method', 'resamples', 'seed'])

function isStatistics(v: unknown): boolean {
  if (!hasExactly(v, STATISTICS_KEYS)) return false
  return (
    isFiniteNumber(v.confidence) &&
    v.confidence > 0 &&
    v.confidence < 1 &&
    (v.method === 't' || v.method === 'bootstrap') &&
    Number.isSafeInteger(v.resamples) &&
    (v.resamples as number) >= 100 &&
    Number.isSafeInteger(v.seed) &&
    (v.seed as number) >= 0
  )
}

/** The eval's fields other than `rows` (each row is checked on its own). */
function isEvalEnvelope(v: unknown): v is Record<string, unknown> & { rows: unknown[] } {
  if (!hasExactly(v, EVAL_KEYS)) return false
  if (!isString(v.name) || !isString(v.file) || !EVAL_STATUSES.has(v.status)) return false
  if (!(Number.isSafeInteger(v.trials) && (v.trials as number) >= 1)) return false
  const rate = v.trialPassRate
  if (!(isFiniteNumber(rate) && rate > 0 && rate <= 1)) return false
  if (!isStatistics(v.statistics)) return false
  if (!Array.isArray(v.rows) || !Array.isArray(v.thresholds) || !Array.isArray(v.failures)) {
    return false
  }
  if (!isCount(v.maxErrors) || !isCount(v.erroredRows) || !isCount(v.datasetRows)) return false
  if (!isDataRecord(v.metrics)) return false
  for (const key in v.metrics) if (!isMetric(v.metrics[key])) return false
  for (const gate of v.thresholds) if (!isGate(gate)) return false
  for (const failure of v.failures) if (!isString(failure)) return false
  return isUsage(v.usage)
}

const REPORT_KEYS = new Keys([
  'schemaVersion',
  'tool',
  'startedAt',
  'durationMs',
  'status',
  'partial',
  'evals',
  'errors',
  'usage',
])
const TOOL_KEYS = new Keys(['name', 'version', 'host', 'hostVersion'])
const HOSTS: ReadonlySet<unknown> = new Set(['vitest', 'jest'])
const FILE_ERROR_KEYS = new Keys(['file', 'message'])

/** `Date.prototype.toISOString`'s own form (UTC, milliseconds), of a real date. */
function isIsoInstant(v: unknown): boolean {
  if (!isString(v) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v)) return false
  const time = Date.parse(v)
  return Number.isFinite(time) && new Date(time).toISOString() === v
}

/**
 * Where a report first fails a fast check that never accepts what `ReportSchema` rejects:
 * `undefined` when the whole report certainly passes, else `'(report)'` for the envelope or
 * `'evals[i].rows[j]'` for a row. A location means "ask zod", not "invalid".
 */
export function reportFastProblem(report: unknown): string | undefined {
  return reportProblem(report, isDataRecord)
}

/**
 * {@link reportFastProblem} for a value `JSON.parse` made (an artifact read from a file): the
 * same answer, faster, since such a value holds no class instance and no symbol key.
 */
export function parsedReportFastProblem(report: unknown): string | undefined {
  return reportProblem(report, isJsonRecord)
}

function reportProblem(report: unknown, isRecord: RecordTest): string | undefined {
  if (!hasExactly(report, REPORT_KEYS)) return '(report)'
  const tool = report.tool
  if (report.schemaVersion !== REPORT_SCHEMA_VERSION || !hasExactly(tool, TOOL_KEYS))
    return '(report)'
  if (tool.name !== 'evalgate' || !isString(tool.version)) return '(report)'
  if (!HOSTS.has(tool.host) || !isString(tool.hostVersion)) return '(report)'
  if (typeof report.partial !== 'boolean') return '(report)'
  if (!isIsoInstant(report.startedAt)) return '(report)'
  if (!isFiniteNumber(report.durationMs) || report.durationMs < 0) return '(report)'
  if (report.status !== 'passed' && report.status !== 'failed') return '(report)'
  if (!Array.isArray(report.errors) || !isUsage(report.usage)) return '(report)'
  for (const e of report.errors) {
    if (!hasExactly(e, FILE_ERROR_KEYS) || !isString(e.file) || !isString(e.message)) {
      return '(report)'
    }
  }
  if (!Array.isArray(report.evals)) return '(report)'
  for (let i = 0; i < report.evals.length; i++) {
    const e: unknown = report.evals[i]
    if (!isEvalEnvelope(e)) return `evals[${i}]`
    for (let j = 0; j < e.rows.length; j++) {
      if (!isReportRow(e.rows[j], isRecord)) return `evals[${i}].rows[${j}]`
    }
  }
  return undefined
}
