import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'

describeEval('esm failing gate', {
  data: [
    { id: 'right', inputs: { q: 'a' }, outputs: 'yes' },
    { id: 'wrong', inputs: { q: 'b' }, outputs: 'no' },
  ],
  scorers: [scorer('said_yes', ({ outputs }) => outputs === 'yes')],
  thresholds: { 'said_yes/mean': 0.9 },
})
