import { describeEval } from 'evalgate/vitest'
import { alphaRows, exact, words } from '../../shared.js'

describeEval('alpha', {
  data: alphaRows,
  scorers: [exact, words],
  thresholds: { 'exact/mean': { min: 0.5 } },
})
