import { type SpawnOptions, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { type Report, ReportSchema } from '../../src/core/report-schema.js'

/** The repository root. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * Where fixture projects are copied to and run. Its ancestors' node_modules decide which
 * `vitest` and which `evalgate` the fixture sees: by default the repo itself (Vitest 4, and
 * `evalgate` by self-reference to dist/); `npm run test:compat` points it at compat/, whose
 * node_modules hold Vitest 5 and a packed copy of evalgate.
 */
export const WORK_ROOT =
  process.env.EVALGATE_IT_WORKROOT ?? path.join(REPO, 'test/integration/.work')
/** The Node binary that runs the fixture's Vitest (Node 22 under test:compat). */
export const NODE = process.env.EVALGATE_IT_NODE ?? process.execPath

const requireFromWork = createRequire(path.join(WORK_ROOT, 'x.js'))
/** The Vitest CLI that a fixture project under WORK_ROOT resolves. */
export const VITEST_BIN = path.join(
  path.dirname(requireFromWork.resolve('vitest/package.json')),
  'vitest.mjs',
)

/** Copies test/integration/projects/<name> to a fresh directory under WORK_ROOT. */
export function copyProject(name: string): string {
  mkdirSync(WORK_ROOT, { recursive: true })
  const dir = mkdtempSync(path.join(WORK_ROOT, `${name}-`))
  cpSync(path.join(REPO, 'test/integration/projects', name), dir, { recursive: true })
  return dir
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
  /** stdout + stderr without ANSI colour codes. */
  output: string
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g

/** Runs a command to completion and captures its output (never throws on a non-zero exit). */
export function run(
  cmd: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}`.replace(ANSI, '') })
    })
  })
}

/**
 * Runs `vitest <args>` in a fixture project directory as a real process, with colours off and
 * no CI-specific env leaking in (GITHUB_STEP_SUMMARY, EVALGATE_*), unless `env` sets them.
 */
export function runVitest(
  dir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v === undefined ||
      k.startsWith('EVALGATE_') ||
      k === 'GITHUB_STEP_SUMMARY' ||
      k.startsWith('VITEST')
    )
      continue
    clean[k] = v
  }
  return run(NODE, [VITEST_BIN, ...args], {
    cwd: dir,
    env: { ...clean, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true', ...env },
  })
}

/** One test in Vitest's own JSON report (`--reporter=json`), as the fixtures' configs write it. */
export interface VitestJsonTest {
  ancestorTitles: string[]
  title: string
  fullName: string
  status: string
  failureMessages: string[]
}

/** One test file in Vitest's JSON report: `message` holds an error outside its tests. */
export interface VitestJsonFile {
  name: string
  status: string
  message: string
  assertionResults: VitestJsonTest[]
}

/** The parts of Vitest's JSON report the integration tests read. */
export interface VitestJsonReport {
  success: boolean
  numTotalTestSuites: number
  numPendingTestSuites: number
  numTotalTests: number
  numPendingTests: number
  numTodoTests: number
  testResults: VitestJsonFile[]
}

/** Reads Vitest's JSON report (written by its `json` reporter) from `file`. */
export function readVitestJson(file: string): VitestJsonReport {
  return JSON.parse(readFileSync(file, 'utf8')) as VitestJsonReport
}

/**
 * Reads an evalgate artifact and validates it with `ReportSchema` (the schema the reporter
 * writes against, from src/). Throws with the run's output when the file is missing or the
 * report does not parse, so a failing test shows why.
 */
export function readArtifact(file: string, r?: RunResult): Report {
  const where = r === undefined ? '' : `\n--- run output (exit ${r.code}) ---\n${r.output}`
  if (!existsSync(file)) throw new Error(`no evalgate artifact at ${file}${where}`)
  const text = readFileSync(file, 'utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`the artifact at ${file} is not JSON: ${String(error)}${where}`)
  }
  const parsed = ReportSchema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 15)
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n')
    throw new Error(`the artifact at ${file} does not parse with ReportSchema:\n${issues}${where}`)
  }
  return parsed.data
}

/**
 * The invariant of issue 9 item 10, checked after every run: the process ended with an exit code
 * (0 or 1, not a crash or a signal), the artifact exists and parses with `ReportSchema`, and its
 * `status` is `failed` exactly when the exit code is not 0. Returns the parsed artifact.
 */
export function expectArtifactAgreesWithExit(r: RunResult, file: string): Report {
  expect([0, 1], `exit code of the Vitest process\n${r.output}`).toContain(r.code)
  const report = readArtifact(file, r)
  expect(
    report.status,
    `artifact status vs exit code ${r.code} (they must never disagree)\n${r.output}`,
  ).toBe(r.code === 0 ? 'passed' : 'failed')
  return report
}
