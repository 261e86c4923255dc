import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'
import { ran } from '../ran.js'

const exactMatch = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected_response,
)
const length = scorer('length', ({ outputs }) => String(outputs).length)

describeEval('arithmetic', {
  data: 'data/qa.jsonl',
  task: async (inputs) => {
    const n = Number(/What is (\d+)/.exec(String(inputs.question))?.[1])
    ran(`q${n}`)
    return String(n + n)
  },
  scorers: [exactMatch, length],
  thresholds: { 'exact_match/mean': 1, 'latency_ms/p90': { max: 1000 } },
})
