import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 11: an error tolerated by maxErrors must be visible (an annotation on its row's
// test, and the reporter's list of errored rows), never a plain green tick.
describeEval('tolerated error', {
  data: ['t1', 't2', 't3'].map((id) => ({ id, inputs: { id } })),
  task: (inputs) => {
    if (inputs.id === 't2') throw new TypeError('cannot read the answer of t2')
    return 'fine'
  },
  scorers: [scorer('answered', ({ outputs }) => outputs === 'fine')],
  maxErrors: 1,
})
