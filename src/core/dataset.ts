import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import type { z } from 'zod'
import { describeValue, EvalgateError } from '../base/errors.js'
import { isPlainObject, isThenable } from '../base/values.js'
import { lazySchema, loadZod } from '../base/zod.js'
import { asTrace, traceJsonProblem } from '../trace/trace.js'
import { fastRow } from './fast-check.js'
import type { Row } from './row.js'

export type { Row } from './row.js'

const FIELDS = ['inputs', 'outputs', 'expectations', 'trace', 'id', 'metadata'] as const

/**
 * The zod schema of a {@link Row}: a strict object (unknown keys are rejected, so a typo such as
 * `expectation` is an error, not a silently ignored field). `inputs`, `expectations` and `metadata`
 * are plain objects; `id` is a string or a finite number. A row with a stored `trace` (a valid
 * trace JSON or a `Trace`) may omit `inputs` (when the root span's inputs are an object) and
 * `outputs`: the parsed row gets them from the trace's root span.
 *
 * @example
 * ```ts
 * RowSchema.parse({ inputs: { question: 'Hi' }, id: 1 })     // ok
 * RowSchema.safeParse({ inputs: ['Hi'] }).success             // false
 * RowSchema.parse({ trace: storedTraceJson }).inputs          // the root span's inputs
 * ```
 */
export const RowSchema = lazySchema(buildRowSchema)

function buildRowSchema() {
  const { z } = loadZod()
  return z.preprocess(
    fromRootSpan,
    z.strictObject({
      inputs: z.record(z.string(), z.unknown()),
      outputs: z.unknown().optional(),
      expectations: z.record(z.string(), z.unknown()).optional(),
      trace: z.unknown().optional(),
      // zod v4 numbers are finite: NaN and ±Infinity are rejected.
      id: z.union([z.string(), z.number()]).optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    }),
  )
}

/** A row missing `inputs` or `outputs`, with them filled from its stored trace's root span. */
function fromRootSpan(value: unknown): unknown {
  if (!isPlainObject(value)) return value
  const { trace, inputs, outputs } = value
  if (trace === undefined || trace === null || (inputs !== undefined && outputs !== undefined)) {
    return value
  }
  const root = asTrace(trace)?.rootSpan
  if (root === undefined || root === null) return value
  const filled = { ...value }
  if (inputs === undefined && isPlainObject(root.inputs)) filled.inputs = root.inputs
  if (outputs === undefined && root.outputs !== null && root.outputs !== undefined) {
    filled.outputs = root.outputs
  }
  return filled
}

/** Why a row's `trace` could not supply its missing `inputs`. */
function whyNoInputsFromTrace(trace: unknown): string {
  const problem = traceJsonProblem(trace)
  if (problem !== undefined && asTrace(trace) === undefined) {
    return `its "trace" is not a valid trace (${problem})`
  }
  const root = asTrace(trace)?.rootSpan
  if (root === undefined || root === null) return 'its "trace" has no root span'
  return `its trace's root span inputs are not an object (received ${describeValue(root.inputs)})`
}

/**
 * Where rows come from: a file path (`.jsonl`, `.json` or `.csv`), an array, a sync or async
 * iterable, or a function returning one of those (or a promise of one). A function is called
 * once, with the directory relative paths resolve against (`{ root }`; `fromReport` uses it).
 *
 * @example
 * ```ts
 * const fromFile: DataSource = 'fixtures/qa.jsonl'
 * const fromArray: DataSource = [{ inputs: { question: 'Hi' } }]
 * const fromApi: DataSource = async () => (await fetchCases()).map((c) => ({ inputs: c }))
 * ```
 */
export type DataSource<R extends Row = Row> =
  | string
  | readonly R[]
  | Iterable<R>
  | AsyncIterable<R>
  | ((
      context: DataSourceContext,
    ) =>
      | readonly R[]
      | Iterable<R>
      | AsyncIterable<R>
      | Promise<readonly R[] | Iterable<R> | AsyncIterable<R>>)

/**
 * What a function {@link DataSource} is called with.
 *
 * @example
 * ```ts
 * const rows: DataSource = ({ root }) => readRows(path.join(root, 'cases'))
 * ```
 */
