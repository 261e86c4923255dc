import { writeFileSync } from 'node:fs'
import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

describeEval('bad data', {
  data: 'data/bad.jsonl',
  task: () => {
    writeFileSync('row-ran.txt', 'a row ran')
    return 'x'
  },
  scorers: [scorer('any', () => true)],
})
