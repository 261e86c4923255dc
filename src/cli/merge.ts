import { EvalgateError } from '../base/errors.js'
import { mergeReports } from '../core/merge.js'
import { readReportFile } from '../core/report-file.js'
import { writeReportAtomic } from '../reporter/write.js'
import { type CliIO, EXIT } from './io.js'
import { printTables } from './report.js'

/**
 * `evalgate merge <a.json> <b.json>... [-o merged.json]`: the merged artifact to the file
 * (validated and written atomically, its tables printed) or, without `-o`, as JSON to stdout.
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
    printTables(merged, io)
    const partial = merged.partial ? ' (partial: rows of some evals are in no shard)' : ''
    io.out(
      `evalgate: merged ${files.length} artifacts into ${options.output}: ${merged.status}${partial}\n`,
    )
  }
  return merged.status === 'failed' ? EXIT.failed : EXIT.ok
}
