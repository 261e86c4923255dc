import fs from 'node:fs'
import { CsvError, type InfoRecord } from 'csv-parse'
import { type Options as CsvOptions, parse } from 'csv-parse/sync'
import { EvalgateError } from '../base/errors.js'
import { type Column, count, countLineBreaks, csvRow, parseHeader } from './csv-rows.js'
import type { Row } from './row.js'

// The synchronous twin of csv.ts's `readCsv`, for hosts whose suites are defined synchronously
// (Jest's `describe`). It must read a file exactly as `readCsv` does: same rows, same problems,
// same line numbers and messages (test/unit/dataset-sync.test.ts compares the two on the same
// files). The header and row rules below are copies of csv.ts's, which does not export them.

/** Where {@link readCsvSync} hands each row and each problem, by physical line number. */
export interface CsvSyncSink {
  add(row: Row, line: number): void
  problem(line: number, message: string, cause?: unknown): void
}

/**
 * Reads a `.csv` dataset synchronously (csv-parse's sync API): a header row naming the columns,
 * then one row per record, each passed to `sink` with its physical line number. Records are
 * handed over from csv-parse's `on_record` as they are parsed, so the problems before a syntax
 * error are reported with it, as the streaming reader does.
 */
export function readCsvSync(resolved: string, file: string, sink: CsvSyncSink): void {
  const input = fs.readFileSync(resolved)
  let nextLine = 1
  let columns: Column[] | undefined
  const onRecord = (entry: { record: string[] }, context: InfoRecord): null => {
    // csv-parse's own line counter counts a \r\n inside a quoted cell twice (see csv.ts).
    const breaks = countLineBreaks(context.raw ?? '')
    const line = nextLine + breaks.leading
    nextLine += breaks.total
    const cells = entry.record
    if (columns === undefined) columns = parseHeader(cells, file)
    else if (cells.length !== columns.length) {
      sink.problem(
        line,
        `the row has ${count(cells.length, 'column')}, the header has ${columns.length}`,
      )
    } else sink.add(csvRow(columns, cells), line)
    // Nothing is collected: every record has been handed to the sink.
    return null
  }
  const options: CsvOptions = {
    bom: true,
    raw: true,
    skip_empty_lines: true,
    relax_column_count: true,
    on_record: onRecord as unknown as NonNullable<CsvOptions['on_record']>,
  }
  let broken = false
  try {
    parse(input, options)
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    // csv-parse stops at a syntax error: it is the last problem this file can show.
    const raw = typeof error['raw'] === 'string' ? error['raw'] : ''
    sink.problem(nextLine + countLineBreaks(raw).leading, `invalid CSV (${error.message})`, error)
    broken = true
  }
  if (columns === undefined && !broken) {
    throw new EvalgateError(
      `${file}: the file is empty; a header row naming the columns is required (e.g. inputs.question,expectations.expected_response)`,
    )
  }
}
