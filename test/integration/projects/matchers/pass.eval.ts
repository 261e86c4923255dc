// Every test here must pass.
import 'evalgate/vitest'
import { expect, test } from 'vitest'
import { capitalCorrect, relevance, safety, seesCase, slowExact, wordCount } from './scorers.js'

const paris = { expectations: { expected_response: 'Paris' } }

test('passing yes/no scorer', async () => {
  await expect('Paris').toPassScorer(capitalCorrect, paris)
})

test('.not on a failing scorer', async () => {
  await expect('Lyon').not.toPassScorer(capitalCorrect, paris)
})

test('numeric scorer with its own threshold, and the threshold option', async () => {
  await expect('Paris is the capital').toPassScorer(relevance)
  await expect('Lyon').not.toPassScorer(relevance)
  await expect('Lyon').toPassScorer(relevance, { threshold: 0.4 })
  await expect('Paris').not.toPassScorer(relevance, { threshold: 0.95 })
  await expect('one two three').toPassScorer(wordCount, { threshold: 3 })
})

test('async scorer is awaited', async () => {
  await expect('Paris').toPassScorer(slowExact, paris)
  await expect('Lyon').not.toPassScorer(slowExact, paris)
})

test('inputs, expectations and trace reach the scorer', async () => {
  await expect('Paris').toPassScorer(seesCase, {
    inputs: { question: 'Capital of France?' },
    expectations: { lang: 'en' },
    trace: 'trace-1',
  })
})

test('toPassScorers with several scorers, and .not when one fails', async () => {
  await expect('Paris').toPassScorers([capitalCorrect, relevance, safety()], paris)
  await expect('Lyon').not.toPassScorers([safety(), capitalCorrect], paris)
})

test('hand-written scorer objects work', async () => {
  await expect('ok').toPassScorer({
    name: 'non_empty',
    score: ({ outputs }) => String(outputs).length > 0,
  })
})

test('a non-scorer rejects with a TypeError naming the matcher', async () => {
  await expect(expect('x').toPassScorer(42 as never)).rejects.toThrow(
    new TypeError(
      'toPassScorer: expected a Scorer { name, score(context) } as the first argument, received 42',
    ),
  )
  await expect(expect('x').toPassScorers([] as never)).rejects.toThrow(TypeError)
  await expect(expect('x').toPassScorer(capitalCorrect, { threshold: Number.NaN })).rejects.toThrow(
    'toPassScorer: expected option "threshold" to be a finite number, received NaN',
  )
})

test('.resolves awaits the output first', async () => {
  await expect(Promise.resolve('Paris')).resolves.toPassScorer(capitalCorrect, paris)
  await expect(Promise.resolve('Lyon')).resolves.not.toPassScorer(capitalCorrect, paris)
})
