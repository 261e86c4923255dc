import { fromReport, scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

describeEval('wrong name', {
  data: fromReport('report.json', 'traced agnet'),
  scorers: [scorer('any', () => true)],
})
