import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'

const closeEnough = scorer(
  'close_enough',
  ({ outputs, expectations }) => {
    const diff = Math.abs(Number(outputs) - Number(expectations.expected_response))
    return { value: 1 / (1 + diff), rationale: `off by ${diff}` }
  },
  { threshold: 0.5 },
)

describeEval('unit mode', {
  data: [
    { id: 'exact', inputs: { n: 2 }, outputs: '4', expectations: { expected_response: '4' } },
    {
      id: 'off by three',
      inputs: { n: 3 },
      outputs: '9',
      expectations: { expected_response: '6' },
    },
  ],
  scorers: [closeEnough],
})
