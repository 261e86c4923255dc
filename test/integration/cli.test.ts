// The real `evalgate` executable from the packed package, installed in a fresh folder outside
// the repository (as `npm install evalgate` would lay it out: the tarball's files under
// node_modules/evalgate, its dependencies beside it, node_modules/.bin/evalgate), run on
// artifacts of real Vitest and Jest runs of test/integration/projects/cli: report, merge of
// Vitest shards, Jest shards and row shards against the unsharded run, compare, exit codes.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ComparisonSchema } from '../../src/core/compare-schema.js'
import type { Report } from '../../src/core/report-schema.js'
import { shardOf } from '../../src/core/shard.js'
import {
  copyProject,
  expectArtifactAgreesWithExit,
  NODE,
  REPO,
  type RunResult,
  readArtifact,
  run,
  runVitest,
} from './harness.js'
import { runJest } from './jest-harness.js'

/** Lays the packed package out in a fresh folder; returns the folder and its bin. */
function installPacked(): { app: string; bin: string } {
  if (!existsSync(path.join(REPO, 'dist/cli.js'))) {
    throw new Error('dist/cli.js is missing: run `npm run build` before the integration tests')
  }
  const root = mkdtempSync(path.join(tmpdir(), 'evalgate-cli-it-'))
  const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', root], {
    cwd: REPO,
    encoding: 'utf8',
  })
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`)
  const tarball = path.join(root, packed.stdout.trim().split('\n').pop()!)
  const app = path.join(root, 'app')
  const installed = path.join(app, 'node_modules/evalgate')
  mkdirSync(installed, { recursive: true })
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`)
  const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>
    bin: Record<string, string>
  }
  // Its dependencies, as npm would put them beside it (from this repository's install: no
  // network, the same versions the lockfile pins).
  for (const dep of Object.keys(pkg.dependencies)) {
    const target = path.join(app, 'node_modules', dep)
    mkdirSync(path.dirname(target), { recursive: true })
    symlinkSync(path.join(REPO, 'node_modules', dep), target, 'dir')
  }
  const binDir = path.join(app, 'node_modules/.bin')
  mkdirSync(binDir, { recursive: true })
  const bin = path.join(binDir, 'evalgate')
  const script = path.join(installed, pkg.bin.evalgate!)
  chmodSync(script, 0o755)
  symlinkSync(path.relative(binDir, script), bin)
  return { app, bin }
}

let app: string
let bin: string
const artifacts: Record<string, string> = {}

/** `evalgate <args>` in the fresh folder, `node` found on PATH by the bin's shebang. */
function evalgate(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('EVALGATE_') && k !== 'GITHUB_STEP_SUMMARY') clean[k] = v
  }
  return run(bin, args, {
    cwd: app,
    env: {
      ...clean,
      PATH: `${path.dirname(NODE)}${path.delimiter}${process.env.PATH ?? ''}`,
      NO_COLOR: '1',
      ...env,
    },
  })
}

/** A Vitest run of the fixture; its artifact copied into the app folder as `name`. */
async function vitestRun(name: string, args: string[], env: Record<string, string> = {}) {
  const dir = copyProject('cli')
  const file = path.join(dir, 'out.json')
  const r = await runVitest(dir, ['run', ...args], { EVALGATE_REPORT: file, ...env })
  expectArtifactAgreesWithExit(r, file)
  copyFileSync(file, path.join(app, name))
  artifacts[name] = path.join(app, name)
}

async function jestRun(name: string, args: string[]) {
  const dir = copyProject('cli')
  const file = path.join(dir, 'out.json')
  const r = await runJest(dir, args, { EVALGATE_REPORT: file })
  expectArtifactAgreesWithExit(r, file)
  copyFileSync(file, path.join(app, name))
}

/** What two runs of the same evals may differ in: their start and duration. */
function untimed(r: Report): Omit<Report, 'startedAt' | 'durationMs'> {
  const { startedAt: _s, durationMs: _d, ...rest } = r
  return rest
}

beforeAll(async () => {
  ;({ app, bin } = installPacked())
  await Promise.all([
    vitestRun('base.json', []),
    vitestRun('vshard-1.json', ['--shard=1/2']),
    vitestRun('vshard-2.json', ['--shard=2/2']),
    // Row shards as a CI matrix runs them: each job the same command, its shard in the env.
    ...[1, 2, 3].map((i) => vitestRun(`rshard-${i}.json`, [], { EVALGATE_SHARD: `${i}/3` })),
    vitestRun('worse.json', [], { FIXTURE_VARIANT: 'worse', FIXTURE_ALPHA_ROWS: '33' }),
    vitestRun('noids-10.json', [], { FIXTURE_NOIDS_ROWS: '10' }),
    jestRun('jest.json', []),
    jestRun('jshard-1.json', ['--shard=1/2']),
    jestRun('jshard-2.json', ['--shard=2/2']),
  ])
}, 240_000)

