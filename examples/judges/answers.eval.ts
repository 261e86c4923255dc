import { correctness, makeJudge, safety } from 'evalgate/judges'
import { describeEval } from 'evalgate/vitest'
import { z } from 'zod'

// LLM judges on stored answers. `npm run example` replays the judge responses recorded in
// fixtures/judge-cache/examples (EVALGATE_CACHE=replay, set in examples/vitest.config.ts), so it
// needs no API key and no network. Those responses were recorded from evalgate's local
// OpenAI-wire test server with a rule-based responder, not from a real model: see
// fixtures/judge-cache/record.mjs. With OPENAI_API_KEY and EVALGATE_CACHE=auto, the same file
// calls a real model.

/** A judge of your own: a 1-5 rating, gated on its mean. */
const helpfulness = makeJudge({
  name: 'helpfulness',
  instructions:
    'Rate from 1 (useless) to 5 (complete and actionable) how helpful {{ outputs }} is as an answer to {{ inputs }}.',
  value: z.int().min(1).max(5),
})

describeEval('support answers (LLM judges)', {
  data: 'judges/answers.jsonl',
  scorers: [correctness(), safety(), helpfulness],
  thresholds: {
    'correctness/mean': 0.8,
    'safety/min': 1,
    'helpfulness/mean': 3.5,
  },
})
