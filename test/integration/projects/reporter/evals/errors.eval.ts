import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

const parity = scorer('is_even', ({ outputs }) => {
  if (outputs === 3) throw new Error('three is not allowed')
  return Number(outputs) % 2 === 0
})

// One row's scorer throws: an errored row, tolerated by maxErrors 1.
describeEval('parity', {
  data: [1, 2, 3, 4].map((n) => ({ id: `n${n}`, inputs: { n } })),
  task: (inputs) => Number(inputs.n),
  scorers: [parity],
  thresholds: { 'is_even/passRate': { min: 0.5 } },
  maxErrors: 1,
})
