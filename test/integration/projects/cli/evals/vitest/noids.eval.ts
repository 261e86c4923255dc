import { describeEval } from 'evalgate/vitest'
import { noIdRows, truthy } from '../../shared.js'

describeEval('no ids', {
  data: noIdRows,
  scorers: [truthy],
  thresholds: { 'truthy/mean': { min: 0.2 } },
})