afterAll(() => {
  if (app !== undefined) rmSync(path.dirname(app), { recursive: true, force: true })
})

describe('the packed evalgate executable', () => {
  it('is installed as node_modules/.bin/evalgate and answers --help and --version', async () => {
    const help = await evalgate(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: evalgate [options] [command]')
    for (const command of ['report', 'merge', 'compare']) {
      const r = await evalgate([command, '--help'])
      expect(r.code, command).toBe(0)
      expect(r.stdout).toContain(`Usage: evalgate ${command}`)
    }
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      version: string
    }
    expect((await evalgate(['--version'])).stdout.trim()).toBe(pkg.version)
    expect((await evalgate(['report', 'base.json', '--nope'])).code).toBe(2)
  })

  it('ships compare-schema.json beside schema.json', () => {
    const schema = JSON.parse(
      readFileSync(path.join(app, 'node_modules/evalgate/dist/compare-schema.json'), 'utf8'),
    ) as { title: string }
    expect(schema.title).toBe('evalgate comparison')
  })
})

describe('evalgate report', () => {
  it('prints the tables of a real run and exits 0 as the run did', async () => {
    const r = await evalgate(['report', 'base.json'])
    expect(r.code, r.output).toBe(0)
    expect(r.stdout).toContain('PASS  alpha  evals/vitest/alpha.eval.ts  30 rows, 0 errored')
    expect(r.stdout).toContain('exact/mean')
    expect(r.stdout).toContain('evalgate: base.json: passed')
  })

  it('--markdown writes the summary; a partial shard says so', async () => {
    const r = await evalgate(['report', 'rshard-1.json', '--markdown', 'shard.md'])
    expect(r.code, r.output).toBe(0)
    expect(r.stdout).toContain('PARTIAL')
    expect(readFileSync(path.join(app, 'shard.md'), 'utf8')).toContain('_Partial run')
  })

  it('a missing file or a file that is not an artifact: exit 2 naming it', async () => {
    const missing = await evalgate(['report', 'nope.json'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe('evalgate: nope.json: no such file\n')
    writeFileSync(path.join(app, 'package-like.json'), '{"name": "x"}')
    const other = await evalgate(['report', 'package-like.json'])
    expect(other.code).toBe(2)
    expect(other.stderr).toBe(
      'evalgate: package-like.json is not an evalgate report: expected "tool.name" to be "evalgate"\n',
    )
  })
})

describe('evalgate merge', () => {
  it('Vitest --shard=1/2 and 2/2 merge into the unsharded artifact', async () => {
    const r = await evalgate(['merge', 'vshard-1.json', 'vshard-2.json', '-o', 'vmerged.json'])
    expect(r.code, r.output).toBe(0)
    expect(r.stdout).toContain('evalgate: merged 2 artifacts into vmerged.json: passed')
    const merged = readArtifact(path.join(app, 'vmerged.json'))
    expect(untimed(merged)).toEqual(untimed(readArtifact(artifacts['base.json']!)))
  })

  it('row shards EVALGATE_SHARD=1/3..3/3 (real runs of each shard’s rows) merge into the unsharded artifact', async () => {
    const shards = [1, 2, 3].map((i) => readArtifact(path.join(app, `rshard-${i}.json`)))
    shards.forEach((s, k) => {
      expect(s.partial).toBe(true)
      // Each job ran its own rows: those whose stable hash of id (else index) falls in it.
      for (const e of s.evals) {
        for (const row of e.rows) {
          const key = row.id === null ? { index: row.index } : { id: row.id, index: row.index }
          expect(shardOf(key, 3), `${e.name} row ${row.index}`).toBe(k + 1)
        }
      }
    })
    const r = await evalgate([
      'merge',
      'rshard-1.json',
      'rshard-2.json',
      'rshard-3.json',
      '-o',
      'rmerged.json',
    ])
    expect(r.code, r.output).toBe(0)
    const merged = readArtifact(path.join(app, 'rmerged.json'))
    expect(merged.partial).toBe(false)
    expect(untimed(merged)).toEqual(untimed(readArtifact(artifacts['base.json']!)))
  })

  it('Jest --shard=1/2 and 2/2 merge into the unsharded Jest artifact', async () => {
    const r = await evalgate(['merge', 'jshard-1.json', 'jshard-2.json', '-o', 'jmerged.json'])
    expect(r.code, r.output).toBe(0)
    const merged = readArtifact(path.join(app, 'jmerged.json'))
    expect(merged.tool.host).toBe('jest')
    expect(untimed(merged)).toEqual(untimed(readArtifact(path.join(app, 'jest.json'))))
  })

  it('overlapping shards, or shards of two hosts: exit 2 naming the eval, rows and files', async () => {
    const overlap = await evalgate(['merge', 'base.json', 'vshard-1.json'])
    expect(overlap.code).toBe(2)
    expect(overlap.stderr).toMatch(
      /^evalgate: merge: eval "(alpha|beta|no ids)" \(evals\/vitest\/\w+\.eval\.ts\): \d+ row result\(s\) are in more than one shard: row 0 trial 0 \(in base\.json and vshard-1\.json\)/,
    )
    const hosts = await evalgate(['merge', 'vshard-1.json', 'jshard-2.json'])
    expect(hosts.code).toBe(2)
    expect(hosts.stderr).toBe(
      'evalgate: merge: vshard-1.json was written by vitest and jshard-2.json by jest; the shards of one run come from one test runner\n',
    )
  })
})

describe('evalgate compare', () => {
  it('finds the regression of a worse candidate, lists the added rows; --fail-on-regression exits 1', async () => {
    const r = await evalgate(['compare', 'base.json', 'worse.json', '--json', 'diff.json'])
    expect(r.code, r.output).toBe(0)
    expect(r.stdout).toContain(
      'REGRESSION  alpha  evals/vitest/alpha.eval.ts  30 rows paired by id, 3 added',
    )
    expect(r.stdout).toMatch(
      /^ {2}exact +0\.9 +0\.667 +-0\.233 +\[-0\.\d+, -0\.\d+\] +\S+ +REGRESSION$/m,
    )
    expect(r.stdout).toContain('added rows (3): "alpha-30", "alpha-31", "alpha-32"')
    expect(r.stdout).toContain('"alpha-03" exact: pass → fail')
    expect(r.stdout).toContain('candidate: false: said "wrong 3"')
    const diff = ComparisonSchema.parse(
      JSON.parse(readFileSync(path.join(app, 'diff.json'), 'utf8')),
    )
    expect(diff.regression).toBe(true)
    const gate = await evalgate(['compare', 'base.json', 'worse.json', '--fail-on-regression'])
    expect(gate.code).toBe(1)
  })

  it('finds none between two runs of the same evals (the unsharded and the merged); exit 0 with --fail-on-regression', async () => {
    const summary = path.join(app, 'step-summary.md')
    const r = await evalgate(['compare', 'base.json', 'vmerged.json', '--fail-on-regression'], {
      GITHUB_STEP_SUMMARY: summary,
    })
    expect(r.code, r.output).toBe(0)
    expect(r.stdout).toMatch(/no regression\n$/)
    expect(readFileSync(summary, 'utf8')).toMatch(/^## evalgate compare: ✅ no regression/)
  })

  it('rows removed are listed (the candidate is the baseline here)', async () => {
    const r = await evalgate(['compare', 'worse.json', 'base.json', '--eval', 'alpha'])
    expect(r.code, r.output).toBe(0)
    expect(r.stdout).toContain('removed rows (3): "alpha-30", "alpha-31", "alpha-32"')
    expect(r.stdout).toContain('improved')
  })

  it('an artifact missing or not an artifact: exit 2 naming it (read in its own thread)', async () => {
    const missing = await evalgate(['compare', 'base.json', 'nope.json'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe('evalgate: nope.json: no such file\n')
    writeFileSync(path.join(app, 'not-artifact.json'), '{"tool": {"name": "evalgate"}}')
    const invalid = await evalgate(['compare', 'not-artifact.json', 'base.json'])
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toMatch(/^evalgate: not-artifact\.json is not a valid evalgate report: /)
  })

  it('id-less rows of datasets of different lengths: exit 2, saying ids are needed', async () => {
    const r = await evalgate(['compare', 'base.json', 'noids-10.json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'evalgate: compare: eval "no ids": rows without an id (8 of 8 rows in base.json, 10 of 10 rows in noids-10.json) can be paired only by position, and the datasets differ in length (8 rows in base.json, 10 in noids-10.json); give every row an "id" so rows pair up across runs\n',
    )
    const other = await evalgate(['compare', 'base.json', 'noids-10.json', '--eval', 'alpha'])
    expect(other.code).toBe(0)
  })
})
