import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 6: every row errors, maxErrors tolerates them all, no thresholds. No scored value
// at all: the eval fails, whatever maxErrors says.
describeEval('all errored', {
  data: [1, 2, 3].map((n) => ({ id: `e${n}`, inputs: { n } })),
  task: (inputs) => {
    throw new TypeError(`no answer for ${String(inputs.n)}`)
  },
  scorers: [scorer('exact', () => true)],
  maxErrors: 3,
})
