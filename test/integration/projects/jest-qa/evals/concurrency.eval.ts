import { writeFileSync } from 'node:fs'
import { afterAll } from '@jest/globals'
import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'

let inFlight = 0
let peak = 0
let first = Number.POSITIVE_INFINITY
let last = 0

describeEval('concurrency', {
  data: Array.from({ length: 200 }, (_, i) => ({ id: `row-${i}`, inputs: { i } })),
  task: async (inputs) => {
    first = Math.min(first, performance.now())
    inFlight++
    peak = Math.max(peak, inFlight)
    await new Promise((r) => setTimeout(r, 50))
    inFlight--
    last = Math.max(last, performance.now())
    return inputs.i
  },
  scorers: [scorer('ok', () => true)],
  concurrency: 20,
})

afterAll(() => {
  writeFileSync(
    process.env.TIMING_OUT ?? 'timing.json',
    JSON.stringify({ peak, elapsedMs: last - first }),
  )
})
