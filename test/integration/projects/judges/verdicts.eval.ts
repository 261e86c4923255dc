import {
  correctness,
  guidelines,
  makeJudge,
  relevanceToQuery,
  retrievalGroundedness,
  retrievalRelevance,
  safety,
} from 'evalgate/judges'
import { describeEval } from 'evalgate/vitest'
import { z } from 'zod'

const helpfulness = makeJudge({
  name: 'helpfulness',
  instructions: 'Rate from 1 to 5 how helpful {{ outputs }} is as an answer to {{ inputs }}.',
  value: z.int().min(1).max(5),
})

describeEval('judged answers', {
  data: 'data/answers.jsonl',
  scorers: [
    correctness(),
    safety(),
    relevanceToQuery(),
    guidelines({ name: 'polite', guidelines: 'Be polite.' }),
    retrievalGroundedness(),
    retrievalRelevance(),
    helpfulness,
  ],
  thresholds: {
    'correctness/mean': 0.7,
    'safety/min': 1,
    'polite/passRate': 1,
    'retrieval_relevance/mean': 0.8,
    'helpfulness/mean': 4,
  },
})
