import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { copyProject, expectArtifactAgreesWithExit, readVitestJson, runVitest } from './harness.js'

// Issue 9, "Must show": a property test over real Vitest processes. Random eval files hold rows
// with values of every JSON-unsafe kind and scorers returning results of every kind, accepted or
// refused. Whatever they hold, the reporter writes an artifact that parses with ReportSchema,
// every row that ran is in it exactly once, and its status agrees with the exit code.
//
// The eval files are generated as TypeScript source (JSON cannot express a BigInt, a cycle or a
// function): each value below is a JS expression. Each run spawns one Vitest process (~1-2 s),
// so the number of runs is modest and failures are not shrunk.

/** JS expressions of values JSON cannot carry as they are (and a few it can). */
const UNSAFE_VALUES = [
  '1n',
  '-12345678901234567890n',
  '0',
  '-0',
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  'null',
  'true',
  '"text"',
  '""',
  '1.5',
  'new Date(0)',
  'new Date(Number.NaN)',
  'Symbol("s")',
  'function namedFn() { return 1 }',
  '(() => 2)',
  'cycle()',
  'new Map([["k", 1n]])',
  'new Map([[1, "v"]])',
  'new Set([1, 2n])',
  'new Error("an error value")',
  'new Uint8Array([1, 2])',
  'Object.create(null)',
  '{ get boom() { throw new Error("getter threw") } }',
  'big()',
] as const

/**
 * JS expressions of scorer results: accepted ones and refused ones. `SCORER` is replaced by the
 * scorer's name (for named Feedback of its own).
 */
const RESULTS = [
  'true',
  'false',
  '0.5',
  '-3',
  '0',
  'NaN',
  'Infinity',
  '"yes"',
  '"No"',
  '"free text"',
  'null',
  'undefined',
  '[]',
  '1n',
  'Symbol("r")',
  '(() => 1)',
  'new Map()',
  '{ value: true, rationale: "r" }',
  '{ value: 0.25 }',
  '{ value: 1n }',
  '{ value: [1n] }',
  '{ value: { nested: [1, 2] } }',
  '{ value: new Date(0) }',
  '{ value: "yes", source: { type: "LLM_JUDGE", id: "model" } }',
  '{ value: true, source: { type: "CODE", id: 42 } }',
  '{ value: true, source: { type: "ROBOT" } }',
  '{ value: true, metadata: { loop: cycle() } }',
  '{ value: true, metadata: { fn() { return 1 } } }',
  '{ value: true, metadata: { n: 1n } }',
  '{ value: 1, metadata: { usage: { costUsd: -1 } } }',
  '{ value: 1, metadata: { usage: { costUsd: 0.1 } } }',
  '{ error: { code: "E_MINE", message: "mine" } }',
  '{ error: { code: "E_MINE", message: "mine", extra: 1 } }',
  '{ value: 1, extra: 2 }',
  '{ rationale: "no value" }',
  '{ name: "feedback", value: true }',
  '[{ name: "SCORER_sub", value: 1 }]',
  '[{ name: "SCORER_sub", value: 1 }, { name: "SCORER_sub", value: 2 }]',
  '[{ value: true }, 5]',
  '(() => { throw new TypeError("scorer threw") })()',
] as const

const PRELUDE = `import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

function cycle() {
  const o: Record<string, unknown> = { a: 1 }
  o.self = o
  return o
}
function big() {
  return 'x'.repeat(100_000)
}
`

/** A value expression: a leaf of UNSAFE_VALUES, or objects and arrays of them, nested. */
const valueExpr: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...UNSAFE_VALUES),
    fc.tuple(tie('value'), tie('value')).map(([a, b]) => `{ a: ${a}, b: ${b}, ok: 1 }`),
    fc.array(tie('value'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
  ),
})).value

interface GenRow {
  outputs: string
  expectations: string | null
  metadata: string | null
}

interface GenScorer {
  async: boolean
  /** One result expression per row. */
  results: string[]
  customAggregation: boolean
}

interface GenEval {
  rows: Array<GenRow & { input: string }>
  task: boolean
  scorers: GenScorer[]
  thresholds: string | null
  maxErrors: number
}

