import fs from 'node:fs'
import path from 'node:path'
import { describeValue, EvalgateError } from '../base/errors.js'
import type { DataSourceContext, Row } from './dataset.js'
import type { EvalReport } from './report.js'
import { parseReport } from './report-read.js'

/**
 * Options of {@link fromReport}.
 *
 * @example
 * ```ts
 * const options: FromReportOptions = { skipErrored: true }
 * ```
 */
export interface FromReportOptions {
  /**
   * Where a relative `file` resolves. Default: the dataset root (the Vitest root in describeEval,
   * `root` in runEval), else the working directory.
   */
  root?: string
  /**
   * Leave out rows whose stored run errored (the task threw or timed out, so there are no
   * outputs to score). Default `false`: they are kept, without `outputs`, so an eval without a
   * task names them instead of scoring nothing.
   */
  skipErrored?: boolean
}

/**
 * A data source of the rows of one eval in an earlier evalgate report: `{ id, inputs, outputs,
 * expectations, trace }` per row (the trace as the report stored it, capped values marked
 * `__truncated__`). Use it without a `task` to re-score stored outputs and traces with new
 * scorers, without re-running the application.
 *
 * The file is read and validated against the report schema when the rows are loaded; a missing
 * file, an invalid report, or an eval name not in it is an {@link EvalgateError} (the last one
 * listing the evals that exist).
 *
 * @example
 * ```ts
 * import { fromReport } from 'evalgate'
 * import { describeEval } from 'evalgate/vitest'
 *
 * describeEval('support bot (re-scored)', {
 *   data: fromReport('evalgate-report.json', 'support bot'),
 *   scorers: [toolCallTrajectory({ mode: 'unordered' })],
 * })
 * ```
 */
export function fromReport(
  file: string,
  evalName: string,
  options: FromReportOptions = {},
): (context?: Partial<DataSourceContext>) => Promise<Row[]> {
  if (typeof file !== 'string' || file === '') {
    throw new EvalgateError(
      `fromReport(): expected the report's path as the first argument, received ${describeValue(file)}`,
    )
  }
  if (typeof evalName !== 'string' || evalName === '') {
    throw new EvalgateError(
      `fromReport(): expected an eval name as the second argument, received ${describeValue(evalName)}`,
    )
  }
  if (typeof options !== 'object' || options === null) {
    throw new EvalgateError(
      `fromReport(): expected options { root?, skipErrored? }, received ${describeValue(options)}`,
    )
  }
  return async (context) => {
    const root = options.root ?? context?.root ?? process.cwd()
    const resolved = path.resolve(root, file)
    const found = readEval(file, resolved, evalName)
    const rows: Row[] = []
    for (const r of found.rows) {
      if (options.skipErrored === true && r.error !== null) continue
      const row: Row = { inputs: r.inputs }
      if (r.id !== null) row.id = r.id
      // A row whose task failed has no outputs: `null` there is not an answer to score.
      if (r.error === null) row.outputs = r.outputs
      if (r.expectations !== null) row.expectations = r.expectations
      if (r.metadata !== null) row.metadata = r.metadata
      if (r.trace !== null && r.trace !== undefined) row.trace = r.trace
      rows.push(row)
    }
    if (rows.length === 0) {
      throw new EvalgateError(
        `fromReport(): eval "${evalName}" in ${file} has no rows to re-score (${found.rows.length} row(s) stored${options.skipErrored === true ? ', errored ones skipped' : ''})`,
      )
    }
    return rows
  }
}

function readEval(file: string, resolved: string, evalName: string): EvalReport {
  let text: string
  try {
    text = fs.readFileSync(resolved, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const what = code === 'ENOENT' ? 'report file not found' : 'cannot read the report file'
    throw new EvalgateError(`fromReport(): ${what}: ${file} (resolved to ${resolved})`, {
      cause: error,
    })
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new EvalgateError(
      `fromReport(): ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    )
  }
  let report: ReturnType<typeof parseReport>
  try {
    report = parseReport(data, file)
  } catch (error) {
    throw new EvalgateError(
      `fromReport(): ${(error as Error).message.replace(/^evalgate: /, '')}`,
      {
        cause: error,
      },
    )
  }
  const found = report.evals.filter((e) => e.name === evalName)
  if (found.length === 0) {
    const names = report.evals.map((e) => JSON.stringify(e.name))
    throw new EvalgateError(
      `fromReport(): no eval named ${JSON.stringify(evalName)} in ${file}; the evals in it are: ${names.length === 0 ? '(none)' : names.join(', ')}`,
    )
  }
  if (found.length > 1) {
    const files = found.map((e) => e.file).join(', ')
    throw new EvalgateError(
      `fromReport(): ${found.length} evals are named ${JSON.stringify(evalName)} in ${file} (in ${files}); rename one so the name picks exactly one`,
    )
  }
  return found[0]!
}
