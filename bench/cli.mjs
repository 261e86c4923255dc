// Speed of the evalgate command on big artifacts (issue 12): `evalgate compare` of two
// 100,000-row artifacts and `evalgate merge` of 4 shards of 25,000 rows, each the wall time of
// the real executable (dist/cli.js, node start-up included), median of BENCH_RUNS runs (5),
// compare and merge alternating. The machine's load average is printed with them: on a shared
// 2-core machine, other work shows in the wall time.
// Run: npm run build && node bench/cli.mjs   (BENCH_ROWS=100000 by default)
// BENCH_KEEP=1 keeps the artifacts and prints their folder; BENCH_DIR=<that folder> reuses them.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { prepareEval, ReportSchema, scorer, summarizeEval } from '../dist/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const cli = path.join(here, '../dist/cli.js')
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const SHARDS = 4
const reuse = process.env.BENCH_DIR
const out = reuse ?? mkdtempSync(path.join(tmpdir(), 'evalgate-bench-cli-'))

const correct = scorer('correct', () => true)
const relevance = scorer('relevance', () => 1, { threshold: 0.5 })
const prepared = prepareEval({
  scorers: [correct, relevance],
  thresholds: { 'correct/mean': { min: 0.7, confidence: 0.95 }, 'latency_ms/p90': { max: 5000 } },
  hasTask: true,
})

/** One row as a run records it: an answer, two judged metrics with rationales, a latency. */
function row(index, seed) {
  const r = (index * 2654435761 + seed * 97) % 1000
  const ok = r < 800
  const rel = (r % 100) / 100
  return {
    index,
    trial: 0,
    id: `row-${index}`,
    inputs: { question: `What is item ${index}?`, context: `Some context for row ${index}.` },
    outputs: ok ? `The answer to ${index}.` : `I do not know about ${index}.`,
    expectations: { expected_response: `The answer to ${index}.` },
    metadata: null,
    latencyMs: 200 + (r % 300),
    feedback: [
      {
        name: 'correct',
        scorer: 'correct',
        value: ok,
        score: ok ? 1 : 0,
        passed: ok,
        rationale: ok
          ? 'The response matches the expected answer.'
          : 'The response declines to answer.',
        error: null,
        source: { type: 'LLM_JUDGE', id: 'gpt-4o-mini' },
        metadata: {
          usage: {
            requests: 1,
            cacheHits: 0,
            inputTokens: 120,
            outputTokens: 20,
            costUsd: 0.000021,
          },
        },
      },
      {
        name: 'relevance',
        scorer: 'relevance',
        value: rel,
        score: rel,
        passed: rel >= 0.5,
        rationale: null,
        error: null,
        source: { type: 'CODE', id: 'relevance' },
        metadata: null,
      },
    ],
    error: null,
    passed: ok && rel >= 0.5,
    trace: null,
  }
}

const usage = () => ({
  requests: 0,
  cacheHits: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: null,
  judges: {},
})

/** An artifact of some rows of the eval (a shard when fewer than ROWS). */
function artifact(rows) {
  const s = summarizeEval(prepared, rows, { datasetRows: ROWS })
  const status = s.partial ? 'partial' : s.passed ? 'passed' : 'failed'
  const report = {
    schemaVersion: 2,
    tool: { name: 'evalgate', version: '0.1.0', host: 'vitest', hostVersion: '4.1.12' },
    startedAt: new Date().toISOString(),
    durationMs: 1000,
    status: s.passed ? 'passed' : 'failed',
    partial: s.partial,
    evals: [
      {
        name: 'support bot',
        file: 'evals/support.eval.ts',
        status,
        trials: 1,
        trialPassRate: 1,
        statistics: { confidence: 0.95, method: 't', resamples: 2000, seed: 0 },
        rows,
        metrics: s.metrics,
        thresholds: s.thresholds,
        maxErrors: 0,
        erroredRows: s.erroredRows,
        datasetRows: ROWS,
        failures: s.failures,
        usage: usage(),
        ...(s.agreement === undefined ? {} : { agreement: s.agreement }),
      },
    ],
    errors: [],
    usage: usage(),
  }
  ReportSchema.parse(report)
  return report
}

function write(name, report) {
  const file = path.join(out, name)
  writeFileSync(file, JSON.stringify(report))
  return file
}

/** One run of `evalgate <args>`: its wall time in ms. */
function time(args) {
  const started = performance.now()
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
  const ms = performance.now() - started
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`evalgate ${args[0]} exited ${r.status}: ${r.stderr}`)
  }
  return ms
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]

const a = path.join(out, 'baseline.json')
const b = path.join(out, 'candidate.json')
const shards = Array.from({ length: SHARDS }, (_, k) => path.join(out, `shard-${k + 1}.json`))
if (!reuse || ![a, b, ...shards].every((f) => existsSync(f))) {
  const baseRows = Array.from({ length: ROWS }, (_, i) => row(i, 1))
  const candRows = Array.from({ length: ROWS }, (_, i) => row(i, 2))
  write('baseline.json', artifact(baseRows))
  write('candidate.json', artifact(candRows))
  shards.forEach((_, k) => {
    write(`shard-${k + 1}.json`, artifact(baseRows.filter((_, i) => i % SHARDS === k)))
  })
}
/** The floor: reading and JSON.parse of the inputs alone, in one process (median of 3). */
function parseFloor(files) {
  const runs = []
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    for (const f of files) JSON.parse(readFileSync(f, 'utf8'))
    runs.push(performance.now() - started)
  }
  return median(runs)
}
const mb = (f) => (statSync(f).size / 1e6).toFixed(0)
const load = () => loadavg()[0].toFixed(1)
const compareRuns = []
const mergeRuns = []
const loads = [load()]
for (let i = 0; i < RUNS; i++) {
  compareRuns.push(time(['compare', a, b, '--json', path.join(out, 'diff.json')]))
  mergeRuns.push(time(['merge', ...shards, '-o', path.join(out, 'merged.json')]))
  loads.push(load())
}
const runs = (xs) => xs.map((x) => x.toFixed(0)).join(', ')
console.log(
  `evalgate compare: 2 x ${ROWS} rows (${mb(a)} MB each): ${median(compareRuns).toFixed(0)} ms (median of ${RUNS}: ${runs(compareRuns)}; node start-up included; reading and parsing the two files alone, one after the other: ${parseFloor([a, b]).toFixed(0)} ms)`,
)
console.log(
  `evalgate merge: ${SHARDS} shards x ${ROWS / SHARDS} rows (${mb(shards[0])} MB each): ${median(mergeRuns).toFixed(0)} ms (median of ${RUNS}: ${runs(mergeRuns)}; reading and parsing the shards alone: ${parseFloor(shards).toFixed(0)} ms)`,
)
console.log(`load average (1 min) before and after each pair of runs: ${loads.join(', ')}`)
if (process.env.BENCH_KEEP || reuse) console.log(out)
else rmSync(out, { recursive: true, force: true })
