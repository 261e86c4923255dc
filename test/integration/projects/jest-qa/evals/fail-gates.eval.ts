import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'

const exactMatch = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected_response,
)

// Every third answer is wrong: exact_match/mean is 0.6, below its 0.9 gate.
describeEval('flaky arithmetic', {
  data: 'data/qa.jsonl',
  task: (inputs) => {
    const n = Number(/What is (\d+)/.exec(String(inputs.question))?.[1])
    return n % 3 === 0 ? 'no idea' : String(n + n)
  },
  scorers: [exactMatch],
  thresholds: { 'exact_match/mean': 0.9, 'exact_match/count': { min: 10 } },
})
