// What both CSV readers (csv.ts, streamed; csv-sync.ts, for hosts that load datasets
// synchronously) share: the header's columns and how a record becomes a row. Imports no CSV
// parser, so neither reader loads the other's.
import { EvalgateError } from '../base/errors.js'
import type { Row } from './row.js'

/** Where a column's cells go in a row. */
export type Column =
  | { target: 'inputs' | 'expectations' | 'metadata'; key: string }
  | { target: 'outputs' }
  | { target: 'id' }

const ALLOWED_COLUMNS = '"inputs.<name>", "outputs", "expectations.<name>", "id", "metadata.<name>"'

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

/** Line breaks (`\r\n`, `\n` or a lone `\r`, as node:readline counts them) in a raw record. */
export function countLineBreaks(raw: string): { leading: number; total: number } {
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

export function parseHeader(cells: readonly string[], file: string): Column[] {
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

export function csvRow(columns: readonly Column[], cells: readonly string[]): Row {
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
