// Judge throughput benchmark: 200 rows x 2 LLM judges at a judge concurrency of 16, through the
// real `openai` SDK, against the local OpenAI-wire server answering every request after 100 ms.
// Ideal: ceil(400 / 16) waves x 100 ms = 2500 ms. Prints the measured ratio (target <= 1.05) and
// checks the server never saw more than 16 requests in flight. The server runs in a thread of its
// own (bench/judge-server-thread.mjs), as a real judge's server runs elsewhere: its CPU time is
// not the judges'. The median of BENCH_REPEAT (5) runs after a warm-up.
// Run: npm run bench:judges   (needs dist/: npm run build)
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import OpenAI from 'openai'
import { runEval } from '../dist/index.js'
import { configureJudges, relevanceToQuery, safety } from '../dist/judges.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 200)
const JUDGES = 2
const CONCURRENCY = 16
const LATENCY_MS = 100

const REPEAT = Number(process.env.BENCH_REPEAT ?? 5)
const thread = new Worker(new URL('./judge-server-thread.mjs', import.meta.url), {
  workerData: { latencyMs: LATENCY_MS },
})
const [{ baseURL }] = await once(thread, 'message')
/** Sends a message to the server thread and waits for its answer. */
async function ask(message) {
  thread.postMessage(message)
  const [answer] = await once(thread, 'message')
  return answer
}
const server = { baseURL }
configureJudges({
  client: new OpenAI({ apiKey: 'local-test-server', baseURL: server.baseURL }),
  concurrency: CONCURRENCY,
  cache: { mode: 'off' },
})
const rows = Array.from({ length: ROWS }, (_, i) => ({
  id: `r${i}`,
  inputs: { question: `question ${i}` },
  outputs: `answer ${i}`,
}))
const scorers = [safety(), relevanceToQuery()]

// Warm up the module graph and the connection pool, then measure clean runs.
await runEval({ data: rows.slice(0, CONCURRENCY), scorers, concurrency: ROWS })
const walls = []
let results
let stats
for (let i = 0; i < REPEAT; i++) {
  await ask('reset')
  const started = performance.now()
  ;({ rows: results } = await runEval({ data: rows, scorers, concurrency: ROWS }))
  walls.push(performance.now() - started)
  stats = await ask('stats')
}
thread.postMessage('close')
const wallMs = [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)]

const calls = ROWS * JUDGES
const verdicts = results.flatMap((r) => r.feedback).filter((f) => f.value === 'yes').length
if (verdicts !== calls) throw new Error(`expected ${calls} "yes" verdicts, got ${verdicts}`)
if (stats.requests !== calls) {
  throw new Error(`expected ${calls} requests, the server saw ${stats.requests}`)
}
if (stats.peakInFlight > CONCURRENCY) {
  throw new Error(`the server saw ${stats.peakInFlight} requests in flight (limit ${CONCURRENCY})`)
}
const idealMs = Math.ceil(calls / CONCURRENCY) * LATENCY_MS
const ratio = wallMs / idealMs
console.log(
  `judges bench: ${ROWS} rows x ${JUDGES} judges, concurrency ${CONCURRENCY}, server latency ${LATENCY_MS} ms`,
)
console.log(`peak in flight:     ${stats.peakInFlight}`)
console.log(`ideal:              ${idealMs} ms (ceil(${calls}/${CONCURRENCY}) x ${LATENCY_MS} ms)`)
console.log(
  `measured:           ${wallMs.toFixed(0)} ms (median of ${REPEAT}: ${walls.map((w) => w.toFixed(0)).join(', ')})`,
)
console.log(`ratio:              ${ratio.toFixed(3)}x (target <= 1.05)`)
if (ratio > 1.05) process.exitCode = 1
