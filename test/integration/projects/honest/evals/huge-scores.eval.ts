import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 4: finite scores near Number.MAX_VALUE. Aggregates are finite or null, never NaN,
// and the artifact is written. No thresholds: a numeric metric without a threshold fails no row.
const MAX = Number.MAX_VALUE
const huge = scorer('huge', ({ outputs }) => Number(outputs), {
  aggregations: ['mean', 'median', 'variance', 'stdev', 'p50', 'p90', 'p95', 'p99', 'min', 'max'],
})

describeEval('huge scores', {
  data: [MAX, MAX, MAX / 2, -MAX].map((v, i) => ({ id: `h${i}`, inputs: { i }, outputs: v })),
  scorers: [huge],
})