export interface DataSourceContext {
  /** The directory relative paths resolve against (the Vitest root in describeEval). */
  root: string
}

/**
 * Options of {@link loadDataset}.
 *
 * @example
 * ```ts
 * await loadDataset('qa.jsonl', { root: path.join(import.meta.dirname, 'fixtures') })
 * ```
 */
export interface LoadOptions {
  /** The directory relative file paths resolve against (default `process.cwd()`). */
  root?: string
}

/**
 * Loads a dataset and validates every row before returning, so bad rows throw one
 * {@link EvalgateError} before any row runs. It names the file, and the line or index and the
 * field of every bad row: one bad row as `file line 3: "inputs" is required`; several as
 * `file has N invalid rows:` then one line each (`  line 3: ...`), the first 20, then
 * `  ... and N more`. The whole source is read to count them (a stream is read to its end).
 *
 * - `.jsonl`: one JSON object per line, streamed line by line; blank lines are skipped (they still
 *   count for line numbers).
 * - `.json`: a JSON array of rows.
 * - `.csv`: a header row is required. Columns are `inputs.<name>`, `outputs`,
 *   `expectations.<name>`, `id` and `metadata.<name>`; `inputs.<name>` is required. Cell values
 *   stay strings exactly as in the file: there is no type guessing (`"42"` stays `"42"`, `""`
 *   stays `""`), except that an empty `id` cell means the row has no id. Blank lines are skipped.
 * - Arrays, iterables and async iterables are consumed fully; a function is called once.
 *
 * Rows are returned in order, as validated by {@link RowSchema}. A duplicate id (compared as
 * strings, since ids name tests) is a bad row; an empty dataset is an error. Only the {@link Row} shape is
 * checked: the type parameter `R` is the caller's promise about `inputs` and `expectations`.
 *
 * @example
 * ```ts
 * const rows = await loadDataset<Row<{ question: string }>>('fixtures/qa.jsonl')
 * // evalgate: fixtures/qa.jsonl line 3: "inputs" is required
 * // or, with several bad rows:
 * // evalgate: fixtures/qa.jsonl has 2 invalid rows:
 * //   line 3: "inputs" is required
 * //   line 7: duplicate id "q1" (first at line 2)
 * ```
 */
export async function loadDataset<R extends Row = Row>(
  source: DataSource<R>,
  options: LoadOptions = {},
): Promise<R[]> {
  const root = options.root ?? process.cwd()
  if (typeof source === 'string') return (await loadFile(source, root)) as R[]
  const rows = await loadInMemory(source, root)
  if (rows.length === 0) throw new EvalgateError('data: the dataset has no rows')
  return rows as R[]
}

/**
 * Reads a `.csv` file synchronously into a row checker (csv-sync.ts's `readCsvSync`): passed in
 * by dataset-sync.ts, so that csv-parse is loaded only by the hosts that need a synchronous
 * loader, and by the others only when a `.csv` dataset is loaded.
 */
export type SyncCsvReader = (
  resolved: string,
  file: string,
  sink: {
    add(row: Row, line: number): void
    problem(line: number, message: string, cause?: unknown): void
  },
) => void

/**
 * The synchronous form of {@link loadDataset} (exported as `loadDatasetSync` by
 * dataset-sync.ts, with the CSV reader), for hosts whose suites must be defined
 * synchronously (Jest's `describe` callbacks cannot await): a `.jsonl`, `.json` or `.csv` path
 * (read with `readFileSync`), an array, a sync iterable, or a function returning one of those.
 * Rows, validation and error messages are exactly {@link loadDataset}'s. A source that can only
 * be read asynchronously (a promise, an async iterable, an async function) is an
 * {@link EvalgateError} that says how to load it first.
 *
 * @example
 * ```ts
 * const rows = loadDatasetSync('fixtures/qa.jsonl', { root: process.cwd() })
 * // an async source: load it first, in an ESM test file's top level
 * const cases = await loadDataset(fetchCases)
 * ```
 */
export function loadDatasetSyncWith<R extends Row = Row>(
  source: DataSource<R>,
  options: LoadOptions,
  readCsv: SyncCsvReader,
): R[] {
  const root = options.root ?? process.cwd()
  if (typeof source === 'string') return loadFileSync(source, root, readCsv) as R[]
  const rows = loadInMemorySync(source, root)
  if (rows.length === 0) throw new EvalgateError('data: the dataset has no rows')
  return rows as R[]
}

