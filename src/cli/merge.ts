import { EvalgateError } from '../base/errors.js'
import { mergeReports } from '../core/merge.js'
import { readReportFile } from '../core/report-file.js'
import { rowsLabel, statusLabel } from '../reporter/format.js'
import { writeReportAtomic } from '../reporter/write.js'
import { type CliIO, EXIT } from './io.js'

/**
 * `evalgate merge <a.json> <b.json>... [-o merged.json]`: the merged artifact to the file
 * (validated and written atomically; a line per eval printed, with why it failed) or, without
 * `-o`, as JSON to stdout.
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
  const merged = mergeReports(files.map((file) => ({ file, report: readReportFile(file) })))
  if (options.output === undefined) {
    io.out(`${JSON.stringify(merged)}\n`)
  } else {
    await writeReportAtomic(options.output, merged)
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
  }
  return merged.status === 'failed' ? EXIT.failed : EXIT.ok
}
