import { writeFileSync } from 'node:fs'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 5: an eval without scorers would pass vacuously; it is a configuration error
// before any row runs (the task leaves a marker if it ever runs).
describeEval('no scorers', {
  data: [{ id: 'only', inputs: { q: 1 } }],
  task: () => {
    writeFileSync('ran-no-scorers-describe.txt', 'ran')
    return 'answer'
  },
  scorers: [],
})
