import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 17: describeEval.skip and .todo behave as describe.skip and describe.todo.
const ok = scorer('ok', () => true)

describeEval.skip('skipped eval', {
  data: [{ id: 'sk1', inputs: { q: 1 }, outputs: 'a' }],
  scorers: [ok],
})

describeEval.todo('todo eval')

describeEval('running eval', {
  data: [{ id: 'run1', inputs: { q: 1 }, outputs: 'a' }],
  scorers: [ok],
})
