import { describeEval } from 'evalgate/vitest'
import { ok, patternTask, rows } from './pattern.js'

// The same 0.8 as confidence-pass: a point gate at 0.78 passes, but 20 rows x 3 trials cannot
// prove 0.78 at 95%, so the confidence gate fails (the flapping a point gate hides).
const patterns = Array.from({ length: 20 }, (_, i) => ['yyy', 'yyn', 'yyy', 'yny', 'nyy'][i % 5]!)

describeEval('unproven', {
  data: rows(patterns),
  task: patternTask(),
  scorers: [ok],
  trials: 3,
  thresholds: {
    'ok/mean': { min: 0.78, confidence: 0.95 },
    'ok/passRate': 0.78,
  },
})
