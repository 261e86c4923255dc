import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Outputs recorded earlier (e.g. from production logs): no task, nothing is re-run; iterate on
// scorers against the stored outputs.
const mentionsExpected = scorer('mentions_expected', ({ outputs, expectations }) =>
  String(outputs).toLowerCase().includes(String(expectations.expected_response).toLowerCase()),
)

const answerFirst = scorer('answer_first', ({ outputs, expectations }) => {
  const first = String(outputs).split(/[.;]/)[0] ?? ''
  const ok = first.toLowerCase().includes(String(expectations.expected_response).toLowerCase())
  return {
    value: ok ? 'yes' : 'no',
    rationale: ok ? 'answer in first clause' : `first clause: "${first}"`,
  }
})

describeEval('capitals (stored outputs)', {
  data: 'rescore/stored-outputs.jsonl',
  scorers: [mentionsExpected, answerFirst],
  thresholds: { 'mentions_expected/mean': 1, 'answer_first/passRate': { min: 0.75 } },
})
