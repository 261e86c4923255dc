import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 3: a custom aggregation that throws, one that returns NaN and one that returns
// Infinity. Each is an error on its own metric (null, reason kept); a gate on one fails naming
// it; every other metric and gate is reported as usual.

function boom(_scores: number[]): number {
  throw new Error('boom exploded')
}
function not_a_number(_scores: number[]): number {
  return Number.NaN
}
function endless(_scores: number[]): number {
  return Number.POSITIVE_INFINITY
}

const quality = scorer('quality', ({ outputs }) => Number(outputs), {
  aggregations: ['mean', boom, not_a_number, endless],
})
const other = scorer('other', () => true)

describeEval('broken aggregation', {
  data: [
    { id: 'a', inputs: { q: 1 }, outputs: 0.5 },
    { id: 'b', inputs: { q: 2 }, outputs: 0.75 },
    { id: 'c', inputs: { q: 3 }, outputs: 1 },
  ],
  scorers: [quality, other],
  thresholds: {
    'quality/boom': { min: 0 },
    'quality/not_a_number': { max: 10 },
    'other/mean': 1,
    'quality/mean': { min: 0.5 },
  },
})
