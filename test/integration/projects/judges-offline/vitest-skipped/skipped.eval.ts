import { safety } from 'evalgate/judges'
import { describeEval } from 'evalgate/vitest'
import { answer } from '../bot.js'

// Skipped: it runs nothing, so an empty judge cache must not refuse it.
describeEval.skip('skipped judge', {
  data: 'data/answers.jsonl',
  task: async (inputs, { row }) => answer(inputs, String(row.id)),
  scorers: [safety()],
})