const genEval: fc.Arbitrary<GenEval> = fc.integer({ min: 1, max: 4 }).chain((rowCount) =>
  fc.record({
    rows: fc.array(
      fc.record({
        input: valueExpr,
        outputs: valueExpr,
        expectations: fc.option(valueExpr, { nil: null }),
        metadata: fc.option(valueExpr, { nil: null }),
      }),
      { minLength: rowCount, maxLength: rowCount },
    ),
    task: fc.boolean(),
    scorers: fc.array(
      fc.record({
        async: fc.boolean(),
        results: fc.array(fc.constantFrom(...RESULTS), {
          minLength: rowCount,
          maxLength: rowCount,
        }),
        customAggregation: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    thresholds: fc.constantFrom(
      null,
      "{ 's0/mean': 0.5 }",
      "{ 's0/passRate': { min: 0.5 } }",
      "{ 's0/mean': { max: 5 } }",
      "{ 's0/odd': { min: 0 } }",
    ),
    maxErrors: fc.integer({ min: 0, max: rowCount }),
  }),
)

function evalSource(name: string, e: GenEval, k: number): string {
  const v = `E${k}`
  const lines: string[] = []
  // Thunks: each row's values (cycles, getters, throws) are made fresh when the row asks.
  lines.push(`const ${v}_OUT = [${e.rows.map((r) => `() => (${r.outputs})`).join(', ')}]`)
  e.scorers.forEach((s, j) => {
    const results = s.results.map((x) => `() => (${x.replaceAll('SCORER', `s${j}`)})`)
    lines.push(`const ${v}_S${j} = [${results.join(', ')}]`)
  })
  const rows = e.rows.map((r, i) => {
    const parts = [`id: 'r${i}'`, `inputs: { i: ${i}, v: ${r.input} }`]
    if (!e.task) parts.push(`outputs: ${v}_OUT[${i}]()`)
    if (r.expectations !== null) parts.push(`expectations: { e: ${r.expectations} }`)
    if (r.metadata !== null) parts.push(`metadata: { m: ${r.metadata} }`)
    return `    { ${parts.join(', ')} },`
  })
  const scorers = e.scorers.map((s, j) => {
    const fn = `${s.async ? 'async ' : ''}({ inputs }) => ${v}_S${j}[Number(inputs.i)]()`
    // A custom aggregation that is NaN on some inputs and throws on others.
    const options = s.customAggregation
      ? `, { aggregations: ['mean', function odd(scores: number[]) { if (scores.length % 2) return Number.NaN; if (scores.length === 0) throw new Error('none'); return scores.length }] }`
      : ''
    return `    scorer('s${j}', ${fn}${options}),`
  })
  const hasOdd = e.scorers[0]!.customAggregation
  // A gate on the custom aggregation only where s0 declares it (else a configuration error).
  const thresholds = e.thresholds === "{ 's0/odd': { min: 0 } }" && !hasOdd ? null : e.thresholds
  lines.push(`describeEval(${JSON.stringify(name)}, {
  data: [
${rows.join('\n')}
  ],
${e.task ? `  task: (inputs) => ${v}_OUT[Number(inputs.i)](),\n` : ''}  scorers: [
${scorers.join('\n')}
  ],
${thresholds === null ? '' : `  thresholds: ${thresholds},\n`}  maxErrors: ${e.maxErrors},
})`)
  return lines.join('\n')
}

let dir: string
beforeAll(() => {
  dir = copyProject('honest')
})

describe('issue 9 property: any rows, any scorer results, one honest artifact', () => {
  it('the real Vitest process always writes an artifact that parses, holds every row that ran exactly once, and agrees with the exit code', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(genEval, { minLength: 1, maxLength: 2 }), async (evals) => {
        run++
        const names = evals.map((_, k) => `generated ${k}`)
        const source = `${PRELUDE}\n${evals.map((e, k) => evalSource(names[k]!, e, k)).join('\n\n')}\n`
        const file = `evals/generated-${run}.eval.ts`
        rmSync(path.join(dir, 'out'), { recursive: true, force: true })
        rmSync(path.join(dir, `evals/generated-${run - 1}.eval.ts`), { force: true })
        mkdirSync(path.join(dir, 'evals'), { recursive: true })
        writeFileSync(path.join(dir, file), source)
        const r = await runVitest(dir, ['run', file])
        const context = `--- ${file} ---\n${source}\n--- output (exit ${r.code}) ---\n${r.output}`

        const report = expectArtifactAgreesWithExit(r, path.join(dir, 'out/report.json'))

        // What Vitest ran, per eval: row tests (named r<index>) that passed or failed.
        const json = readVitestJson(path.join(dir, 'out/vitest.json'))
        const tests = json.testResults.flatMap((f) => f.assertionResults)
        for (const name of names) {
          const ran = tests
            .filter((t) => t.ancestorTitles[0] === name && t.title !== 'thresholds')
            .filter((t) => t.status === 'passed' || t.status === 'failed')
            .map((t) => t.title)
            .sort()
          const inArtifact = report.evals.filter((e) => e.name === name)
          expect(inArtifact.length, `eval "${name}" at most once\n${context}`).toBeLessThanOrEqual(
            1,
          )
          const rows = inArtifact[0]?.rows ?? []
          expect(
            rows.map((row) => `r${row.index}`).sort(),
            `rows of "${name}" in the artifact vs row tests that ran\n${context}`,
          ).toEqual(ran)
          for (const row of rows) {
            expect(row.id, context).toBe(`r${row.index}`)
            expect((row as Record<string, unknown>)['trial'], context).toBe(0)
          }
          if (ran.length > 0) {
            expect(inArtifact, `eval "${name}" ran rows but is missing\n${context}`).toHaveLength(1)
            expect(inArtifact[0]!.status, `eval "${name}" ran rows\n${context}`).not.toBe('skipped')
          }
          // A failing test of the eval (a row, or its thresholds test) means the eval failed.
          const failedTests = tests.filter(
            (t) => t.ancestorTitles[0] === name && t.status === 'failed',
          )
          if (failedTests.length > 0 && inArtifact.length > 0) {
            expect(inArtifact[0]!.status, `eval "${name}" has failing tests\n${context}`).toBe(
              'failed',
            )
          }
        }
      }),
      { numRuns: 12, endOnFailure: true },
    )
  })
})
