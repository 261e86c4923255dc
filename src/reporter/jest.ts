/**
 * `evalgate/jest-reporter`: the Jest reporter (default export) that prints per-eval metric
 * tables, writes the JSON artifact and a Markdown summary, as `evalgate/reporter` does for Vitest.
 *
 * @packageDocumentation
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type HandoffEval, RUN_DIR_ENV, readHandoff } from '../core/handoff.js'
import { buildReport } from '../core/report.js'
import { checkReporterOptions, emitReport, type ReporterOutputOptions } from './output.js'
import { VERSION } from './version.js'

/**
 * Options of the evalgate Jest reporter (the second element of its `reporters` entry).
 *
 * @example
 * ```js
 * // jest.config.js
 * reporters: ['default', ['evalgate/jest-reporter', { outputFile: 'reports/evals.json', markdown: true }]]
 * ```
 */
export type EvalgateJestReporterOptions = ReporterOutputOptions

/** The part of Jest's global config the reporter reads (Jest 29 and 30 alike). */
interface JestGlobalConfig {
  rootDir?: string
}

/** One test file's result, as Jest 29 and 30 give it to reporters (the fields read here). */
interface JestTestFileResult {
  testFilePath: string
  testExecError?: { message?: unknown } | null | undefined
}

/** Jest's aggregated results of the run (the fields read here). */
interface JestAggregatedResult {
  numFailedTests: number
  numRuntimeErrorTestSuites: number
  wasInterrupted?: boolean
  runExecError?: { message?: unknown } | null | undefined
  snapshot?: { failure?: boolean }
  testResults: JestTestFileResult[]
}

/**
 * The running Jest's version: from the package.json of the `jest` (or `jest-cli`) package whose
 * binary started this process, else the one the root resolves, else 'unknown'.
 */
function jestVersion(root: string): string {
  const script = process.argv[1]
  if (script !== undefined) {
    let dir: string
    try {
      dir = path.dirname(fs.realpathSync(script))
    } catch {
      dir = ''
    }
    for (let i = 0; dir !== '' && i < 6; i++) {
      const version = jestPackageVersion(path.join(dir, 'package.json'))
      if (version !== undefined) return version
      const up = path.dirname(dir)
      if (up === dir) break
      dir = up
    }
  }
  return jestPackageVersion(path.join(root, 'node_modules/jest/package.json')) ?? 'unknown'
}

