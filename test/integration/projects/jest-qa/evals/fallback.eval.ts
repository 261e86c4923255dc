import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'
import { ran } from '../ran.js'

// A second state like jest-circus's, defining a block of the same name, makes the live one
// ambiguous: evalgate must not guess which tests Jest will run, and runs each row only when its
// own test starts (one at a time), never a row Jest skips.
const decoy = Symbol('JEST_STATE_SYMBOL')
Object.assign(globalThis, {
  [decoy]: { currentDescribeBlock: { type: 'describeBlock', name: 'fallback', children: [] } },
})

let inFlight = 0
let peak = 0

describeEval('fallback', {
  data: Array.from({ length: 6 }, (_, i) => ({ id: `f${i}`, inputs: { i } })),
  task: async (inputs) => {
    inFlight++
    peak = Math.max(peak, inFlight)
    await new Promise((r) => setTimeout(r, 20))
    inFlight--
    ran(`f${inputs.i} peak=${peak}`)
    return inputs.i
  },
  scorers: [scorer('ok', () => true)],
  concurrency: 5,
})
