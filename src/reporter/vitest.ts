import path from 'node:path'
import type {
  Reporter,
  SerializedError,
  TestCase,
  TestModule,
  TestRunEndReason,
  TestSuite,
  Vitest,
} from 'vitest/node'
import type { EvalRowMeta, EvalSuiteMeta } from '../core/meta.js'
import { buildReport, toReportRow } from '../core/report.js'
import type { RowResult } from '../core/run.js'
import { checkReporterOptions, emitReport, type ReporterOutputOptions } from './output.js'
import { VERSION } from './version.js'
import { markRowChecked } from './write.js'

/**
 * Options of the evalgate reporter (the second element of its `reporters` entry).
 *
 * @example
 * ```ts
 * const options: EvalgateReporterOptions = { outputFile: 'reports/evals.json', markdown: true }
 * ```
 */
export type EvalgateReporterOptions = ReporterOutputOptions

function evalgateMeta(meta: unknown): unknown {
  return typeof meta === 'object' && meta !== null
    ? (meta as Record<string, unknown>)['evalgate']
    : undefined
}

function isSuiteMeta(value: unknown): value is EvalSuiteMeta {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<EvalSuiteMeta>
  return v.kind === 'eval' && typeof v.name === 'string'
}

function isRowMeta(value: unknown): value is EvalRowMeta {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<EvalRowMeta>
  return v.kind === 'row' && typeof v.eval === 'string' && Array.isArray(v.rows)
}

function rowsOf(suite: TestSuite, evalName: string): RowResult[] {
  const rows: RowResult[] = []
  // Row tests are the eval suite's own children (describeEval takes no callback).
  for (const child of suite.children) {
    if (child.type !== 'test') continue
    const meta = evalgateMeta(child.meta())
    if (!isRowMeta(meta) || meta.eval !== evalName) continue
    // A skipped row (filtered by -t, .skip, bail) carries no result: nothing to report.
    if (child.result().state !== 'skipped') rows.push(...meta.rows)
  }
  return rows
}

/** Every eval in the modules, read only from task meta (so it works on merged blob reports). */
function collectEvals(
  modules: ReadonlyArray<TestModule>,
  root: string,
): Array<{ meta: EvalSuiteMeta; rows: RowResult[] }> {
  const evals: Array<{ meta: EvalSuiteMeta; rows: RowResult[] }> = []
  for (const module of modules) {
    for (const suite of module.children.allSuites()) {
      const meta = evalgateMeta(suite.meta())
      if (!isSuiteMeta(meta)) continue
      const file =
        typeof meta.file === 'string'
          ? meta.file
          : path.relative(root, module.moduleId).split(path.sep).join('/')
      evals.push({ meta: { ...meta, file }, rows: rowsOf(suite, meta.name) })
    }
    // evalTest: a single case forms a one-row eval of its own.
    for (const test of module.children.allTests()) {
      const meta = evalgateMeta(test.meta())
      if (isRowMeta(meta) && meta.standalone !== undefined && isSuiteMeta(meta.standalone)) {
        evals.push({ meta: meta.standalone, rows: meta.rows })
      }
    }
  }
  return evals
}

/**
 * Under `--merge-reports`, the shards' own times: the earliest test start, and the span to the
 * last test's end (the merge itself takes milliseconds and says nothing of the run).
 */
function mergedTiming(
  modules: ReadonlyArray<TestModule>,
): { startedAt: Date; durationMs: number } | undefined {
  let start = Number.POSITIVE_INFINITY
  let end = Number.NEGATIVE_INFINITY
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      const d = test.diagnostic()
      if (d === undefined || !Number.isFinite(d.startTime)) continue
      start = Math.min(start, d.startTime)
      end = Math.max(end, d.startTime + d.duration)
    }
  }
  if (!Number.isFinite(start)) return undefined
  return { startedAt: new Date(start), durationMs: Math.max(0, Math.round(end - start)) }
}

/**
 * Files that failed outside their tests (a bad dataset or threshold fails an eval while Vitest
 * collects it, before it has rows): listed in the artifact so such an eval is never lost.
 */
