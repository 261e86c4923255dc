import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 10: five rows, four wrong, a gate that fails on the full run. A `-t` run of one
// row is partial: its gate is not evaluated, neither PASS nor FAIL.
const exactMatch = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected_response,
)

describeEval('partial gate', {
  data: ['r1', 'r2', 'r3', 'r4', 'r5'].map((id, i) => ({
    id,
    inputs: { i },
    outputs: i === 0 ? 'right' : 'wrong',
    expectations: { expected_response: 'right' },
  })),
  scorers: [exactMatch],
  thresholds: { 'exact_match/mean': 0.9 },
})