function jestPackageVersion(file: string): string | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown }
    const named = pkg.name === 'jest' || pkg.name === 'jest-cli'
    return named && typeof pkg.version === 'string' ? pkg.version : undefined
  } catch {
    return undefined
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing ANSI colour codes is the point
const ANSI = /\u001b\[[0-9;]*m/g

/** An error's message as the artifact holds it: plain text (transformers colour theirs). */
function messageOf(error: { message?: unknown } | null | undefined): string | undefined {
  if (error === null || error === undefined) return undefined
  const text = typeof error.message === 'string' ? error.message : String(error.message)
  return text.replace(ANSI, '')
}

/**
 * The evalgate reporter for Jest 29 and 30. At the end of a run it prints, per eval, the metric
 * table with each gate's target and PASS/FAIL, writes the JSON artifact atomically (validated
 * against the report schema; `tool.host` is `jest`), and appends a Markdown summary when asked
 * to or when `GITHUB_STEP_SUMMARY` is set. Options as `evalgate/reporter`'s: `outputFile`
 * (default `$EVALGATE_REPORT`, else `evalgate-report.json` in Jest's `rootDir`) and `markdown`.
 *
 * Results travel from Jest's workers (or, with `--runInBand`, from the main process) through a
 * directory of this run's own: made fresh under the OS temp directory when the reporter is
 * created (before any worker starts, so workers inherit its name through the environment),
 * read when the run completes, then removed. Two runs, even in one folder, never share one.
 * The reporter decides nothing: scores, aggregates and gates come from each eval's summary, and
 * a failing gate fails the run through Jest's own failing test. Every run writes its artifact,
 * even one in which no eval ran; its `status` is `failed` exactly when Jest's run failed (a failed
 * test, a file that failed to run, an interrupted run) or evalgate's report did (two evals of one
 * name), and in that last case the reporter fails the run too, so the exit code agrees.
 *
 * @example
 * ```js
 * // jest.config.js
 * module.exports = {
 *   setupFilesAfterEnv: ['evalgate/jest'],
 *   reporters: ['default', ['evalgate/jest-reporter', { outputFile: 'evalgate-report.json' }]],
 * }
 * ```
 */
export class EvalgateJestReporter {
  readonly #options: EvalgateJestReporterOptions
  readonly #root: string
  readonly #runDir: string
  #startedAt = new Date()
  #startMs = performance.now()
  #error: Error | undefined

  constructor(globalConfig?: JestGlobalConfig, options?: EvalgateJestReporterOptions) {
    this.#options = checkReporterOptions(options)
    this.#root = globalConfig?.rootDir ?? process.cwd()
    // Jest creates reporters before it starts any worker: workers inherit the variable.
    this.#runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalgate-jest-'))
    process.env[RUN_DIR_ENV] = this.#runDir
    // A run that ends without onRunComplete (killed, or Jest exits early) leaves nothing behind.
    process.once('exit', () => this.#removeRunDir())
  }

  onRunStart(): void {
    this.#startedAt = new Date()
    this.#startMs = performance.now()
  }

  async onRunComplete(_contexts: unknown, results: JestAggregatedResult): Promise<void> {
    const errors: Array<{ file: string; message: string }> = []
    let evals: HandoffEval[] = []
    try {
      evals = readHandoff(this.#runDir)
    } catch (error) {
      errors.push({
        file: '',
        message: `evalgate: cannot read the workers' results: ${String(error)}`,
      })
    } finally {
      this.#removeRunDir()
    }
    for (const file of results.testResults) {
      // A file that failed outside its tests (a bad dataset or threshold fails an eval while Jest
      // collects it, before it has rows): listed so such an eval is never lost.
      const message = messageOf(file.testExecError)
      if (message !== undefined) errors.push({ file: this.#relative(file.testFilePath), message })
    }
    const runError = messageOf(results.runExecError)
    if (runError !== undefined) errors.push({ file: '', message: `run error: ${runError}` })
    if (results.wasInterrupted === true) {
      errors.push({ file: '', message: 'the run was interrupted before every test finished' })
    }
    // Jest's own verdict (@jest/core: failed tests, files that failed to run, snapshots).
    const hostFailed =
      results.numFailedTests > 0 ||
      results.numRuntimeErrorTestSuites > 0 ||
      results.snapshot?.failure === true ||
      results.wasInterrupted === true ||
      runError !== undefined
    const report = buildReport({
      evals,
      startedAt: this.#startedAt,
      durationMs: Math.max(0, Math.round(performance.now() - this.#startMs)),
      version: VERSION,
      host: { name: 'jest', version: jestVersion(this.#root) },
      hostFailed,
      errors,
    })
    await emitReport(report, {
      root: this.#root,
      options: this.#options,
      log: (text) => process.stderr.write(`${text}\n`),
    })
    // A failure of evalgate's own (two evals of one name, a regression with failOnRegression)
    // fails the run too: the artifact's status and the exit code agree.
    if (report.status === 'failed' && !hostFailed) {
      this.#error = new Error(
        `evalgate: the report failed: ${report.errors.map((e) => e.message).join('; ') || 'an eval failed'}`,
      )
    }
  }

  /** Jest fails the run when a reporter has an error: evalgate's own reason to fail it. */
  getLastError(): Error | undefined {
    return this.#error
  }

  #relative(file: string): string {
    return path.relative(this.#root, file).split(path.sep).join('/')
  }

  #removeRunDir(): void {
    fs.rmSync(this.#runDir, { recursive: true, force: true })
    if (process.env[RUN_DIR_ENV] === this.#runDir) delete process.env[RUN_DIR_ENV]
  }
}

export type { EvalReport, Report } from '../core/report.js'
export default EvalgateJestReporter
