import { describeEval } from 'evalgate/vitest'
import { ok, patternTask, rows } from './pattern.js'

// 20 rows x 3 trials, 48 of 60 trials pass (0.8): the 95% interval is about [0.7, 0.9].
const patterns = Array.from({ length: 20 }, (_, i) => ['yyy', 'yyn', 'yyy', 'yny', 'nyy'][i % 5]!)

describeEval('confident', {
  data: rows(patterns),
  task: patternTask(),
  scorers: [ok],
  trials: 3,
  thresholds: {
    'ok/mean': { min: 0.6, confidence: 0.95 },
    'ok/passRate': { min: 0.85, confidence: 0.95, require: 'plausible' },
    'ok/pass@3': 1,
    'ok/pass^3': { min: 0.3 },
  },
})
