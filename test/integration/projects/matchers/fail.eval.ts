// Every test here must fail; matchers.test.ts checks each failure message.
// No `import 'evalgate/vitest'`: the matchers come from setupFiles alone.
import { scorer } from 'evalgate'
import { expect, test } from 'vitest'
import { broken, capitalCorrect, relevance, safety, slowExact, wordCount } from './scorers.js'

const paris = { expectations: { expected_response: 'Paris' } }

test('fail: yes/no scorer', async () => {
  await expect('Lyon').toPassScorer(capitalCorrect, paris)
})

test('fail: numeric below its threshold', async () => {
  await expect('Lyon').toPassScorer(relevance)
})

test('fail: threshold option above the score', async () => {
  await expect('Paris').toPassScorer(relevance, { threshold: 0.95 })
})

test('fail: .not on a passing scorer', async () => {
  await expect('Paris').not.toPassScorer(capitalCorrect, paris)
})

test('fail: scorer error', async () => {
  await expect('Paris').toPassScorer(broken)
})

test('fail: .not on a scorer error', async () => {
  await expect('Paris').not.toPassScorer(broken)
})

test('fail: no pass rule', async () => {
  await expect('one two three').toPassScorer(wordCount)
})

test('fail: toPassScorers with one failing', async () => {
  await expect('Lyon').toPassScorers([safety(), capitalCorrect], paris)
})

test('fail: non-scorer', async () => {
  await expect('Paris').toPassScorer(42 as never)
})

test('fail: scorer factory not called', async () => {
  await expect('Paris').toPassScorers([safety] as never)
})

test('fail: async scorer', async () => {
  await expect('Lyon').toPassScorer(slowExact, paris)
})

test('fail: un-awaited failing matcher', () => {
  void expect('Lyon').toPassScorer(slowExact, paris)
})

test('fail: un-awaited passing matcher', () => {
  void expect('Paris').not.toPassScorer(scorer('instant', () => false))
})
