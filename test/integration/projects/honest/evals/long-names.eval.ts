import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 13: two metric names that share a long prefix. In a narrow log (COLUMNS=60, no
// TTY) neither may be cut into ambiguity.
const query = scorer('answer_relevance_to_customer_query', () => true)
const intent = scorer('answer_relevance_to_customer_intent', () => 0.5, { threshold: 0.25 })

describeEval('names', {
  data: [1, 2, 3].map((n) => ({ id: `n${n}`, inputs: { n }, outputs: `answer ${n}` })),
  scorers: [query, intent],
  thresholds: {
    'answer_relevance_to_customer_query/mean': 1,
    'answer_relevance_to_customer_intent/mean': { min: 0.25 },
  },
})