/**
 * Validates rows that are already in memory and returns the validated objects, in order. Every
 * bad row is reported in one {@link EvalgateError}: a single one as `where(index): problem`,
 * several as `label has N invalid rows:` followed by one `where(index): problem` line each (the
 * first 20, then how many more). Duplicate ids are problems naming both locations. An empty
 * array is returned as is (emptiness is the caller's call).
 *
 * @example
 * ```ts
 * validateRows([{ inputs: { q: 'a' } }, { inputs: [] }], (i) => `data[${i}]`)
 * // evalgate: data[1]: "inputs" must be an object, received an array of length 0
 * validateRows([null, { inputs: [] }], (i) => `cases[${i}]`, 'cases')
 * // evalgate: cases has 2 invalid rows:
 * //   cases[0]: a row must be an object { inputs, outputs?, expectations?, ... }, received null
 * //   cases[1]: "inputs" must be an object, received an array of length 0
 * ```
 */
export function validateRows<R extends Row>(
  rows: readonly unknown[],
  where: (index: number) => string,
  label = 'data',
): R[] {
  const checker = new RowChecker(label, where, where)
  for (let index = 0; index < rows.length; index++) checker.add(rows[index], index)
  return checker.finish() as R[]
}

// ---------------------------------------------------------------------------------------------
// Row validation

const OPTIONAL_FIELDS = ['outputs', 'expectations', 'trace', 'id', 'metadata'] as const

const EXPECTED: Record<string, string> = {
  inputs: 'an object',
  expectations: 'an object',
  metadata: 'an object',
  id: 'a string or a finite number',
}

/** How many problems one error lists; the rest are counted. */
const SHOWN_PROBLEMS = 20

interface Problem {
  key: number
  message: string
  cause: unknown
}

/**
 * Validates the rows of one dataset as they arrive and collects them, or collects what is wrong
 * with them: every bad row is a problem (located by its line or index), and {@link finish}
 * reports them all in one error, so a user fixes a file in one pass rather than one run per row.
 * `full(key)` renders a location on its own (`fixtures/qa.jsonl line 3`), `short(key)` the same
 * location under a heading that already names the source (`line 3`).
 */
class RowChecker {
  private readonly rows: Row[] = []
  private readonly seen = new Map<string, number>()
  private readonly problems: Problem[] = []
  private count = 0

  constructor(
    private readonly label: string,
    private readonly full: (key: number) => string,
    private readonly short: (key: number) => string,
  ) {}

  /** Validates one row; a valid one is kept, a bad one becomes a problem. */
  add(value: unknown, key: number): void {
    // The common row needs no zod (see fast-check.ts); anything else goes through RowSchema.
    const row = (fastRow(value) as Row | undefined) ?? this.parse(value, key)
    if (row === undefined) return
    if (row.id !== undefined) {
      const id = String(row.id)
      const first = this.seen.get(id)
      if (first !== undefined) {
        this.problem(key, `duplicate id ${describeValue(row.id)} (first at ${this.short(first)})`)
        return
      }
      this.seen.set(id, key)
    }
    // Once a row is bad the dataset is refused: the rest are only checked, not kept.
    if (this.count === 0) this.rows.push(row)
  }

  /** Records a problem the loader found itself (invalid JSON, a wrong column count). */
  problem(key: number, message: string, cause?: unknown): void {
    this.count++
    if (this.problems.length < SHOWN_PROBLEMS) this.problems.push({ key, message, cause })
  }

  /** The valid rows, in order; or every problem found, thrown as one {@link EvalgateError}. */
  finish(): Row[] {
    const first = this.problems[0]
    if (first === undefined) return this.rows
    const options = first.cause === undefined ? undefined : { cause: first.cause }
    if (this.count === 1) {
      throw new EvalgateError(`${this.full(first.key)}: ${first.message}`, options)
    }
    const lines = this.problems.map((p) => `  ${this.short(p.key)}: ${p.message}`)
    if (this.count > SHOWN_PROBLEMS) lines.push(`  ... and ${this.count - SHOWN_PROBLEMS} more`)
    throw new EvalgateError(
      `${this.label} has ${this.count} invalid rows:\n${lines.join('\n')}`,
      options,
    )
  }

