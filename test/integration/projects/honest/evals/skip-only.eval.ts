import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 10: a file whose only eval is skipped. No eval runs, yet the run writes its
// artifact (no stale one left in place).
describeEval.skip('skipped entirely', {
  data: [{ id: 's1', inputs: { q: 1 }, outputs: 'a' }],
  scorers: [scorer('ok', () => true)],
})
