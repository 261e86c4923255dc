import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

const nonEmpty = scorer('non_empty', ({ outputs }) => String(outputs).trim().length > 0)
const mentions = scorer('mentions_paris', ({ outputs }) => /paris/i.test(String(outputs)))

// No task: the stored outputs are scored as they are, from CSV and JSON files.
describeEval('rescore csv', {
  data: 'data/stored.csv',
  scorers: [nonEmpty, mentions],
  thresholds: { 'mentions_paris/mean': 0.5, 'non_empty/min': 1 },
})

describeEval('rescore json', {
  data: 'data/stored.json',
  scorers: [nonEmpty],
})

describeEval('rescore async iterable', {
  data: async function* () {
    yield { inputs: { q: 'a' }, outputs: 'Paris' }
    yield { inputs: { q: 'b' }, outputs: 'paris, France' }
  },
  scorers: [mentions],
})
