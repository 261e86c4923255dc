// The evalgate command in-process (runCli with captured streams): every command, its output,
// files and exit codes. The packed binary itself is run by test/integration/cli.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { ComparisonSchema } from '../../src/core/compare-schema.js'
import { mergeReports } from '../../src/core/merge.js'
import type { Report } from '../../src/core/report.js'
import { ReportSchema } from '../../src/core/report-schema.js'
import { scorer } from '../../src/core/scorer.js'
import { shardOf } from '../../src/core/shard.js'
import { artifactOf, type EvalDef, runAll, withoutTimings } from './cli-artifacts.js'

async function cli(args: string[], env: Record<string, string> = {}) {
  let out = ''
  let err = ''
  const code = await runCli(args, {
    out: (t) => {
      out += t
    },
    err: (t) => {
      err += t
    },
    env,
    color: false,
    width: 100,
  })
  return { code, out, err }
}

const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-cli-'))
const at = (name: string) => path.join(dir, name)
function write(name: string, data: unknown): string {
  writeFileSync(at(name), typeof data === 'string' ? data : JSON.stringify(data))
  return at(name)
}

const correct = scorer('correct', ({ outputs, expectations }) => ({
  value: outputs === expectations.answer,
  rationale: `answered ${String(outputs)}`,
}))

function qa(answers: string[], options: { ids?: boolean; gate?: number } = {}): EvalDef {
  return {
    name: 'qa',
    file: 'evals/qa.eval.ts',
    data: answers.map((a, i) => ({
      ...(options.ids === false ? {} : { id: `q${i}` }),
      inputs: { i },
      outputs: a,
      expectations: { answer: 'yes' },
    })),
    scorers: [correct],
    thresholds: { 'correct/mean': { min: options.gate ?? 0.5 } },
  }
}

async function artifact(def: EvalDef): Promise<Report> {
  return artifactOf([{ def, rows: await runAll(def) }])
}

const good = Array.from({ length: 40 }, (_, i) => (i % 10 === 0 ? 'no' : 'yes'))
const worse = good.map((a, i) => (i % 3 === 0 ? 'no' : a))

let base: string
let cand: string
let failed: string

beforeAll(async () => {
  base = write('base.json', await artifact(qa(good)))
  cand = write('cand.json', await artifact(qa(worse)))
  failed = write('failed.json', await artifact(qa(worse, { gate: 0.9 })))
})

