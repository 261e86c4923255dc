// The datasets of the evalgate command's fixture, shared by its Vitest and Jest variants.
// No task: stored outputs are scored, so two runs differ only in what the environment asks
// (FIXTURE_VARIANT=worse: a third of alpha's answers go wrong; FIXTURE_ALPHA_ROWS,
// FIXTURE_NOIDS_ROWS: dataset sizes), never in timings.
import { scorer } from 'evalgate'

const worse = process.env.FIXTURE_VARIANT === 'worse'

export const alphaRows = Array.from(
  { length: Number(process.env.FIXTURE_ALPHA_ROWS ?? 30) },
  (_, i) => {
    const wrong = worse ? i % 3 === 0 : i % 10 === 0
    return {
      id: `alpha-${String(i).padStart(2, '0')}`,
      inputs: { question: `q${i}` },
      outputs: wrong ? `wrong ${i}` : `answer ${i}`,
      expectations: { answer: `answer ${i}` },
    }
  },
)

export const exact = scorer('exact', ({ outputs, expectations }) => ({
  value: outputs === expectations.answer,
  rationale: outputs === expectations.answer ? 'matches' : `said "${String(outputs)}"`,
}))

export const words = scorer('words', ({ outputs }) => String(outputs).split(' ').length)

export const betaRows = Array.from({ length: 12 }, (_, i) => ({
  id: `beta-${String(i).padStart(2, '0')}`,
  inputs: { n: i },
  outputs: i % 4 === 0 ? 'no' : 'yes',
}))

export const polite = scorer('polite', ({ outputs }) => String(outputs))

export const noIdRows = Array.from(
  { length: Number(process.env.FIXTURE_NOIDS_ROWS ?? 8) },
  (_, i) => ({
    inputs: { text: `item ${i}` },
    outputs: i % 2 === 0,
  }),
)

export const truthy = scorer('truthy', ({ outputs }) => outputs === true)
