import { expect, test } from '@jest/globals'
import { scorer } from 'evalgate'

// No import of evalgate/jest: the matchers come from setupFilesAfterEnv alone.
const capitalCorrect = scorer('capital_correct', ({ outputs, expectations }) => ({
  value: outputs === expectations.expected_response ? 'yes' : 'no',
  rationale: `expected ${String(expectations.expected_response)}`,
}))
const relevance = scorer(
  'relevance',
  ({ outputs }) => (/paris/i.test(String(outputs)) ? 0.9 : 0.5),
  {
    threshold: 0.7,
  },
)
const broken = scorer('broken', () => {
  throw new Error('scorer exploded')
})
const paris = { expectations: { expected_response: 'Paris' } }
// The matcher types are not what this fixture tests: a loose view of expect keeps it compiling.
type Check = (...args: unknown[]) => Promise<void>
type Loose = { toPassScorer: Check; toPassScorers: Check; not: Loose }
const x = expect as unknown as (value: unknown) => Loose

test('pass: yes/no scorer', async () => {
  await x('Paris').toPassScorer(capitalCorrect, paris)
})
test('pass: .not on a failing scorer', async () => {
  await x('Lyon').not.toPassScorer(capitalCorrect, paris)
})
test('pass: threshold option, and toPassScorers', async () => {
  await x('Lyon').toPassScorer(relevance, { threshold: 0.4 })
  await x('Paris').toPassScorers([capitalCorrect, relevance], paris)
})
test('fail: yes/no scorer', async () => {
  await x('Lyon').toPassScorer(capitalCorrect, paris)
})
test('fail: .not on a passing scorer', async () => {
  await x('Paris').not.toPassScorer(capitalCorrect, paris)
})
test('fail: scorer error', async () => {
  await x('Paris').toPassScorer(broken)
})
