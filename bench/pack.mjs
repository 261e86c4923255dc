// The preamble every host bench shares, in one place:
//   1. the bench's own dependencies (bench/projects/package.json: vitest-evals, the reference
//      peer, and `ai`, which its scorer-first entry imports) installed with `npm ci` when
//      node_modules is missing or was installed from another lockfile;
//   2. evalgate packed and unpacked into bench/projects/node_modules/evalgate, AFTER npm ci (which
//      wipes node_modules), so the projects import it as users do: a real copy under
//      node_modules that Vitest and Jest load natively. Resolved from the repo by self-reference
//      instead, Vite would transform dist/ through its module runner in every process, which no
//      user pays for. bench/projects/package.json gives the projects their own package scope for
//      the same reason;
//   3. a check that the projects, evalgate and vitest-evals all resolve the one Vitest (and Jest)
//      the bench runs, the root's: a second copy would make the comparison unfair, or broken.
//      bench/projects/.npmrc keeps npm from installing vitest-evals' peers (vitest) there.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
export const root = path.join(here, '..')
export const projects = path.join(here, 'projects')
export const vitestBin = path.join(root, 'node_modules/vitest/vitest.mjs')
export const jestBin = path.join(root, 'node_modules/jest/bin/jest.js')

const modules = path.join(projects, 'node_modules')
const stamp = path.join(modules, '.bench-deps.sha256')

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} in ${cwd} failed (exit ${r.status}): ${r.stderr}`)
  }
  return r.stdout
}

/** Installs bench/projects' own dependencies with npm ci unless node_modules matches the lockfile. */
export function installBenchDeps() {
  const hash = createHash('sha256')
  for (const f of ['package.json', 'package-lock.json', '.npmrc']) {
    hash.update(readFileSync(path.join(projects, f)))
  }
  const want = hash.digest('hex')
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return false
  console.error('bench: npm ci in bench/projects (its dependencies are missing or stale)')
  run('npm', ['ci', '--no-audit', '--no-fund'], projects)
  writeFileSync(stamp, want)
  return true
}

/** Packs the built package (npm run build first) and unpacks it as bench/projects' evalgate. */
export function installEvalgate() {
  const installed = path.join(modules, 'evalgate')
  const packDir = mkdtempSync(path.join(tmpdir(), 'evalgate-pack-'))
  try {
    const out = run('npm', ['pack', '--silent', '--pack-destination', packDir], root)
    const tarball = path.join(packDir, out.trim().split('\n').pop())
    rmSync(installed, { recursive: true, force: true })
    mkdirSync(installed, { recursive: true })
    run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], root)
  } finally {
    rmSync(packDir, { recursive: true, force: true })
  }
}

/** The real path of package `name`'s package.json as Node finds it from the directory `from`. */
function resolvedFrom(from, name) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name, 'package.json')
    if (existsSync(candidate)) return realpathSync(candidate)
    if (path.dirname(dir) === dir) throw new Error(`bench: ${name} is not installed for ${from}`)
  }
}

/** Throws unless every importer resolves `specifier` to the root's copy. */
function checkOne(specifier, importers) {
  const want = resolvedFrom(root, specifier)
  for (const from of importers) {
    const got = resolvedFrom(from, specifier)
    if (got !== want) {
      throw new Error(
        `bench: ${path.relative(root, from)} resolves ${specifier} to ${got}, not the root's ${want}: two copies would not compare the same thing`,
      )
    }
  }
}

/** Version of a package as installed for the bench projects. */
export function versionOf(name) {
  return JSON.parse(readFileSync(resolvedFrom(projects, name), 'utf8')).version
}

/**
 * The whole preamble: dependencies, evalgate, and the one-Vitest/one-Jest check.
 * Returns the versions measured.
 */
export function prepareBench() {
  installBenchDeps()
  installEvalgate()
  checkOne('vitest', [
    path.join(projects, 'plain'),
    path.join(modules, 'evalgate'),
    path.join(modules, 'vitest-evals'),
  ])
  checkOne('@jest/globals', [path.join(projects, 'jest-plain'), path.join(modules, 'evalgate')])
  return {
    evalgate: versionOf('evalgate'),
    vitest: versionOf('vitest'),
    vitestEvals: versionOf('vitest-evals'),
    jest: versionOf('jest'),
    node: process.version,
  }
}
