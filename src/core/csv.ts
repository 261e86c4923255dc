import fs from 'node:fs'
import { CsvError, type Options as CsvOptions, type InfoRecord, parse } from 'csv-parse'
import { EvalgateError } from '../base/errors.js'
import type { Row } from './dataset.js'

type Column =
  | { target: 'inputs' | 'expectations' | 'metadata'; key: string }
  | { target: 'outputs' }
  | { target: 'id' }

interface CsvRecord {
  line: number
  cells: string[]
}

const ALLOWED_COLUMNS = '"inputs.<name>", "outputs", "expectations.<name>", "id", "metadata.<name>"'

/**
 * Reads a `.csv` dataset: a header row naming the columns (`inputs.<name>`, `outputs`,
 * `expectations.<name>`, `id`, `metadata.<name>`), then one row per record, each passed to
 * `check` with its physical line number (which validates it, or throws naming the line).
 */
export async function readCsv(
  resolved: string,
  file: string,
  check: (row: Row, line: number) => Row,
): Promise<Row[]> {
  // csv-parse's own line counter counts a \r\n inside a quoted cell twice, so we count physical
  // lines ourselves from each record's raw text. `on_record` runs synchronously while parsing,
  // so `nextLine` is exact even when a parse error discards records not yet read from the stream.
  let nextLine = 1
  const onRecord = (entry: { record: string[] }, context: InfoRecord): CsvRecord => {
    const breaks = countLineBreaks(context.raw ?? '')
    const line = nextLine + breaks.leading
    nextLine += breaks.total
    return { line, cells: entry.record }
  }
  const options: CsvOptions = {
    bom: true,
    raw: true,
    skip_empty_lines: true,
    // We check the column count ourselves, to report it with the right line.
    relax_column_count: true,
    // With `raw: true` the record handed to `on_record` is `{ record, raw }`, not `string[]`.
    on_record: onRecord as unknown as NonNullable<CsvOptions['on_record']>,
  }
  const parser = parse(options)
  const input = fs.createReadStream(resolved)
  input.on('error', (error) => parser.destroy(error))
  input.pipe(parser)
  const rows: Row[] = []
  let columns: Column[] | undefined
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      if (columns === undefined) {
        columns = parseHeader(record.cells, file)
        continue
      }
      if (record.cells.length !== columns.length) {
        throw new EvalgateError(
          `${file} line ${record.line}: the row has ${count(record.cells.length, 'column')}, the header has ${columns.length}`,
        )
      }
      rows.push(check(csvRow(columns, record.cells), record.line))
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const raw = typeof error['raw'] === 'string' ? error['raw'] : ''
      const line = nextLine + countLineBreaks(raw).leading
      throw new EvalgateError(`${file} line ${line}: invalid CSV (${error.message})`, {
        cause: error,
      })
    }
    throw error
  } finally {
    input.destroy()
    parser.destroy()
  }
  if (columns === undefined) {
    throw new EvalgateError(
      `${file}: the file is empty; a header row naming the columns is required (e.g. inputs.question,expectations.expected_response)`,
    )
  }
  return rows
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

/** Line breaks (`\r\n`, `\n` or a lone `\r`, as node:readline counts them) in a raw record. */
function countLineBreaks(raw: string): { leading: number; total: number } {
  let total = 0
  let leading = -1
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i)
    if (code === 13) {
      total++
      if (raw.charCodeAt(i + 1) === 10) i++
    } else if (code === 10) {
      total++
    } else if (leading === -1) {
      leading = total
    }
  }
  return { leading: leading === -1 ? total : leading, total }
}

function parseHeader(cells: readonly string[], file: string): Column[] {
  const seen = new Set<string>()
  const columns = cells.map((cell): Column => {
    const name = cell.trim()
    if (seen.has(name)) throw new EvalgateError(`${file}: duplicate column "${name}"`)
    seen.add(name)
    if (name === 'outputs') return { target: 'outputs' }
    if (name === 'id') return { target: 'id' }
    const dot = name.indexOf('.')
    const prefix = name.slice(0, dot)
    const key = name.slice(dot + 1)
    if (dot > 0 && key !== '') {
      if (prefix === 'inputs' || prefix === 'expectations' || prefix === 'metadata') {
        return { target: prefix, key }
      }
    }
    throw new EvalgateError(`${file}: unknown column "${name}" (allowed: ${ALLOWED_COLUMNS})`)
  })
  if (!columns.some((column) => column.target === 'inputs')) {
    throw new EvalgateError(`${file}: no "inputs.<name>" column; "inputs" is required`)
  }
  return columns
}

function csvRow(columns: readonly Column[], cells: readonly string[]): Row {
  const row: Row & { expectations?: Record<string, unknown> } = { inputs: {} }
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!
    const cell = cells[i]!
    if (column.target === 'outputs') row.outputs = cell
    else if (column.target === 'id') {
      if (cell !== '') row.id = cell
    } else {
      const group = row[column.target] ?? {}
      group[column.key] = cell
      row[column.target] = group
    }
  }
  return row
}