function collectErrors(
  modules: ReadonlyArray<TestModule>,
  root: string,
): Array<{ file: string; message: string }> {
  const out: Array<{ file: string; message: string }> = []
  for (const module of modules) {
    const file = path.relative(root, module.moduleId).split(path.sep).join('/')
    for (const error of module.errors()) out.push({ file, message: error.message })
    for (const suite of module.children.allSuites()) {
      for (const error of suite.errors()) out.push({ file, message: error.message })
    }
  }
  return out
}

/**
 * The evalgate reporter for Vitest 4 and 5. At the end of a run it prints, per eval, the metric
 * table with each gate's target and PASS/FAIL, writes the JSON artifact atomically (validated
 * against the report schema), and appends a Markdown summary when asked to or when
 * `GITHUB_STEP_SUMMARY` is set.
 *
 * It reads everything from task meta, never from worker memory, so it gives the same artifact
 * under `vitest --merge-reports` as in the unsharded run. It decides nothing: scores, aggregates
 * and gates come from each eval's summary, and a failing gate fails the run through Vitest's own
 * failing test. Every run writes its artifact, even one in which no eval ran (`evals: []`) or
 * that was interrupted (then `failed`), so CI never reads a stale one; the artifact's `status`
 * is `failed` exactly when the run's exit code is not 0. `startedAt`/`durationMs` are this
 * process's run; under `--merge-reports`, the shards' (earliest test start to last test end).
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({
 *   test: {
 *     reporters: ['default', ['evalgate/reporter', { outputFile: 'evalgate-report.json', markdown: true }]],
 *   },
 * })
 * ```
 */
export class EvalgateReporter implements Reporter {
  readonly #options: EvalgateReporterOptions
  #vitest: Vitest | undefined
  #startedAt = new Date()
  #startMs = performance.now()

  constructor(options?: EvalgateReporterOptions) {
    this.#options = checkReporterOptions(options)
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest
    this.#start()
  }

  onTestRunStart(): void {
    this.#start()
  }

  /**
   * Checks each row test's rows against the report schema as it finishes, while the workers
   * still run, so writing the artifact at the end of the run checks only the rest.
   */
  onTestCaseResult(test: TestCase): void {
    const meta = evalgateMeta(test.meta())
    if (!isRowMeta(meta)) return
    for (const row of meta.rows) markRowChecked(toReportRow(row))
  }

  async onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): Promise<void> {
    const vitest = this.#vitest
    const root = vitest?.config.root ?? process.cwd()
    const log = (text: string) => (vitest?.logger ?? console).log(text)
    const evals = collectEvals(testModules, root)
    const errors = collectErrors(testModules, root)
    for (const e of unhandledErrors) {
      errors.push({ file: '', message: `unhandled error: ${e.message ?? String(e)}` })
    }
    if (reason === 'interrupted') {
      errors.push({ file: '', message: 'the run was interrupted before every test finished' })
    }
    // Every run writes its artifact, even one in which no eval ran, so that CI never reads a
    // stale one; its status is the host's verdict plus evalgate's own.
    const timing = vitest?.config.mergeReports ? mergedTiming(testModules) : undefined
    const report = buildReport({
      evals,
      startedAt: timing?.startedAt ?? this.#startedAt,
      durationMs: timing?.durationMs ?? Math.max(0, Math.round(performance.now() - this.#startMs)),
      version: VERSION,
      host: { name: 'vitest', version: vitest?.version ?? 'unknown' },
      hostFailed: reason !== 'passed' || unhandledErrors.length > 0,
      errors,
    })
    await emitReport(report, { root, options: this.#options, log })
    // A failure of evalgate's own (two evals of one name, a regression with failOnRegression)
    // fails the run too: the artifact's status and the exit code agree.
    if (report.status === 'failed' && reason === 'passed') process.exitCode = 1
  }

  #start(): void {
    this.#startedAt = new Date()
    this.#startMs = performance.now()
  }
}