  /** `RowSchema.parse`, or `undefined` with the problem recorded. */
  private parse(value: unknown, key: number): Row | undefined {
    const result = RowSchema.safeParse(value)
    if (result.success) return withoutUndefined(result.data as Row)
    // Messages are only built for the problems shown: a file of 100k bad rows stays cheap.
    if (this.problems.length >= SHOWN_PROBLEMS) this.count++
    else {
      const sentences = result.error.issues.map((issue) => describeIssue(issue, value))
      this.problem(key, sentences.join('; '))
    }
    return undefined
  }
}

/** `{ expectations: undefined }` is common in JS: drop the key so rows match `Row` exactly. */
function withoutUndefined(row: Row): Row {
  for (const field of OPTIONAL_FIELDS) {
    if (field in row && row[field] === undefined) delete row[field]
  }
  return row
}

function describeIssue(issue: z.core.$ZodIssue, row: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ')
    const plural = issue.keys.length === 1 ? '' : 's'
    return `unknown field${plural} ${keys} (allowed: ${FIELDS.join(', ')})`
  }
  const [field, ...rest] = issue.path
  if (field === undefined) {
    return `a row must be an object { inputs, outputs?, expectations?, ... }, received ${describeValue(row)}`
  }
  const received = valueAt(row, issue.path)
  const expected =
    typeof field === 'string' && rest.length === 0 && Object.hasOwn(EXPECTED, field)
      ? EXPECTED[field]
      : undefined
  if (expected === undefined) return `"${issue.path.map(String).join('.')}": ${issue.message}`
  if (field === 'inputs' && received === undefined) {
    const trace = isPlainObject(row) ? row.trace : undefined
    if (trace === undefined || trace === null) return '"inputs" is required'
    return `"inputs" is required: ${whyNoInputsFromTrace(trace)}`
  }
  return `"${String(field)}" must be ${expected}, received ${describeValue(received)}`
}

function valueAt(value: unknown, keys: readonly PropertyKey[]): unknown {
  let current = value
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

// ---------------------------------------------------------------------------------------------
// In-memory sources

const dataAt = (index: number) => `data[${index}]`

async function loadInMemory(source: unknown, root: string): Promise<Row[]> {
  if (Array.isArray(source)) return validateRows(source, dataAt)
  if (typeof source === 'function') {
    let result: unknown
    try {
      result = await source({ root } satisfies DataSourceContext)
    } catch (error) {
      throw sourceThrew(error)
    }
    if (Array.isArray(result)) return validateRows(result, dataAt)
    if (isIterable(result)) return fromIterable(result)
    throw new EvalgateError(
      `data: the data function must return an array, an iterable or an async iterable of rows (or a promise of one), received ${describeValue(result)}`,
    )
  }
  if (isIterable(source)) return fromIterable(source)
  throw new EvalgateError(
    `data must be a file path, an array of rows, an iterable, an async iterable or a function returning one, received ${describeValue(source)}`,
  )
}

function loadInMemorySync(source: unknown, root: string): Row[] {
  if (Array.isArray(source)) return validateRows(source, dataAt)
  let value = source
  if (typeof source === 'function') {
    try {
      value = source({ root } satisfies DataSourceContext)
    } catch (error) {
      throw sourceThrew(error)
    }
    if (Array.isArray(value)) return validateRows(value, dataAt)
  }
  if (isThenable(value) || isAsyncIterable(value)) {
    // A rejected promise would otherwise be reported as unhandled.
    if (isThenable(value)) Promise.resolve(value).catch(() => undefined)
    const what = isThenable(value)
      ? 'the data function returned a promise'
      : typeof source === 'function'
        ? 'the data function returned an async iterable'
        : 'data is an async iterable'
    throw new EvalgateError(
      `data: ${what}, but this host defines its tests synchronously (Jest's describe callbacks cannot await). Load the rows first, e.g. \`const rows = await loadDataset(source)\` at the top level of an ESM test file, then pass \`data: rows\`; or use a file path (.jsonl, .json, .csv)`,
    )
  }
  if (isIterable(value)) return fromIterableSync(value as Iterable<unknown>)
  if (typeof source === 'function') {
    throw new EvalgateError(
      `data: the data function must return an array, an iterable or an async iterable of rows (or a promise of one), received ${describeValue(value)}`,
    )
  }
  throw new EvalgateError(
    `data must be a file path, an array of rows, an iterable, an async iterable or a function returning one, received ${describeValue(source)}`,
  )
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  )
}

