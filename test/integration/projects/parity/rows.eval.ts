import { scorer } from 'evalgate'
import { describeEval, evalTest } from 'evalgate/vitest'

const closeEnough = scorer(
  'close_enough',
  ({ outputs, expectations }) => {
    const diff = Math.abs(Number(outputs) - Number(expectations.expected_response))
    return { value: 1 / (1 + diff), rationale: `off by ${diff}` }
  },
  { threshold: 0.5 },
)
// Abstains on rows without a hint: counted as skipped, never a score.
const hinted = scorer('hinted', ({ metadata }) => (metadata?.hint === undefined ? null : true))

// Unit-test mode (no thresholds): the failing row fails its own test.
describeEval('parity unit', {
  data: [
    {
      id: 'exact',
      inputs: { n: 2 },
      outputs: '4',
      expectations: { expected_response: '4' },
      metadata: { hint: 'x' },
    },
    {
      id: 'off by three',
      inputs: { n: 3 },
      outputs: '9',
      expectations: { expected_response: '6' },
    },
    { inputs: { n: 4 }, outputs: '8', expectations: { expected_response: '8' } },
  ],
  scorers: [closeEnough, hinted],
})

// Stored outputs from CSV; one task error tolerated by maxErrors.
describeEval('parity csv', {
  data: 'data/stored.csv',
  task: (inputs) => {
    if (String(inputs.question).includes('Spain')) throw new Error('no answer for Spain')
    return 'Paris'
  },
  scorers: [scorer('mentions_paris', ({ outputs }) => /paris/i.test(String(outputs)))],
  maxErrors: 1,
})

evalTest('parity polite', {
  inputs: { message: 'hi' },
  outputs: 'Thank you!',
  scorers: [scorer('polite', ({ outputs }) => /thank/i.test(String(outputs)))],
})
evalTest('parity rude', {
  inputs: { message: 'hi' },
  task: async () => 'Go away.',
  scorers: [
    scorer('polite', ({ outputs }) => ({
      value: /thank/i.test(String(outputs)),
      rationale: 'looks for thank',
    })),
  ],
})
