import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 15: two evals named alike in two files break fromReport later; the run fails
// with an error naming both files.
describeEval('duplicate name', {
  data: [{ id: 'a-1', inputs: { q: 'a' }, outputs: 'a' }],
  scorers: [scorer('ok', () => true)],
})
