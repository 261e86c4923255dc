import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'

// The same eval name in two files: every test passes, but the report cannot tell them apart.
describeEval('same name', {
  data: [{ id: 'r', inputs: { q: 'a' }, outputs: 'a' }],
  scorers: [scorer('ok', () => true)],
})
