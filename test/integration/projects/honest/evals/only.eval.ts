import { writeFileSync } from 'node:fs'
import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 17: describeEval.only behaves as describe.only: the other eval of the file does
// not run (its task would leave a marker).
const ok = scorer('ok', () => true)

describeEval.only('only eval', {
  data: [{ id: 'only1', inputs: { q: 1 }, outputs: 'a' }],
  scorers: [ok],
})

describeEval('left out eval', {
  data: [{ id: 'out1', inputs: { q: 1 } }],
  task: () => {
    writeFileSync('ran-left-out-eval.txt', 'ran')
    return 'a'
  },
  scorers: [ok],
})