describe('evalgate: usage', () => {
  it.each([['--help'], ['report', '--help'], ['merge', '--help'], ['compare', '--help']])(
    '%s %s prints usage and exits 0',
    async (...args) => {
      const r = await cli(args.filter((a) => a !== undefined))
      expect(r.code).toBe(0)
      expect(r.out).toMatch(/^Usage: evalgate/)
    },
  )

  it('no command, an unknown option or a missing argument exits 2 with usage on stderr', async () => {
    expect((await cli([])).code).toBe(2)
    const unknown = await cli(['report', base, '--bogus'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain("error: unknown option '--bogus'")
    const missing = await cli(['compare', base])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain("error: missing required argument 'candidate'")
  })
})

describe('evalgate report', () => {
  it('prints the tables of a passing artifact and exits 0', async () => {
    const r = await cli(['report', base])
    expect(r.code).toBe(0)
    expect(r.out).toContain('PASS  qa  evals/qa.eval.ts')
    expect(r.out).toContain('correct/mean')
    expect(r.out).toContain(`evalgate: ${base}: passed`)
  })

  it('exits 1 when the artifact says the run failed', async () => {
    const r = await cli(['report', failed])
    expect(r.code).toBe(1)
    expect(r.out).toContain('FAIL  qa')
  })

  it('--markdown prints Markdown instead; --markdown file writes it', async () => {
    const r = await cli(['report', base, '--markdown'])
    expect(r.out).toMatch(/^## evalgate: ✅/)
    const file = at('report.md')
    const w = await cli(['report', failed, '--markdown', file])
    expect(w.code).toBe(1)
    expect(readFileSync(file, 'utf8')).toMatch(/^## evalgate: ❌/)
  })

  it('--html writes the HTML report beside the artifact or to a file, with --baseline its comparison', async () => {
    const r = await cli(['report', base, '--html'])
    expect(r.code).toBe(0)
    const beside = base.replace(/\.json$/, '.html')
    expect(readFileSync(beside, 'utf8')).toMatch(/^<!doctype html>/i)
    const file = at('pages/cand.html')
    const c = await cli(['report', cand, '--html', file, '--baseline', base])
    expect(c.code).toBe(0)
    expect(c.out).toContain('evalgate: HTML report written to')
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(1000)
    const alone = await cli(['report', cand, '--baseline', base])
    expect(alone.code).toBe(2)
    expect(alone.err).toBe(
      'evalgate: report --baseline: the comparison is shown in the HTML report; add --html (or run evalgate compare)\n',
    )
  })

  it('names the file and what is wrong: missing, a directory, not JSON, not an artifact, newer, invalid', async () => {
    const cases: Array<[string, string]> = [
      [at('nope.json'), `evalgate: ${at('nope.json')}: no such file`],
      [dir, `evalgate: ${dir}: a directory, not an artifact file`],
      [write('empty.json', ''), `evalgate: ${at('empty.json')} is not JSON: the file is empty`],
      [write('text.json', 'hello'), `evalgate: ${at('text.json')} is not JSON: `],
      [
        write('other.json', { tool: { name: 'jest' } }),
        `evalgate: ${at('other.json')} is not an evalgate report: expected "tool.name" to be "evalgate"`,
      ],
      [
        write('newer.json', { schemaVersion: 3, tool: { name: 'evalgate' } }),
        `evalgate: ${at('newer.json')} has report schema version 3, newer than this evalgate reads (1 to 2); upgrade evalgate`,
      ],
      [
        write('invalid.json', { schemaVersion: 2, tool: { name: 'evalgate' } }),
        `evalgate: ${at('invalid.json')} is not a valid evalgate report: `,
      ],
    ]
    for (const [file, message] of cases) {
      const r = await cli(['report', file])
      expect(r.code, file).toBe(2)
      expect(r.err.startsWith(message), r.err).toBe(true)
      expect(r.out).toBe('')
    }
  })
})

describe('evalgate merge', () => {
  it('joins row shards into the unsharded artifact (-o), prints its tables and exits by its status', async () => {
    const def = qa(good, { gate: 0.95 })
    const rows = await runAll(def)
    const whole = artifactOf([{ def, rows }])
    const shards = [1, 2, 3].map((i) =>
      write(
        `shard-${i}.json`,
        artifactOf([
          { def, rows: rows.filter((r) => shardOf({ id: r.id, index: r.index }, 3) === i) },
        ]),
      ),
    )
    const out = at('merged/merged.json')
    mkdirSync(path.dirname(out), { recursive: true })
    const r = await cli(['merge', ...shards, '-o', out])
    expect(r.err).toBe('')
    expect(r.code).toBe(1)
    expect(r.out).toContain(`evalgate: merged 3 artifacts into ${out}: failed`)
    const merged = ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')))
    expect(withoutTimings(merged)).toEqual(withoutTimings(ReportSchema.parse(whole)))
    // Without -o: the merged JSON on stdout.
    const s = await cli(['merge', ...shards])
    expect(s.code).toBe(1)
    expect(withoutTimings(JSON.parse(s.out) as Report)).toEqual(withoutTimings(whole))
  })

  it('writes the JSON of the merged report byte for byte, from compact or pretty-printed shards', async () => {
    const def = qa(good, { gate: 0.5 })
    const rows = await runAll(def)
    const parts = [1, 2].map((i) =>
      artifactOf([
        { def, rows: rows.filter((r) => shardOf({ id: r.id, index: r.index }, 2) === i) },
      ]),
    )
    const compact = parts.map((p, i) => write(`exact-${i}.json`, p))
    const pretty = [write('pretty-0.json', JSON.stringify(parts[0], null, 2)), compact[1]!]
    const read = compact.map((file) => ({
      file,
      report: JSON.parse(readFileSync(file, 'utf8')) as Report,
    }))
    const expected = `${JSON.stringify(mergeReports(read))}\n`
    for (const files of [compact, pretty]) {
      const out = at('exact.json')
      const r = await cli(['merge', ...files, '-o', out])
      expect(r.code, r.err).toBe(0)
      expect(readFileSync(out, 'utf8')).toBe(expected)
      expect((await cli(['merge', ...files])).out).toBe(expected)
    }
  })

  it('needs two artifacts, and refuses overlapping shards (exit 2)', async () => {
    const one = await cli(['merge', base])
    expect(one.code).toBe(2)
    expect(one.err).toBe(
      `evalgate: merge: expected two or more artifacts (one per shard), received 1: ${base}\n`,
    )
    const twice = await cli(['merge', base, base, '-o', at('never.json')])
    expect(twice.code).toBe(2)
    expect(twice.err).toMatch(
      /^evalgate: merge: eval "qa" \(evals\/qa\.eval\.ts\): 40 row result\(s\) are in more than one shard: row 0 trial 0 \(in .*base\.json and .*base\.json\)/,
    )
  })
})

describe('evalgate compare', () => {
  it('finds the regression, prints the table and the flipped rows; exits 1 only with --fail-on-regression', async () => {
    const r = await cli(['compare', base, cand])
    expect(r.code).toBe(0)
    expect(r.out).toContain('REGRESSION  qa  evals/qa.eval.ts  40 rows paired by id')
    expect(r.out).toMatch(
      /correct\s+0\.9\s+0\.6\s+-0\.3\s+\[-0\.\d+, -0\.\d+\]\s+<0\.001\s+REGRESSION/,
    )
    expect(r.out).toContain('"q3" correct: pass → fail')
    expect(r.out).toContain('baseline:  true: answered yes')
    expect(r.out).toContain('candidate: false: answered no')
    expect(r.out).toMatch(/1 regression\(s\): qa: correct\n$/)
    const f = await cli(['compare', base, cand, '--fail-on-regression'])
    expect(f.code).toBe(1)
  })

  it('no regression: exits 0 with --fail-on-regression', async () => {
    const r = await cli(['compare', base, base, '--fail-on-regression'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/no regression\n$/)
  })

  it('a margin wider than the drop leaves it within the margin', async () => {
    const r = await cli([
      'compare',
      base,
      cand,
      '--margin',
      'correct/mean=0.5',
      '--fail-on-regression',
    ])
    expect(r.code).toBe(0)
    expect(r.out).toContain('within margin')
  })

  it('writes --json (valid against the shipped schema), --markdown to a file, and GITHUB_STEP_SUMMARY', async () => {
    const json = at('diff.json')
    const md = at('diff.md')
    const summary = at('summary.md')
    writeFileSync(summary, '# earlier step\n')
    const r = await cli(['compare', base, cand, '--json', json, '--markdown', md], {
      GITHUB_STEP_SUMMARY: summary,
    })
    expect(r.code).toBe(0)
    const c = ComparisonSchema.parse(JSON.parse(readFileSync(json, 'utf8')))
    expect(c.regression).toBe(true)
    expect(c.evals[0]!.flips.length).toBeGreaterThan(0)
    const text = readFileSync(md, 'utf8')
    expect(text).toMatch(/^## evalgate compare: ❌ 1 regression\(s\)/)
    expect(text).toContain('| correct | 0.9 | 0.6 | -0.3 |')
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${text}\n`)
    const stdout = await cli(['compare', base, cand, '--markdown'])
    expect(stdout.out).toBe(text)
  })

  it('rows added and removed are listed', async () => {
    const moreRows = write('more.json', await artifact(qa([...good, 'yes', 'no'])))
    const r = await cli(['compare', base, moreRows])
    expect(r.out).toContain('40 rows paired by id, 2 added')
    expect(r.out).toContain('added rows (2): "q40", "q41"')
    const back = await cli(['compare', moreRows, base])
    expect(back.out).toContain('removed rows (2): "q40", "q41"')
  })

  it('rows without ids in datasets of different lengths: exit 2, saying ids are needed', async () => {
    const a = write('noid-a.json', await artifact(qa(good, { ids: false })))
    const b = write('noid-b.json', await artifact(qa(good.slice(0, 30), { ids: false })))
    const r = await cli(['compare', a, b])
    expect(r.code).toBe(2)
    expect(r.err).toContain('give every row an "id" so rows pair up across runs')
    expect(r.err).toContain('(40 rows in')
  })

  it('bad options exit 2 naming the option', async () => {
    const c = await cli(['compare', base, cand, '--confidence', '95'])
    expect(c.code).toBe(2)
    expect(c.err).toBe(
      'evalgate: --confidence: expected a level strictly between 0 and 1 (e.g. 0.95), received "95"\n',
    )
    const m = await cli(['compare', base, cand, '--margin', 'correct/p90=1'])
    expect(m.code).toBe(2)
    expect(m.err).toMatch(/^evalgate: --margin "correct\/p90=1": /)
    const e = await cli(['compare', base, cand, '--eval', 'nope'])
    expect(e.code).toBe(2)
    expect(e.err).toMatch(/no eval named "nope"/)
  })
})
