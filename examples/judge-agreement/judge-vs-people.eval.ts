import { correctness } from 'evalgate/judges'
import { describeEval } from 'evalgate/vitest'

// Is the judge worth gating on? Each row of labelled.jsonl carries a person's verdict on the
// answer (`expectations.human.correctness`), and evalgate compares the correctness judge with
// it: accuracy, Cohen's κ, the judge's true-positive and true-negative rates, and the pass rate
// corrected for the judge's measured errors. This eval gates on that agreement, not on the
// answers: it fails when the judge stops agreeing with people.
//
// `npm run example` replays judge responses recorded in fixtures/judge-cache/examples
// (EVALGATE_CACHE=replay), offline. They were recorded from evalgate's local OpenAI-wire test
// server, whose rule-based "judge" checks that each expected fact appears word for word: so it
// misses correct paraphrases ("a month" for "30 days") and passes a negated fact, and people
// disagree with it on those rows. See fixtures/judge-cache/record.mjs.
describeEval('correctness judge vs human labels', {
  data: 'judge-agreement/labelled.jsonl',
  scorers: [correctness()],
  thresholds: {
    'correctness/kappa': 0.5,
    'correctness/accuracy': 0.75,
  },
})
