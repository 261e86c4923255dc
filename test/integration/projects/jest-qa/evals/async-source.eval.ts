import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'

// Jest's describe cannot await: an async data source is refused with what to do instead.
describeEval('async source', {
  data: async () => [{ inputs: { q: 'a' }, outputs: 'a' }],
  scorers: [scorer('any', () => true)],
})
