import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'

const nonEmpty = scorer('non_empty', ({ outputs }) => String(outputs).trim().length > 0)
const mentions = scorer('mentions_paris', ({ outputs }) => /paris/i.test(String(outputs)))

// No task: stored outputs are scored as they are, from a CSV file and from a function.
describeEval('rescore csv', {
  data: 'data/stored.csv',
  scorers: [nonEmpty, mentions],
  thresholds: { 'mentions_paris/mean': 0.5, 'non_empty/min': 1 },
})

describeEval('rescore function', {
  data: () => [
    { inputs: { q: 'a' }, outputs: 'Paris' },
    { inputs: { q: 'b' }, outputs: 'paris, France' },
  ],
  scorers: [mentions],
})
