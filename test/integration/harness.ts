import { type SpawnOptions, spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

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
