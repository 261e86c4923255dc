import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

const exactMatch = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected_response,
)
const length = scorer('length', ({ outputs }) => ({
  value: String(outputs).length,
  rationale: `${String(outputs).length} characters`,
}))

// Every third answer is wrong: a failing gate, its table and its failing rows.
describeEval('parity gated', {
  data: 'data/qa.jsonl',
  task: (inputs) => {
    const n = Number(/What is (\d+)/.exec(String(inputs.question))?.[1])
    return n % 3 === 0 ? 'no idea' : String(n + n)
  },
  scorers: [exactMatch, length],
  thresholds: {
    'exact_match/mean': 0.9,
    'length/max': { max: 5 },
    'latency_ms/p90': { max: 5000 },
  },
  concurrency: 3,
})

// A passing eval whose rows carry metadata, each row run twice.
describeEval('parity passing', {
  data: [
    { id: 't1', inputs: { n: 1 }, metadata: { source: 'inline' } },
    { id: 't2', inputs: { n: 2 } },
  ],
  task: (inputs) => String(Number(inputs.n) * 10),
  scorers: [scorer('ends_with_zero', ({ outputs }) => String(outputs).endsWith('0'))],
  thresholds: { 'ends_with_zero/passRate': 1, 'ends_with_zero/pass^2': 1 },
  trials: 2,
})
