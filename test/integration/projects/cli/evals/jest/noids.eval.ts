import { describeEval } from 'evalgate/jest'
import { noIdRows, truthy } from '../../shared.js'

describeEval('no ids', {
  data: noIdRows,
  scorers: [truthy],
  thresholds: { 'truthy/mean': { min: 0.2 } },
})
