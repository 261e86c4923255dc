import { writeFileSync } from 'node:fs'
import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 7: a passRate lies in [0, 1], known before any row runs: `{ max: 5 }` is a
// configuration error then (the task leaves a marker if it ever runs).
describeEval('passrate range', {
  data: [{ id: 'r1', inputs: { q: 1 } }],
  task: () => {
    writeFileSync('ran-passrate-range.txt', 'ran')
    return 'answer'
  },
  scorers: [scorer('x', () => true)],
  thresholds: { 'x/passRate': { max: 5 } },
})
