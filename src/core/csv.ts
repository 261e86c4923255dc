import fs from 'node:fs'
import { CsvError, type Options as CsvOptions, type InfoRecord, parse } from 'csv-parse'
import { EvalgateError } from '../base/errors.js'
import { type Column, count, countLineBreaks, csvRow, parseHeader } from './csv-rows.js'
import type { Row } from './row.js'

interface CsvRecord {
  line: number
  cells: string[]
}

/**
 * Where {@link readCsv} hands what it reads, by physical line number: each row to `add` (which
 * validates and keeps it), and each record that is not a row (a wrong column count, a syntax
 * error) to `problem`. The caller reports every problem at once when the file has been read.
 */
export interface CsvRowSink {
  add(row: Row, line: number): void
  problem(line: number, message: string, cause?: unknown): void
}

/**
 * Reads a `.csv` dataset: a header row naming the columns (`inputs.<name>`, `outputs`,
 * `expectations.<name>`, `id`, `metadata.<name>`), then one row per record, each passed to
 * `sink` with its physical line number. A bad header throws at once; a bad record is a problem
 * and reading goes on, except after a CSV syntax error, after which nothing can be trusted.
 */
export async function readCsv(resolved: string, file: string, sink: CsvRowSink): Promise<void> {
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
  let columns: Column[] | undefined
  let broken = false
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      if (columns === undefined) {
        columns = parseHeader(record.cells, file)
        continue
      }
      if (record.cells.length !== columns.length) {
        const got = count(record.cells.length, 'column')
        sink.problem(record.line, `the row has ${got}, the header has ${columns.length}`)
        continue
      }
      sink.add(csvRow(columns, record.cells), record.line)
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    // csv-parse stops at a syntax error: it is the last problem this file can show.
    const raw = typeof error['raw'] === 'string' ? error['raw'] : ''
    const line = nextLine + countLineBreaks(raw).leading
    sink.problem(line, `invalid CSV (${error.message})`, error)
    broken = true
  } finally {
    input.destroy()
    parser.destroy()
  }
  if (columns === undefined && !broken) {
    throw new EvalgateError(
      `${file}: the file is empty; a header row naming the columns is required (e.g. inputs.question,expectations.expected_response)`,
    )
  }
}
