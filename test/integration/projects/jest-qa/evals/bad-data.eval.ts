import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'
import { ran } from '../ran.js'

describeEval('bad data', {
  data: 'data/bad.jsonl',
  task: () => {
    ran('bad data')
    return 'x'
  },
  scorers: [scorer('any', () => true)],
})
