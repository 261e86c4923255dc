// One bench project run by its host (Vitest or Jest) as a whole, timed process, checked to have
// done the whole workload: the host's summary must count every test as passed, and evalgate's
// artifact must hold every row.
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { timed } from './measure.mjs'
import { jestBin, projects, vitestBin } from './pack.mjs'

function expectPassed(label, output, match, tests) {
  if (match === null || Number(match[1]) !== tests || Number(match[2]) !== tests) {
    console.error(output.slice(-2000))
    throw new Error(`${label}: expected ${tests} passed tests`)
  }
}

/** Runs bench/projects/<project> with Vitest (--pool=threads) and checks `tests` tests passed. */
export function runVitest(project, { rows, tests, args = [], env = {} }) {
  const r = timed(project, [vitestBin, 'run', '--pool=threads', ...args], {
    cwd: path.join(projects, project),
    env: { BENCH_ROWS: String(rows), ...env },
  })
  expectPassed(
    `${project} at ${rows} rows`,
    r.stdout,
    /Tests\s+(\d+) passed \((\d+)\)/.exec(r.stdout),
    tests,
  )
  return r
}

/** Runs bench/projects/<project> with Jest (--ci) and checks `tests` tests passed. */
export function runJest(project, { rows, tests, env = {} }) {
  const r = timed(project, [jestBin, '--ci'], {
    cwd: path.join(projects, project),
    env: { BENCH_ROWS: String(rows), ...env },
  })
  expectPassed(
    `${project} at ${rows} rows`,
    r.stderr,
    /Tests:\s+(\d+) passed, (\d+) total/.exec(r.stderr),
    tests,
  )
  return r
}

/** Reads (then removes) an evalgate artifact; throws unless it passed and holds all `rows` rows. */
export function checkArtifact(report, rows) {
  const artifact = JSON.parse(readFileSync(report, 'utf8'))
  rmSync(report)
  const got = artifact.evals[0]?.rows.length
  if (artifact.status !== 'passed' || artifact.partial || got !== rows) {
    throw new Error(
      `evalgate at ${rows} rows: the artifact is ${artifact.status}${artifact.partial ? ', partial' : ''} with ${got} rows`,
    )
  }
}
