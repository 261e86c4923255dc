import { describeEval } from 'evalgate/jest'
import { alphaRows, exact, words } from '../../shared.js'

describeEval('alpha', {
  data: alphaRows,
  scorers: [exact, words],
  thresholds: { 'exact/mean': { min: 0.5 } },
})
