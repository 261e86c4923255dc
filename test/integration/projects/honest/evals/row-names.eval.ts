import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 16: a row whose id is the eval's own `thresholds` test, and a row whose id is the
// name another row's test gets (`[1] b`, a row without an id), each get a distinct test name.
// (Two equal ids are a dataset error, reported before any row runs.)
describeEval('row names', {
  data: [
    { id: 'thresholds', inputs: { q: 'a' }, outputs: 'a' },
    { inputs: { q: 'b' }, outputs: 'b' },
    { id: '[1] b', inputs: { q: 'c' }, outputs: 'c' },
  ],
  scorers: [scorer('ok', () => true)],
  thresholds: { 'ok/mean': 1 },
})
