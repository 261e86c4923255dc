import { EvalgateError } from '../base/errors.js'
import { parseArtifactJson, readArtifactBytes, reportOf } from '../core/artifact-read.js'
import { reportFastProblem } from '../core/fast-check.js'
import { type MergeInput, mergeReports } from '../core/merge.js'
import type { Report, ReportRow } from '../core/report.js'
import { reportJsonChunks } from '../core/report-json.js'
import type { EvalRowSpans } from '../core/report-spans.js'
import { rowsLabel, statusLabel } from '../reporter/format.js'
import { writeReportAtomic } from '../reporter/write.js'
import { type CliIO, EXIT } from './io.js'
import { findRowSpans } from './parallel.js'
import { writeFileAtomic } from './write-atomic.js'

/** A shard as read: its report, and whether that is the very value JSON.parse made. */
interface Shard extends MergeInput {
  parsed: boolean
}

/** Each shard read: the fast check, else zod (loaded only then) to upgrade or say what is wrong. */
async function readShards(
  files: readonly string[],
  bytes: readonly Uint8Array[],
): Promise<Shard[]> {
  const shards: Shard[] = []
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!
    const data = parseArtifactJson(bytes[i]!, file)
    const report = await reportOf(data, file)
    shards.push({ file, report, parsed: report === data })
  }
  return shards
}

/**
 * The bytes of each row that a shard holds exactly as JSON.stringify writes it (compact), by
 * the row's value: the rows JSON.parse read from those very bytes, where the spans agree with
 * what it read (the same evals, and as many rows in each).
 */
function knownRows(
  shards: readonly Shard[],
  bytes: readonly Uint8Array[],
  spans: ReadonlyArray<EvalRowSpans[] | null>,
): Map<ReportRow, Uint8Array> {
  const known = new Map<ReportRow, Uint8Array>()
  shards.forEach((shard, i) => {
    const found = spans[i]
    const evals = shard.report.evals
    if (!shard.parsed || found === null || found === undefined) return
    if (found.length !== evals.length) return
    if (evals.some((e, k) => e.rows.length !== found[k]!.starts.length)) return
    const source = bytes[i]!
    evals.forEach((e, k) => {
      const { starts, ends, compact } = found[k]!
      e.rows.forEach((row, j) => {
        if (compact[j] === 1) known.set(row, source.subarray(starts[j]!, ends[j]!))
      })
    })
  })
  return known
}

/** The chunks one after the other (Buffer.concat, without its cost for 200,000 small chunks). */
function joinBytes(chunks: readonly Uint8Array[]): Buffer {
  let length = 0
  for (const c of chunks) length += c.length
  const out = Buffer.allocUnsafe(length)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** The report with its evals' rows left out: what is left to check before writing. */
function envelopeOf(report: Report): Report {
  return { ...report, evals: report.evals.map((e) => ({ ...e, rows: [] })) }
}

/**
 * `evalgate merge <a.json> <b.json>... [-o merged.json]`: the merged artifact to the file
 * (validated and written atomically; a line per eval printed, with why it failed) or, without
 * `-o`, as JSON to stdout. Each shard's rows are copied into it as the shard holds them (a
 * worker thread finds them in the files while this one parses and merges), and every other
 * row written with JSON.stringify, so the file is the one JSON.stringify would write.
 * Exits 1 when the merged run failed.
 */
export async function mergeCommand(
  files: readonly string[],
  options: { output?: string },
  io: CliIO,
): Promise<number> {
  if (files.length < 2) {
    throw new EvalgateError(
      `merge: expected two or more artifacts (one per shard), received ${files.length}: ${files.join(' ') || '(none)'}`,
    )
  }
  const bytes = files.map((file) => readArtifactBytes(file, { shared: true }))
  const spans = findRowSpans(bytes)
  let merged: Report
  let known: Map<ReportRow, Uint8Array>
  try {
    const shards = await readShards(files, bytes)
    merged = mergeReports(shards)
    known = knownRows(shards, bytes, await spans.result)
  } finally {
    spans.cancel()
  }
  const json = () => {
    const chunks = reportJsonChunks(merged, (row) => known.get(row))
    chunks.push(Buffer.from('\n'))
    return chunks
  }
  if (options.output === undefined) {
    io.out(joinBytes(json()).toString('utf8'))
    return merged.status === 'failed' ? EXIT.failed : EXIT.ok
  }
  // The rows were checked as they were read (and are the values read); the rest is checked
  // here. What the fast check cannot vouch for is written by the reporter's writer, which
  // asks zod and names every bad field.
  if (reportFastProblem(envelopeOf(merged)) === undefined) writeFileAtomic(options.output, json())
  else await writeReportAtomic(options.output, merged)
  // One line per eval (its tables: `evalgate report <merged>`), then the files that failed.
  for (const e of merged.evals) {
    io.out(`${statusLabel(e.status)}  ${e.name}  ${e.file}  ${rowsLabel(e)}\n`)
    for (const f of e.failures) io.out(`  ✗ ${f}\n`)
  }
  for (const e of merged.errors) if (e.file !== '') io.out(`FAIL  ${e.file}: ${e.message}\n`)
  const partial = merged.partial ? ' (partial: rows of some evals are in no shard)' : ''
  io.out(
    `evalgate: merged ${files.length} artifacts into ${options.output}: ${merged.status}${partial}\n`,
  )
  return merged.status === 'failed' ? EXIT.failed : EXIT.ok
}
