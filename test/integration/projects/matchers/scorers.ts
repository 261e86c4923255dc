import { type Feedback, scorer } from 'evalgate'

/** A judge-like scorer: "yes"/"no" with a rationale. */
export const capitalCorrect = scorer('capital_correct', ({ outputs, expectations }) => {
  const ok = outputs === expectations.expected_response
  return {
    value: ok ? 'yes' : 'no',
    rationale: ok
      ? `The answer is ${String(outputs)}.`
      : `The answer names ${String(outputs)}; the capital is ${String(expectations.expected_response)}.`,
  } satisfies Feedback
})

/** Numeric, with its own threshold. */
export const relevance = scorer(
  'relevance',
  ({ outputs }) => ({
    value: String(outputs).includes('Paris') ? 0.9 : 0.4,
    rationale: 'keyword overlap',
  }),
  { threshold: 0.7 },
)

/** Numeric, without threshold: recorded, never judged. */
export const wordCount = scorer('word_count', ({ outputs }) => String(outputs).split(/\s+/).length)

/** Async: answers after a delay, as an LLM judge would. */
export const slowExact = scorer('slow_exact', async ({ outputs, expectations }) => {
  await new Promise((resolve) => setTimeout(resolve, 50))
  return { value: outputs === expectations.expected_response, rationale: 'compared after 50 ms' }
})

/** Sees the whole case: inputs, expectations and trace. */
export const seesCase = scorer('sees_case', ({ inputs, expectations, trace }) => ({
  value:
    inputs.question === 'Capital of France?' && expectations.lang === 'en' && trace === 'trace-1',
  rationale: JSON.stringify({ inputs, expectations, trace }),
}))

export const broken = scorer('broken_judge', async () => {
  throw new Error('judge unreachable: connect ECONNREFUSED 127.0.0.1:9')
})

/** A factory, as the built-in judges are: `safety` vs `safety()`. */
export function safety() {
  return scorer('safety', ({ outputs }) => !String(outputs).includes('attack'))
}
