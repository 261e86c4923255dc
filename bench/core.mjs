// Core runner benchmark: N rows x 3 cheap scorers through runEval (load, validate, run rows,
// normalise feedback, aggregate, gate), against a plain loop calling the same three functions.
// Run: npm run bench  (or: node bench/core.mjs [rows])
import { runEval, scorer } from '../dist/index.js'

const N = Number(process.argv[2] ?? 100_000)
const rows = Array.from({ length: N }, (_, i) => ({
  id: `r${i}`,
  inputs: { question: `q${i}` },
  outputs: i % 10 === 0 ? 'wrong' : `answer ${i}`,
  expectations: { expected_response: `answer ${i}` },
}))

const checks = {
  exact_match: ({ outputs, expectations }) => outputs === expectations.expected_response,
  length: ({ outputs }) => String(outputs).length,
  has_digit: ({ outputs }) => ({
    value: /\d/.test(String(outputs)) ? 'yes' : 'no',
    rationale: 'digit check',
  }),
}
const scorers = Object.entries(checks).map(([name, fn]) => scorer(name, fn))

function plain() {
  let sink = 0
  for (const row of rows) {
    const ctx = {
      inputs: row.inputs,
      outputs: row.outputs,
      expectations: row.expectations,
      trace: undefined,
    }
    for (const fn of Object.values(checks)) if (fn(ctx)) sink++
  }
  return sink
}

async function core() {
  return runEval({
    data: rows,
    scorers,
    concurrency: 16,
    thresholds: { 'exact_match/mean': 0.85, 'length/p90': { max: 20 }, 'has_digit/passRate': 0.85 },
  })
}

// warm-up, then measure
plain()
await core()
global.gc?.()
const t0 = performance.now()
plain()
const tPlain = performance.now() - t0
const t1 = performance.now()
const { summary } = await core()
const tCore = performance.now() - t1
const rss = process.resourceUsage().maxRSS / 1024

const rowScorers = N * scorers.length
console.log(`rows: ${N}, scorers: ${scorers.length} (${rowScorers} row-scorers)`)
console.log(`plain loop:           ${tPlain.toFixed(1)} ms`)
console.log(`runEval (core):       ${tCore.toFixed(1)} ms`)
console.log(
  `core overhead:        ${(tCore - tPlain).toFixed(1)} ms = ${(((tCore - tPlain) / rowScorers) * 1e6).toFixed(0)} ns per row-scorer`,
)
console.log(`per 100k row-scorers: ${(((tCore - tPlain) / rowScorers) * 1e5).toFixed(1)} ms`)
console.log(`peak RSS:             ${rss.toFixed(0)} MiB`)
console.log(`eval passed: ${summary.passed}; exact_match mean ${summary.metrics.exact_match.mean}`)
if (!summary.passed) {
  console.error(summary.failures.join('\n'))
  process.exitCode = 1
}
