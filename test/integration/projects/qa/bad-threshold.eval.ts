import { writeFileSync } from 'node:fs'
import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

describeEval('bad threshold', {
  data: 'data/qa.jsonl',
  task: () => {
    writeFileSync('row-ran.txt', 'a row ran')
    return 'x'
  },
  scorers: [scorer('exact_match', () => true)],
  thresholds: { 'exact_macth/mean': 0.9 },
})
