import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 11: with thresholds, a failing gate must show WHICH rows failed (id, metric,
// value, rationale): the first 10, then a count. Twelve rows fail here, two pass.
const exactMatch = scorer('exact_match', ({ outputs, expectations }) => ({
  value: outputs === expectations.expected_response,
  rationale: `expected ${String(expectations.expected_response)}, got ${String(outputs)}`,
}))

const ids = [
  'good-1',
  'good-2',
  ...Array.from({ length: 12 }, (_, i) => `bad-${String(i + 1).padStart(2, '0')}`),
]

describeEval('failing rows', {
  data: ids.map((id) => ({
    id,
    inputs: { id },
    // bad-01 answers "wrong answer 101": the rationale does not repeat the row id.
    outputs: id.startsWith('good') ? 'right' : `wrong answer ${100 + Number(id.slice(4))}`,
    expectations: { expected_response: 'right' },
  })),
  scorers: [exactMatch],
  thresholds: { 'exact_match/mean': 0.9 },
})
