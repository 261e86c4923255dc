import { appendFileSync } from 'node:fs'
import { expect, test } from '@jest/globals'
import { loadDataset, scorer } from 'evalgate'
import { describeEval, evalTest } from 'evalgate/jest'

const exactMatch = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected_response,
)

// An async source, loaded first at the top level of an ESM test file.
const rows = await loadDataset(async function* () {
  yield { id: 'a', inputs: { n: 1 }, expectations: { expected_response: '2' } }
  yield { id: 'b', inputs: { n: 2 }, expectations: { expected_response: '4' } }
})

describeEval('esm arithmetic', {
  data: 'data/qa.jsonl',
  task: (inputs) => {
    const n = Number(/What is (\d+)/.exec(String(inputs.question))?.[1])
    appendFileSync(process.env.RAN_FILE ?? 'ran.txt', `q${n}\n`)
    return String(n + n)
  },
  scorers: [exactMatch],
  thresholds: { 'exact_match/mean': 1 },
})

describeEval('esm async source', {
  data: rows,
  task: (inputs) => String(inputs.n * 2),
  scorers: [exactMatch],
})

evalTest('esm single', {
  inputs: {},
  outputs: 'x',
  scorers: [scorer('is_x', ({ outputs }) => outputs === 'x')],
})

test('esm matchers from @jest/globals expect', async () => {
  await expect('Paris').toPassScorer(exactMatch, { expectations: { expected_response: 'Paris' } })
  await expect('Lyon').not.toPassScorer(exactMatch, {
    expectations: { expected_response: 'Paris' },
  })
})
