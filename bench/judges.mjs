// Judge throughput benchmark: 200 rows x 2 LLM judges at a judge concurrency of 16, through the
// real `openai` SDK, against the local OpenAI-wire server answering every request after 100 ms.
// Ideal: ceil(400 / 16) waves x 100 ms = 2500 ms. Prints the measured ratio (target <= 1.2) and
// checks the server never saw more than 16 requests in flight.
// Run: npm run bench:judges   (needs dist/: npm run build)
import OpenAI from 'openai'
import { runEval } from '../dist/index.js'
import { configureJudges, relevanceToQuery, safety } from '../dist/judges.js'
import { startOpenAIServer } from '../fixtures/openai-server/server.mjs'

const ROWS = Number(process.env.BENCH_ROWS ?? 200)
const JUDGES = 2
const CONCURRENCY = 16
const LATENCY_MS = 100

const server = await startOpenAIServer({ latencyMs: LATENCY_MS })
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

// Warm up the module graph and the connection pool, then measure a clean run.
await runEval({ data: rows.slice(0, CONCURRENCY), scorers, concurrency: ROWS })
server.reset()

const started = performance.now()
const { rows: results } = await runEval({ data: rows, scorers, concurrency: ROWS })
const wallMs = performance.now() - started
await server.close()

const calls = ROWS * JUDGES
const verdicts = results.flatMap((r) => r.feedback).filter((f) => f.value === 'yes').length
if (verdicts !== calls) throw new Error(`expected ${calls} "yes" verdicts, got ${verdicts}`)
if (server.requests.length !== calls) {
  throw new Error(`expected ${calls} requests, the server saw ${server.requests.length}`)
}
if (server.peakInFlight > CONCURRENCY) {
  throw new Error(`the server saw ${server.peakInFlight} requests in flight (limit ${CONCURRENCY})`)
}
const idealMs = Math.ceil(calls / CONCURRENCY) * LATENCY_MS
const ratio = wallMs / idealMs
console.log(
  `judges bench: ${ROWS} rows x ${JUDGES} judges, concurrency ${CONCURRENCY}, server latency ${LATENCY_MS} ms`,
)
console.log(`peak in flight:     ${server.peakInFlight}`)
console.log(`ideal:              ${idealMs} ms (ceil(${calls}/${CONCURRENCY}) x ${LATENCY_MS} ms)`)
console.log(`measured:           ${wallMs.toFixed(0)} ms`)
console.log(`ratio:              ${ratio.toFixed(3)}x (target <= 1.2)`)
if (ratio > 1.2) process.exitCode = 1
