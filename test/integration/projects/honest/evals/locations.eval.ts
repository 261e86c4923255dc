import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 18: a failing row (EvalRowError) and a failing gate (EvalThresholdError) must
// point at this file, at the describeEval call, not into evalgate's dist/.
const exactMatch = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected_response,
)

describeEval('row location', {
  data: [
    {
      id: 'wrong-row',
      inputs: { q: 1 },
      outputs: 'no',
      expectations: { expected_response: 'yes' },
    },
  ],
  scorers: [exactMatch],
})

describeEval('gate location', {
  data: [
    {
      id: 'wrong-gate',
      inputs: { q: 1 },
      outputs: 'no',
      expectations: { expected_response: 'yes' },
    },
  ],
  scorers: [exactMatch],
  thresholds: { 'exact_match/mean': 1 },
})
