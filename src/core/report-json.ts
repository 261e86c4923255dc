// The artifact's JSON, assembled from a report whose rows may already be JSON: `evalgate merge`
// copies the shards' rows as they are rather than writing 100,000 of them again.
import { randomBytes } from 'node:crypto'
import type { Report, ReportRow } from './report.js'

const OPEN = Buffer.from('[')
const COMMA = Buffer.from(',')
const CLOSE = Buffer.from(']')

/**
 * `JSON.stringify(report)` as UTF-8 chunks, to write one after the other: each row is
 * `rowJson(row)` when it gives one (the row's own JSON, which must be what JSON.stringify would
 * write for it), else the row stringified. The rest is stringified as it is, key order
 * included.
 *
 * @example
 * ```ts
 * const chunks = reportJsonChunks(merged, (row) => known.get(row))
 * writeFileSync('merged.json', Buffer.concat(chunks))
 * ```
 */
export function reportJsonChunks(
  report: Report,
  rowJson: (row: ReportRow) => Uint8Array | undefined,
): Uint8Array[] {
  // Each eval's rows stand in as a string no value can hold (it has a random part), found
  // afterwards in the envelope's JSON and replaced by the rows.
  const nonce = randomBytes(12).toString('hex')
  const marker = (i: number) => `evalgate-rows-${nonce}-${i}`
  const envelope = {
    ...report,
    evals: report.evals.map((e, i) => ({ ...e, rows: marker(i) })),
  }
  const text = JSON.stringify(envelope)
  const chunks: Uint8Array[] = []
  let from = 0
  for (let i = 0; i < report.evals.length; i++) {
    const quoted = JSON.stringify(marker(i))
    const at = text.indexOf(quoted, from)
    if (at === -1) return [Buffer.from(JSON.stringify(report))]
    chunks.push(Buffer.from(text.slice(from, at)), OPEN)
    const rows = report.evals[i]!.rows
    for (let j = 0; j < rows.length; j++) {
      if (j > 0) chunks.push(COMMA)
      chunks.push(rowJson(rows[j]!) ?? Buffer.from(JSON.stringify(rows[j])))
    }
    chunks.push(CLOSE)
    from = at + quoted.length
  }
  chunks.push(Buffer.from(text.slice(from)))
  return chunks
}
