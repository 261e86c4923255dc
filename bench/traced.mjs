// Overhead of `traced` on a hot function: a tiny sync add called N times (default 1e6)
//   1. plain (no wrapper),
//   2. traced, outside any eval (no trace recording: the wrapper only checks a counter),
//   3. traced, outside a row while another row's trace is recording elsewhere (the wrapper
//      must also ask AsyncLocalStorage),
//   4. traced, inside a trace (each call records a span; 10 traces of N/10 calls, as rows).
// Each case runs ROUNDS times; the median ns/call is printed.
// Run: npm run bench:traced   (or: node bench/traced.mjs [calls])
import { captureTrace, traced } from '../dist/index.js'

const N = Number(process.argv[2] ?? 1_000_000)
const ROUNDS = 7
const add = (a, b) => a + b
const tracedAdd = traced('add', add, { type: 'TOOL' })

let sink = 0
// One loop per case, so each call site stays monomorphic (as a real hot path would be).
const makeLoop = () =>
  new Function('fn', 'n', 'let s = 0; for (let i = 0; i < n; i++) s += fn(i, 1); return s')
const loops = { plain: makeLoop(), outside: makeLoop(), recording: makeLoop(), inside: makeLoop() }
const loop = (name, fn, n) => {
  sink += loops[name](fn, n)
}

async function measure(run) {
  const times = []
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint()
    await run()
    times.push(Number(process.hrtime.bigint() - t0) / N)
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]
}

const plain = await measure(() => loop('plain', add, N))
const outside = await measure(() => loop('outside', tracedAdd, N))
// Another "row" holds a trace open while this loop runs outside of it.
let release
const other = captureTrace(() => new Promise((resolve) => (release = resolve)))
const outsideWhileRecording = await measure(() => loop('recording', tracedAdd, N))
release()
await other
let spans = 0
const inside = await measure(async () => {
  for (let t = 0; t < 10; t++) {
    const { trace } = await captureTrace(() => loop('inside', tracedAdd, N / 10))
    spans += trace.spans.length - 1
  }
})

const fmt = (x) => `${x.toFixed(1).padStart(7)} ns/call`
console.log(`traced overhead: ${N} calls of a sync add, median of ${ROUNDS} rounds`)
console.log(`plain function:                       ${fmt(plain)}`)
console.log(
  `traced, outside any eval:             ${fmt(outside)}  (+${(outside - plain).toFixed(1)} ns)`,
)
console.log(
  `traced, outside a row, one recording: ${fmt(outsideWhileRecording)}  (+${(outsideWhileRecording - plain).toFixed(1)} ns)`,
)
console.log(
  `traced, inside a trace (1 span/call): ${fmt(inside)}  (+${(inside - plain).toFixed(1)} ns)`,
)
if (spans !== N * ROUNDS) throw new Error(`expected ${N * ROUNDS} spans, recorded ${spans}`)
if (sink === 0) console.log('')
