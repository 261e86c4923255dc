import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// A healthy eval run beside the broken ones: it must never be lost from the artifact.
const exactMatch = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected_response,
)

describeEval('plain neighbour', {
  data: [
    { id: 'p1', inputs: { q: 'a' }, outputs: 'A', expectations: { expected_response: 'A' } },
    { id: 'p2', inputs: { q: 'b' }, outputs: 'B', expectations: { expected_response: 'B' } },
  ],
  scorers: [exactMatch],
})
