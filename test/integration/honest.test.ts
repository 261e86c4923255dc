import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { toJsonValue } from '../../src/base/json.js'
import type { EvalReport, Report } from '../../src/core/report-schema.js'
import {
  copyProject,
  expectArtifactAgreesWithExit,
  type RunResult,
  readVitestJson,
  runVitest,
  type VitestJsonFile,
} from './harness.js'

// Issue 9, "Honest artifacts and visible failures": each test runs a real Vitest process on a few
// eval files of the `honest` fixture project and checks the artifact and the terminal. Every
// test also checks the invariant of item 10: the artifact is written, parses with ReportSchema,
// and its status agrees with the exit code.

const ARTIFACT = 'out/report.json'
const VITEST_JSON = 'out/vitest.json'

interface Scenario {
  dir: string
  r: RunResult
  report: Report
}

/** Runs `vitest run <args>` in a fresh copy of the fixture, then checks the invariant. */
async function scenario(args: readonly string[], env: Record<string, string> = {}) {
  const dir = copyProject('honest')
  const r = await runVitest(dir, ['run', ...args], env)
  const report = expectArtifactAgreesWithExit(r, path.join(dir, ARTIFACT))
  return { dir, r, report } satisfies Scenario
}

function evalNamed(s: Scenario, name: string): EvalReport {
  const e = s.report.evals.find((x) => x.name === name)
  expect(e, `eval "${name}" in the artifact\n${s.r.output}`).toBeDefined()
  return e!
}

/** v2 fields read before the schema types know them (rows' `metadata`, metrics' `skipped`...). */
function field(object: unknown, key: string): unknown {
  return (object as Record<string, unknown>)[key]
}

function cycle(): Record<string, unknown> {
  const o: Record<string, unknown> = { a: 1 }
  o.self = o
  return o
}
function namedFn() {
  return 1
}

/** The evalgate reporter's block of the terminal: from its first eval heading to its last line. */
function evalgateBlock(r: RunResult): string {
  const lines = r.stdout.split('\n')
  const start = lines.findIndex((l) => /^(PASS|FAIL|SKIP|PARTIAL)\b.* {2}\S+\.eval\.ts\b/.test(l))
  const end = lines.findIndex((l) => l.startsWith('evalgate: report written to'))
  expect(start, `the evalgate tables\n${r.output}`).toBeGreaterThanOrEqual(0)
  expect(end, r.output).toBeGreaterThan(start)
  return lines.slice(start, end + 1).join('\n')
}

/** The text of one eval's table in the evalgate block (its heading to the next heading). */
function evalTable(r: RunResult, evalName: string): string {
  const block = evalgateBlock(r).split('\n')
  const start = block.findIndex((l) => new RegExp(`^\\S+ {2}${evalName} {2}`).test(l))
  expect(start, `the table of "${evalName}"\n${r.output}`).toBeGreaterThanOrEqual(0)
  let end = block.findIndex((l, i) => i > start && /^\S+ {2}\S.* {2}\S+\.eval\.ts\b/.test(l))
  if (end < 0) end = block.length
  return block.slice(start, end).join('\n')
}

/** A thrown error's block in Vitest's failure output: from `<Name>: <first line>` to its frames. */
function errorBlock(r: RunResult, header: string): string {
  const start = r.output.indexOf(header)
  expect(start, `"${header}" in the output\n${r.output}`).toBeGreaterThanOrEqual(0)
  const rest = r.output.slice(start)
  const end = rest.search(/\n\s*❯ |\n⎯/)
  return end < 0 ? rest : rest.slice(0, end)
}

function fileResult(dir: string, file: string): VitestJsonFile {
  const json = readVitestJson(path.join(dir, VITEST_JSON))
  const f = json.testResults.find((t) => t.name.endsWith(file))
  expect(f, `${file} in Vitest's JSON report`).toBeDefined()
  return f!
}

/** Every failure message of a file in Vitest's JSON report: its own and its tests'. */
function fileFailures(dir: string, file: string): string {
  const f = fileResult(dir, file)
  return [f.message, ...f.assertionResults.flatMap((t) => t.failureMessages)].join('\n')
}