function fromIterableSync(source: Iterable<unknown>): Row[] {
  const checker = new RowChecker('data', dataAt, dataAt)
  let iterator: Iterator<unknown>
  try {
    iterator = source[Symbol.iterator]()
  } catch (error) {
    throw sourceThrew(error)
  }
  for (let index = 0; ; index++) {
    let step: IteratorResult<unknown>
    try {
      step = iterator.next()
    } catch (error) {
      throw sourceThrew(error)
    }
    if (step.done) return checker.finish()
    try {
      checker.add(step.value, index)
    } catch (error) {
      try {
        iterator.return?.()
      } catch {
        // The add's error is the one to report.
      }
      throw error
    }
  }
}

function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  // A string is iterable (over its characters) but never a list of rows.
  if (typeof value !== 'object' || value === null) return false
  return (
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function' ||
    typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
  )
}

async function fromIterable(source: Iterable<unknown> | AsyncIterable<unknown>): Promise<Row[]> {
  const checker = new RowChecker('data', dataAt, dataAt)
  let iterator: Iterator<unknown> | AsyncIterator<unknown>
  try {
    iterator =
      Symbol.asyncIterator in source
        ? source[Symbol.asyncIterator]()
        : (source as Iterable<unknown>)[Symbol.iterator]()
  } catch (error) {
    throw sourceThrew(error)
  }
  for (let index = 0; ; index++) {
    let step: IteratorResult<unknown>
    // Only the source's own failures are wrapped; bad rows are collected and reported together.
    try {
      step = await iterator.next()
    } catch (error) {
      throw sourceThrew(error)
    }
    if (step.done) return checker.finish()
    try {
      checker.add(step.value, index)
    } catch (error) {
      // Let a generator run its `finally` (close files, connections) before we report.
      await Promise.resolve(iterator.return?.()).catch(() => undefined)
      throw error
    }
  }
}

function sourceThrew(error: unknown): EvalgateError {
  // Our own errors (e.g. from fromReport) already say what is wrong with the data.
  if (error instanceof EvalgateError) return error
  return new EvalgateError(`data: the data source threw: ${messageOf(error)}`, { cause: error })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : describeValue(error)
}

// ---------------------------------------------------------------------------------------------
// Files

type Loader = (resolved: string, file: string) => Promise<Row[]>

const LOADERS: Record<string, Loader> = { '.jsonl': loadJsonl, '.json': loadJson, '.csv': loadCsv }

/** CSV: csv-parse is loaded only when a `.csv` dataset is, so other evals never pay for it. */
async function loadCsv(resolved: string, file: string): Promise<Row[]> {
  const { readCsv } = await import('./csv.js')
  const checker = byLine(file)
  await readCsv(resolved, file, checker)
  return checker.finish()
}

/** The file's loader key (its extension), or an error naming the extensions supported. */
function extensionOf(file: string): '.jsonl' | '.json' | '.csv' {
  const extension = path.extname(file).toLowerCase()
  if (extension === '.jsonl' || extension === '.json' || extension === '.csv') return extension
  const got = extension === '' ? 'has no extension' : `has extension "${extension}"`
  throw new EvalgateError(
    `${file}: unsupported dataset file, it ${got} (supported: ${Object.keys(LOADERS).join(', ')})`,
  )
}

function statFailed(file: string, root: string, error: unknown): EvalgateError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new EvalgateError(
      `dataset file not found: ${file} (resolved against ${path.resolve(root)})`,
      { cause: error },
    )
  }
  return cannotRead(file, error)
}

function checkStats(file: string, resolved: string, stats: fs.Stats): void {
  // Not `isFile()`: a named pipe or /dev/stdin is a fine stream of rows.
  if (stats.isDirectory()) {
    throw new EvalgateError(`${file}: is a directory, not a dataset file (resolved to ${resolved})`)
  }
}

