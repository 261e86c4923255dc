import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 7: a yes/no metric's mean lies in [0, 1]; `{ max: 5 }` could never fail. With
// every row toxic, the gate must fail, saying why, not pass vacuously.
const toxic = scorer('toxic', () => 'yes')

describeEval('toxic range', {
  data: [1, 2, 3].map((n) => ({ id: `t${n}`, inputs: { n }, outputs: `reply ${n}` })),
  scorers: [toxic],
  thresholds: { 'toxic/mean': { max: 5 } },
})