describe('issue 9: honest artifacts and visible failures (real Vitest runs)', () => {
  it('item 1: BigInt, cycles, functions and Symbols in outputs, inputs, expectations and metadata are stored as JSON-safe copies; no eval or row is lost', async () => {
    const s = await scenario(['evals/unsafe-values', 'evals/plain'])
    expect(s.r.code, s.r.output).toBe(0)
    expect(s.report.evals.map((e) => [e.name, e.status, e.rows.length]).sort()).toEqual([
      ['plain neighbour', 'passed', 2],
      ['unsafe row fields', 'passed', 4],
      ['unsafe task outputs', 'passed', 4],
    ])

    const outputs = evalNamed(s, 'unsafe task outputs')
    expect(outputs.rows.map((r) => [r.index, r.id, r.outputs])).toEqual([
      [0, 'bigint', '123n'],
      [1, 'cycle', { a: 1, self: '[Circular]' }],
      [2, 'function', '[Function namedFn]'],
      [3, 'symbol', 'Symbol(x)'],
    ])

    const fields = evalNamed(s, 'unsafe row fields')
    const stored = fields.rows.map((r) => ({
      id: r.id,
      inputs: r.inputs,
      expectations: r.expectations,
      metadata: field(r, 'metadata'),
    }))
    // One implementation of the rules for traces and rows: src/base/json.ts toJsonValue.
    expect(stored).toEqual([
      {
        id: 'bigint-fields',
        inputs: { n: '123n' },
        expectations: { e: '5n' },
        metadata: { m: '7n' },
      },
      {
        id: 'cycle-fields',
        inputs: { c: { a: 1, self: '[Circular]' } },
        expectations: { c: { a: 1, self: '[Circular]' } },
        metadata: { c: { a: 1, self: '[Circular]' } },
      },
      {
        id: 'function-fields',
        inputs: { f: '[Function namedFn]' },
        expectations: { f: '[Function namedFn]' },
        metadata: { f: '[Function namedFn]' },
      },
      {
        id: 'symbol-fields',
        inputs: toJsonValue({ s: Symbol('x'), keep: 1 }),
        expectations: toJsonValue({ s: Symbol('x'), keep: 2 }),
        metadata: toJsonValue({ s: Symbol('x'), keep: 3 }),
      },
    ])
    expect(stored[1]!.inputs).toEqual(toJsonValue({ c: cycle() }))
    expect(stored[2]!.inputs).toEqual(toJsonValue({ f: namedFn }))
    expect(outputs.rows[3]!.outputs).toEqual(toJsonValue(Symbol('x')))
    for (const e of [outputs, fields]) {
      for (const row of e.rows) {
        expect(row.passed, `${e.name} ${row.id}`).toBe(true)
        expect(row.feedback.map((f) => [f.name, f.value])).toEqual([['ran', true]])
      }
    }
  })

  it('item 2: scorer results the report schema refuses are SCORER_ERRORs naming the scorer and the field; the artifact is written', async () => {
    const s = await scenario(['evals/refused-results'])
    const e = evalNamed(s, 'refused results')
    expect(e.rows.map((r) => r.id)).toEqual(['one', 'two'])
    const fieldOf: Record<string, RegExp> = {
      bigint_value: /value/,
      cycle_metadata: /metadata/,
      function_metadata: /metadata/,
      numeric_source_id: /source/,
      extra_error_key: /extra/,
      negative_cost: /costUsd/,
    }
    for (const row of e.rows) {
      for (const [name, fieldPattern] of Object.entries(fieldOf)) {
        const fb = row.feedback.find((f) => f.name === name)
        expect(fb, `feedback "${name}" on row ${row.id}`).toBeDefined()
        expect(fb!.error?.code, `${name} on row ${row.id}: ${JSON.stringify(fb)}`).toBe(
          'SCORER_ERROR',
        )
        expect(fb!.error!.message).toContain(name)
        expect(fb!.error!.message).toMatch(fieldPattern)
        expect(fb!.value).toBeNull()
      }
      expect(row.feedback.find((f) => f.name === 'fine')).toMatchObject({
        value: true,
        error: null,
      })
    }
    // Nothing refused leaked into the totals: no negative cost anywhere.
    expect(s.report.usage.costUsd ?? 0).toBeGreaterThanOrEqual(0)
  })

  it('item 3: a custom aggregation that throws or returns NaN/Infinity is an error on its metric; its gate fails naming it; other gates stand', async () => {
    const s = await scenario(['evals/custom-aggregation'])
    expect(s.r.code, s.r.output).toBe(1)
    const e = evalNamed(s, 'broken aggregation')
    expect(e.status).toBe('failed')
    expect(e.rows).toHaveLength(3)
    const quality = e.metrics['quality']!
    expect(quality.mean).toBe(0.75)
    expect(quality['boom']).toBeNull()
    expect(quality['not_a_number']).toBeNull()
    expect(quality['endless']).toBeNull()
    const reasons = field(quality, 'aggregationErrors') as Record<string, string> | undefined
    expect(reasons, JSON.stringify(quality)).toBeDefined()
    expect(reasons!['boom']).toContain('boom exploded')
    expect(reasons!['not_a_number']).toMatch(/NaN/)
    expect(reasons!['endless']).toMatch(/Infinity/)
    expect(Object.keys(reasons!).sort()).toEqual(['boom', 'endless', 'not_a_number'])

    const gate = (key: string) => e.thresholds.find((g) => g.key === key)
    expect(gate('quality/boom')).toMatchObject({ passed: false, actual: null })
    expect(gate('quality/boom')!.reason).toMatch(/boom/)
    expect(gate('quality/not_a_number')).toMatchObject({ passed: false, actual: null })
    expect(gate('quality/not_a_number')!.reason).toMatch(/not_a_number/)
    expect(gate('other/mean')).toMatchObject({ passed: true, actual: 1 })
    expect(gate('quality/mean')).toMatchObject({ passed: true, actual: 0.75 })
    expect(e.failures.join('\n')).toMatch(/quality\/boom/)

    const table = evalTable(s.r, 'broken aggregation')
    expect(table).toMatch(/^FAIL {2}broken aggregation/)
    expect(table).not.toMatch(/no rows ran/)
    expect(table).toMatch(/other\/mean.*PASS/)
    expect(errorBlock(s.r, 'EvalThresholdError: eval "broken aggregation" failed')).toMatch(
      /quality\/boom/,
    )
  })

  it('item 4: scores near Number.MAX_VALUE aggregate to finite numbers or null, never NaN; the artifact is written', async () => {
    const MAX = Number.MAX_VALUE
    const s = await scenario(['evals/huge-scores'])
    expect(s.r.code, s.r.output).toBe(0)
    const e = evalNamed(s, 'huge scores')
    expect(e.rows).toHaveLength(4)
    const huge = e.metrics['huge']!
    expect(huge.count).toBe(4)
    for (const [key, v] of Object.entries(huge)) {
      if (typeof v === 'number') expect(Number.isFinite(v), `${key} = ${v}`).toBe(true)
      else if (typeof v !== 'object') expect(v, key).toBeNull()
    }
    // [MAX, MAX, MAX/2, -MAX]: finite inputs whose mean and median are finite.
    expect(huge.mean, 'mean of [MAX, MAX, MAX/2, -MAX]').not.toBeNull()
    expect(huge.mean! / MAX).toBeCloseTo(0.375, 10)
    expect(huge.median, 'median of [MAX, MAX, MAX/2, -MAX]').not.toBeNull()
    expect(huge.median! / MAX).toBeCloseTo(0.75, 10)
    expect(huge.min).toBe(-MAX)
    expect(huge.max).toBe(MAX)
  })

  it('item 5: `scorers: []` in describeEval and in evalTest is a configuration error before any row runs', async () => {
    const s = await scenario(['evals/no-scorers-describe', 'evals/no-scorers-evaltest'])
    expect(s.r.code, s.r.output).toBe(1)
    for (const file of ['no-scorers-describe.eval.ts', 'no-scorers-evaltest.eval.ts']) {
      expect(fileResult(s.dir, file).status, file).toBe('failed')
      expect(fileFailures(s.dir, file), file).toMatch(/scorers/)
      const marker = `ran-${file.replace('.eval.ts', '')}.txt`
      expect(existsSync(path.join(s.dir, marker)), `${marker}: the task ran`).toBe(false)
    }
    expect(s.report.evals.filter((e) => e.status !== 'failed')).toEqual([])
  })

  it('item 6: an eval whose every row errored fails, whatever maxErrors says', async () => {
    const s = await scenario(['evals/all-errored'])
    expect(s.r.code, s.r.output).toBe(1)
    const e = evalNamed(s, 'all errored')
    expect(e.status).toBe('failed')
    expect(e.erroredRows).toBe(3)
    expect(e.rows).toHaveLength(3)
    expect(e.failures.join('\n')).toMatch(/scored value/i)
  })

  it('item 7: a bound outside what a yes/no mean can take fails the gate, saying why', async () => {
    const s = await scenario(['evals/toxic-range'])
    expect(s.r.code, s.r.output).toBe(1)
    const e = evalNamed(s, 'toxic range')
    expect(e.status).toBe('failed')
    const gate = e.thresholds.find((g) => g.key === 'toxic/mean')
    expect(gate).toMatchObject({ passed: false })
    expect(gate!.reason).toMatch(/range|\[0, ?1\]/i)
  })

  it('item 7: a passRate bound outside [0, 1] is a configuration error before any row runs', async () => {
    const s = await scenario(['evals/passrate-range'])
    expect(s.r.code, s.r.output).toBe(1)
    expect(existsSync(path.join(s.dir, 'ran-passrate-range.txt')), 'the task ran').toBe(false)
    const message = fileFailures(s.dir, 'passrate-range.eval.ts')
    expect(message).toContain('x/passRate')
    expect(message).toMatch(/range|\[0, ?1\]/i)
    expect(s.report.errors.map((x) => x.file)).toContain('evals/passrate-range.eval.ts')
  })

  it('item 10: a run whose `-t` matches nothing rewrites a stale artifact', async () => {
    const dir = copyProject('honest')
    mkdirSync(path.join(dir, 'out'))
    const stale = { status: 'passed', stale: true, evals: [{ name: 'from last week' }] }
    writeFileSync(path.join(dir, ARTIFACT), JSON.stringify(stale))
    const before = Date.now()
    const r = await runVitest(dir, ['run', 'evals/plain', '-t', 'matches-no-row-at-all'])
    const report = expectArtifactAgreesWithExit(r, path.join(dir, ARTIFACT))
    expect(r.code, r.output).toBe(0)
    expect(Date.parse(report.startedAt)).toBeGreaterThanOrEqual(before - 1000)
    for (const e of report.evals) {
      expect(e.status, e.name).toBe('skipped')
      expect(e.rows).toEqual([])
    }
    // API.md: a run that left rows out (`-t`, `.only`, a skipped eval) is partial.
    expect(field(report, 'partial')).toBe(true)
  })

  it('item 10: a run whose only eval is describeEval.skip rewrites a stale artifact', async () => {
    const dir = copyProject('honest')
    mkdirSync(path.join(dir, 'out'))
    writeFileSync(path.join(dir, ARTIFACT), JSON.stringify({ status: 'passed', stale: true }))
    const before = Date.now()
    const r = await runVitest(dir, ['run', 'evals/skip-only'])
    const report = expectArtifactAgreesWithExit(r, path.join(dir, ARTIFACT))
    expect(r.code, r.output).toBe(0)
    expect(Date.parse(report.startedAt)).toBeGreaterThanOrEqual(before - 1000)
    for (const e of report.evals) {
      expect(e.status, e.name).toBe('skipped')
      expect(e.rows).toEqual([])
    }
    // API.md: a run that left rows out (`-t`, `.only`, a skipped eval) is partial.
    expect(field(report, 'partial')).toBe(true)
  })

  it('item 10: a `-t` run of 1 of 5 rows is partial: its gates are not evaluated, the exit code and the status agree', async () => {
    // r2 is a wrong answer: judged on that one row, the gate would fail while Vitest exits 0.
    const s = await scenario(['evals/partial', '-t', 'r2'])
    expect(s.r.code, s.r.output).toBe(0)
    expect(s.report.status).toBe('passed')
    expect(field(s.report, 'partial')).toBe(true)
    const e = evalNamed(s, 'partial gate')
    expect(e.status).toBe('partial')
    expect(e.rows.map((r) => [r.index, r.id])).toEqual([[1, 'r2']])
    expect(e.thresholds).toHaveLength(1)
    expect(e.thresholds[0]!.passed).toBeNull()
    expect(e.thresholds[0]!.reason).toContain('not evaluated (partial run: 1 of 5 rows)')
    const table = evalTable(s.r, 'partial gate')
    expect(table).toContain('not evaluated')
    expect(table).not.toMatch(/exact_match\/mean.*\b(PASS|FAIL)\b/)
  })

  it('item 11: the failing thresholds test lists the failing rows (id, metric, value, rationale) after the gate table, first 10 then a count; so does the reporter', async () => {
    const s = await scenario(['evals/failing-rows'])
    expect(s.r.code, s.r.output).toBe(1)
    const bad = Array.from({ length: 12 }, (_, i) => `bad-${String(i + 1).padStart(2, '0')}`)
    const message = errorBlock(s.r, 'EvalThresholdError: eval "failing rows" failed')
    // The reporter may wrap a long entry onto indented lines: read it as one line.
    const table = evalTable(s.r, 'failing rows').replace(/\n {3,}/g, ' ')
    for (const [where, text] of [
      ['thresholds failure', message],
      ['reporter', table],
    ] as const) {
      const gateAt = text.indexOf('exact_match/mean')
      expect(gateAt, `${where}: the gate\n${text}`).toBeGreaterThanOrEqual(0)
      for (let i = 0; i < 10; i++) {
        const at = text.indexOf(bad[i]!, gateAt)
        expect(at, `${where}: row ${bad[i]} after the gate table\n${text}`).toBeGreaterThan(gateAt)
        const next = i < 9 ? text.indexOf(bad[i + 1]!, at) : -1
        const entry = text.slice(at, next < 0 ? undefined : next)
        expect(entry, `${where}: row ${bad[i]}`).toContain('exact_match')
        expect(entry, `${where}: row ${bad[i]}`).toContain('false')
        expect(entry, `${where}: row ${bad[i]}`).toContain(
          `expected right, got wrong answer ${101 + i}`,
        )
      }
      expect(text, `${where}: only the first 10 rows`).not.toContain('bad-11')
      expect(text, `${where}: only the first 10 rows`).not.toContain('bad-12')
      expect(text, `${where}: then a count`).toMatch(/\b2 more\b/)
      expect(text, `${where}: passing rows are not listed`).not.toContain('good-1')
    }
  })

  it('item 11: an error tolerated by maxErrors is visible: annotated on its row test and listed under the eval table', async () => {
    const s = await scenario([
      'evals/tolerated',
      '--reporter=verbose',
      '--reporter=evalgate/reporter',
      '--reporter=json',
    ])
    expect(s.r.code, s.r.output).toBe(0)
    const e = evalNamed(s, 'tolerated error')
    expect(e.erroredRows).toBe(1)
    // The verbose reporter prints a test's annotations under its line.
    const lines = s.r.stdout.split('\n')
    const t2 = lines.findIndex((l) => /tolerated error > t2\b/.test(l))
    expect(t2, s.r.output).toBeGreaterThanOrEqual(0)
    const annotation = lines.slice(t2 + 1, t2 + 6).join('\n')
    expect(annotation, `annotation of t2\n${s.r.output}`).toContain('cannot read the answer of t2')
    const table = evalTable(s.r, 'tolerated error').replace(/\n {3,}/g, ' ')
    expect(table).toMatch(/\bt2\b.*cannot read the answer of t2/)
  })

  it('item 13: with COLUMNS=60 and no TTY, two long metric names sharing a prefix both print in full, within 60 columns', async () => {
    const s = await scenario(['evals/long-names'], { COLUMNS: '60' })
    expect(s.r.code, s.r.output).toBe(0)
    const block = evalgateBlock(s.r)
    for (const name of [
      'answer_relevance_to_customer_query',
      'answer_relevance_to_customer_intent',
    ]) {
      expect(block).toContain(name)
      expect(block).toContain(`${name}/mean`)
    }
    expect(block).not.toMatch(/answer_relevance\w*…/)
    for (const line of block.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60)
  })

  it('item 15: two evals with one name in two files fail the run with an error naming both files', async () => {
    const s = await scenario(['evals/dup-name-a', 'evals/dup-name-b'])
    expect(s.r.code, s.r.output).toBe(1)
    const naming = s.r.output
      .split('\n')
      .filter((l) => l.includes('dup-name-a.eval.ts') && l.includes('dup-name-b.eval.ts'))
    expect(naming, `a line naming both files\n${s.r.output}`).not.toEqual([])
    expect(naming.join('\n')).toContain('duplicate name')
  })

  it('item 16: a row whose id is "thresholds", and a row whose id is another row\'s test name, get distinct test names', async () => {
    const s = await scenario(['evals/row-names'])
    expect(s.r.code, s.r.output).toBe(0)
    const tests = fileResult(s.dir, 'row-names.eval.ts').assertionResults
    const names = tests.map((t) => t.title)
    expect(names, names.join(', ')).toHaveLength(4)
    expect(new Set(names).size, names.join(', ')).toBe(4)
    expect(
      names.filter((n) => n === 'thresholds'),
      names.join(', '),
    ).toHaveLength(1)
    expect(names.at(-1)).toBe('thresholds')
    expect(tests.every((t) => t.status === 'passed')).toBe(true)
    const e = evalNamed(s, 'row names')
    expect(e.rows.map((r) => [r.index, r.id])).toEqual([
      [0, 'thresholds'],
      [1, null],
      [2, '[1] b'],
    ])
  })

  it('item 17: describeEval.skip, .todo and .only behave as describe.skip, .todo and .only', async () => {
    const s = await scenario(['evals/modifiers', 'evals/only', '--allowOnly'])
    expect(s.r.code, s.r.output).toBe(0)
    // The control: the same two files written with Vitest's own describe.skip/.todo/.only.
    const control = await scenario(['evals/control-', '--allowOnly'])
    expect(control.r.code, control.r.output).toBe(0)
    // Row tests by "<eval> > <row>" (an eval's own final `thresholds` test is evalgate's; it is
    // checked on its own below).
    const statuses = (dir: string, file: string, final = false) =>
      Object.fromEntries(
        fileResult(dir, file)
          .assertionResults.filter((t) => (t.title === 'thresholds') === final)
          .map((t) => [`${t.ancestorTitles.join(' > ')} > ${t.title}`, t.status]),
      )
    expect(statuses(s.dir, 'modifiers.eval.ts')).toEqual({
      'skipped eval > sk1': 'skipped',
      'running eval > run1': 'passed',
    })
    expect(statuses(s.dir, 'modifiers.eval.ts')).toEqual(
      statuses(control.dir, 'control-modifiers.eval.ts'),
    )
    expect(statuses(s.dir, 'only.eval.ts')).toEqual({
      'only eval > only1': 'passed',
      'left out eval > out1': 'skipped',
    })
    expect(statuses(s.dir, 'only.eval.ts')).toEqual(statuses(control.dir, 'control-only.eval.ts'))
    // An eval's final test, where it has one, follows its eval: skipped with it, run with it.
    const finals = {
      ...statuses(s.dir, 'modifiers.eval.ts', true),
      ...statuses(s.dir, 'only.eval.ts', true),
    }
    for (const [name, status] of Object.entries(finals)) {
      const skipped = name.startsWith('skipped eval') || name.startsWith('left out eval')
      expect(status, name).toBe(skipped ? 'skipped' : 'passed')
    }
    expect(existsSync(path.join(s.dir, 'ran-left-out-eval.txt')), 'the left-out eval ran').toBe(
      false,
    )
    // Suites counted as Vitest counts describe's: the todo suite among them, pending.
    const counts = (dir: string) => {
      const json = readVitestJson(path.join(dir, VITEST_JSON))
      return {
        suites: json.numTotalTestSuites,
        pendingSuites: json.numPendingTestSuites,
        todo: json.numTodoTests,
      }
    }
    expect(counts(s.dir)).toEqual(counts(control.dir))
    // Rows were left out: a partial run, whose evals that ran are reported as usual.
    expect(field(s.report, 'partial')).toBe(true)
    const ran = s.report.evals.filter((e) => e.rows.length > 0).map((e) => e.name)
    expect(ran.sort()).toEqual(['only eval', 'running eval'])
    for (const e of s.report.evals) {
      if (e.rows.length === 0) expect(e.status, e.name).toBe('skipped')
    }
  })

  it('item 18: EvalRowError and EvalThresholdError point at the describeEval call in the eval file, not into dist/', async () => {
    const s = await scenario(['evals/locations'])
    expect(s.r.code, s.r.output).toBe(1)
    const source = readFileSync(path.join(s.dir, 'evals/locations.eval.ts'), 'utf8').split('\n')
    const lineOf = (call: string) => source.findIndex((l) => l.includes(call)) + 1
    for (const [header, call] of [
      ['EvalRowError: row "wrong-row" failed', "describeEval('row location'"],
      ['EvalThresholdError: eval "gate location" failed', "describeEval('gate location'"],
    ] as const) {
      const start = s.r.output.indexOf(header)
      expect(start, `${header}\n${s.r.output}`).toBeGreaterThanOrEqual(0)
      const firstFrame = s.r.output
        .slice(start)
        .split('\n')
        .find((l) => /^\s*❯ /.test(l))
      expect(firstFrame, `the first location of ${header}\n${s.r.output}`).toBeDefined()
      expect(firstFrame).not.toMatch(/dist\//)
      expect(firstFrame).toContain(`evals/locations.eval.ts:${lineOf(call)}:`)
    }
  })

  it('item 19: MLflow parity: null abstains, static rows get a minimal trace, stored traces are scored, Feedback named "feedback" takes the scorer name', async () => {
    const s = await scenario(['evals/mlflow'])
    expect(s.r.code, s.r.output).toBe(0)

    const abstain = evalNamed(s, 'abstain')
    expect(abstain.status).toBe('passed')
    expect(abstain.rows).toHaveLength(3)
    const even = abstain.metrics['even_only']!
    expect(even).toMatchObject({ count: 2, errors: 0, mean: 1 })
    expect(field(even, 'skipped')).toBe(1)
    const a3 = abstain.rows.find((r) => r.id === 'a3')!
    expect(a3.passed).toBe(true)
    expect(a3.error).toBeNull()
    for (const fb of a3.feedback) expect(fb.error).toBeNull()

    const statics = evalNamed(s, 'static trace')
    expect(statics.status).toBe('passed')
    expect(statics.rows[0]!.feedback.map((f) => [f.name, f.value, f.error])).toEqual([
      ['root_output', true, null],
      ['root_input', true, null],
    ])

    const stored = evalNamed(s, 'stored trace')
    expect(stored.status).toBe('passed')
    expect(stored.rows[0]).toMatchObject({
      id: 'traced',
      inputs: { question: 'capital of France?' },
      outputs: 'Paris',
    })
    expect(stored.rows[0]!.feedback.map((f) => [f.name, f.value])).toEqual([['from_trace', true]])

    const named = evalNamed(s, 'feedback name')
    expect(named.status).toBe('passed')
    expect(Object.keys(named.metrics)).toEqual(['judge_like'])
    expect(named.rows[0]!.feedback.map((f) => [f.name, f.scorer, f.value])).toEqual([
      ['judge_like', 'judge_like', 'yes'],
    ])
  })
})
