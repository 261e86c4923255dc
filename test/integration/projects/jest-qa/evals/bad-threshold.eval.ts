import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'
import { ran } from '../ran.js'

describeEval('bad threshold', {
  data: 'data/qa.jsonl',
  task: () => {
    ran('bad threshold')
    return 'x'
  },
  scorers: [scorer('exact_match', () => true)],
  thresholds: { 'exact_macth/mean': 0.9 },
})
