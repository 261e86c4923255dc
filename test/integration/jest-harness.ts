import { mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { NODE, REPO, type RunResult, run } from './harness.js'

/** The Jest majors the integration tests run: 30 (`jest`) and 29 (`jest29`, an npm alias). */
export const JEST_BINS = {
  30: path.join(REPO, 'node_modules/jest/bin/jest.js'),
  29: path.join(REPO, 'node_modules/jest29/bin/jest.js'),
} as const

export type JestMajor = keyof typeof JEST_BINS

/** The exact version of each Jest major installed, as the artifact's `tool.hostVersion` holds it. */
export function jestVersion(major: JestMajor): string {
  const pkg = path.join(path.dirname(JEST_BINS[major]), '../package.json')
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version
}

/**
 * Makes `evalgate` resolve to this repository from a copied fixture that has a package.json of
 * its own (there, self-reference does not reach the repository's package.json): as an installed
 * package would, through node_modules.
 */
export function linkEvalgate(dir: string): void {
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true })
  symlinkSync(REPO, path.join(dir, 'node_modules/evalgate'), 'dir')
}

/**
 * Runs `jest <args>` (Jest 30 unless `major` says 29) in a fixture project directory as a real
 * process, with colours off, no CI-specific env leaking in (GITHUB_STEP_SUMMARY, EVALGATE_*,
 * JEST_*, NODE_OPTIONS), unless `env` sets them.
 */
export function runJest(
  dir: string,
  args: readonly string[],
  env: Record<string, string> = {},
  major: JestMajor = 30,
): Promise<RunResult> {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v === undefined ||
      k.startsWith('EVALGATE_') ||
      k === 'GITHUB_STEP_SUMMARY' ||
      k.startsWith('VITEST') ||
      k.startsWith('JEST') ||
      k === 'NODE_OPTIONS'
    )
      continue
    clean[k] = v
  }
  return run(NODE, [JEST_BINS[major], '--ci', ...args], {
    cwd: dir,
    env: { ...clean, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true', ...env },
  })
}

/** One test in Jest's own JSON report (`--json --outputFile`). */
export interface JestJsonTest {
  ancestorTitles: string[]
  title: string
  status: string
  failureMessages: string[]
}

/** The parts of Jest's JSON report the integration tests read. */
export interface JestJsonReport {
  success: boolean
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  numTodoTests: number
  testResults: Array<{ name: string; message: string; assertionResults: JestJsonTest[] }>
}

export function readJestJson(file: string): JestJsonReport {
  return JSON.parse(readFileSync(file, 'utf8')) as JestJsonReport
}

/** Jest's summary counts (`Tests: 1 failed, 2 skipped, 10 passed, 13 total`). */
export function jestCounts(output: string): {
  passed: number
  failed: number
  skipped: number
  todo: number
} {
  const line = output.split('\n').find((l) => /^Tests:\s/.test(l)) ?? ''
  const n = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0)
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped'), todo: n('todo') }
}
