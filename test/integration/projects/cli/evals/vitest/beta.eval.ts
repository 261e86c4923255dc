import { describeEval } from 'evalgate/vitest'
import { betaRows, polite } from '../../shared.js'

describeEval('beta', {
  data: betaRows,
  scorers: [polite],
  trials: 2,
  thresholds: { 'polite/passRate': { min: 0.5, confidence: 0.9, require: 'plausible' } },
})
