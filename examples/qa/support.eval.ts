import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'
import { supportBot } from './support-bot.js'

/** Share of the expected facts that the answer states (1 = all of them). */
const factRecall = scorer(
  'fact_recall',
  ({ outputs, expectations }) => {
    const facts = (expectations.expected_facts as string[] | undefined) ?? []
    const found = facts.filter((f) => String(outputs).includes(f))
    const missing = facts.filter((f) => !found.includes(f))
    return {
      value: facts.length === 0 ? 1 : found.length / facts.length,
      rationale:
        missing.length === 0 ? 'every expected fact stated' : `missing: ${missing.join('; ')}`,
    }
  },
  { threshold: 1 },
)

/** Answers stay short enough for a chat bubble. */
const concise = scorer('concise', ({ outputs }) => {
  const words = String(outputs).split(/\s+/).length
  return { value: words <= 25, rationale: `${words} words` }
})

describeEval('support bot', {
  data: 'qa/support.jsonl',
  task: async (inputs) => supportBot(String(inputs.question)),
  scorers: [factRecall, concise],
  thresholds: {
    'fact_recall/mean': 0.9,
    'concise/passRate': 1,
    'latency_ms/p90': { max: 500 },
  },
  concurrency: 4,
})
