import { describeEval, evalTest } from 'evalgate/vitest'
import { ok, patternTask, rows } from './pattern.js'

// No thresholds: each row test passes when `ok` passes in at least 3 of its 4 trials.
describeEval('three of four', {
  data: rows(['yyyy', 'ynyy', 'nyny']),
  task: patternTask(),
  scorers: [ok],
  trials: 4,
  trialPassRate: 0.75,
})

const task = patternTask()
evalTest('single case, 2 of 3 trials', {
  inputs: { pattern: 'yny', n: 'single' },
  task,
  scorers: [ok],
  trials: 3,
  trialPassRate: 0.6,
})
evalTest('single case, every trial', {
  inputs: { pattern: 'yyn', n: 'every' },
  task,
  scorers: [ok],
  trials: 3,
})