function checkNotEmpty(file: string, rows: Row[]): Row[] {
  if (rows.length === 0) throw new EvalgateError(`${file}: the dataset has no rows`)
  return rows
}

async function loadFile(file: string, root: string): Promise<Row[]> {
  const loader = LOADERS[extensionOf(file)]!
  const resolved = path.resolve(root, file)
  let stats: fs.Stats
  try {
    stats = await fs.promises.stat(resolved)
  } catch (error) {
    throw statFailed(file, root, error)
  }
  checkStats(file, resolved, stats)
  let rows: Row[]
  try {
    rows = await loader(resolved, file)
  } catch (error) {
    throw error instanceof EvalgateError ? error : cannotRead(file, error)
  }
  return checkNotEmpty(file, rows)
}

function loadFileSync(file: string, root: string, readCsv: SyncCsvReader): Row[] {
  const extension = extensionOf(file)
  const resolved = path.resolve(root, file)
  let stats: fs.Stats
  try {
    stats = fs.statSync(resolved)
  } catch (error) {
    throw statFailed(file, root, error)
  }
  checkStats(file, resolved, stats)
  let rows: Row[]
  try {
    if (extension === '.csv') {
      const checker = byLine(file)
      readCsv(resolved, file, checker)
      rows = checker.finish()
    } else {
      const text = fs.readFileSync(resolved, 'utf8')
      rows = extension === '.json' ? parseJson(text, file) : parseJsonl(text, file)
    }
  } catch (error) {
    throw error instanceof EvalgateError ? error : cannotRead(file, error)
  }
  return checkNotEmpty(file, rows)
}

function cannotRead(file: string, error: unknown): EvalgateError {
  return new EvalgateError(`${file}: cannot read the dataset file (${messageOf(error)})`, {
    cause: error,
  })
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

const BLANK = /^\s*$/

function byLine(file: string): RowChecker {
  return new RowChecker(
    file,
    (line) => `${file} line ${line}`,
    (line) => `line ${line}`,
  )
}

/** One physical line of a `.jsonl` file (1-based `line`), checked into `checker`. */
function jsonlLine(checker: RowChecker, raw: string, line: number): void {
  const text = line === 1 ? stripBom(raw) : raw
  if (BLANK.test(text)) return
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    checker.problem(line, `invalid JSON (${messageOf(error)})`, error)
    return
  }
  checker.add(value, line)
}

async function loadJsonl(resolved: string, file: string): Promise<Row[]> {
  const checker = byLine(file)
  const input = fs.createReadStream(resolved, { encoding: 'utf8' })
  // crlfDelay: Infinity makes a \r\n split across two chunks one line break, not two.
  const lines = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
  let line = 0
  try {
    for await (const raw of lines) jsonlLine(checker, raw, ++line)
  } finally {
    lines.close()
    input.destroy()
  }
  return checker.finish()
}

/** A whole `.jsonl` text, split into lines as node:readline splits them (\r\n, \n or \r). */
function parseJsonl(text: string, file: string): Row[] {
  const checker = byLine(file)
  const lines = text.split(/\r\n|\n|\r/)
  // readline emits no line after a final line break.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  for (let i = 0; i < lines.length; i++) jsonlLine(checker, lines[i]!, i + 1)
  return checker.finish()
}

async function loadJson(resolved: string, file: string): Promise<Row[]> {
  return parseJson(await fs.promises.readFile(resolved, 'utf8'), file)
}

function parseJson(content: string, file: string): Row[] {
  const text = stripBom(content)
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const message = messageOf(error)
    // V8 reports "... at position N": turn it into a line, as for the other formats.
    const position = /at position (\d+)/.exec(message)?.[1]
    const where = position === undefined ? '' : ` line ${lineOf(text, Number(position))}`
    throw new EvalgateError(`${file}${where}: invalid JSON (${message})`, { cause: error })
  }
  if (!Array.isArray(data)) {
    throw new EvalgateError(
      `${file}: a .json dataset must be an array of rows, received ${describeValue(data)}`,
    )
  }
  const checker = new RowChecker(
    file,
    (index) => `${file} index ${index}`,
    (index) => `index ${index}`,
  )
  for (let index = 0; index < data.length; index++) checker.add(data[index], index)
  return checker.finish()
}

function lineOf(text: string, position: number): number {
  let line = 1
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}
