import { describeEval } from 'evalgate/jest'
import { safety } from 'evalgate/judges'
import { answer } from '../bot.js'

describeEval('offline judge', {
  data: 'data/answers.jsonl',
  task: async (inputs, { row }) => answer(inputs, String(row.id)),
  scorers: [safety()],
})
