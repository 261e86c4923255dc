import { writeFileSync } from 'node:fs'
import { evalTest } from 'evalgate/vitest'

// Issue 9 item 5, the single-case form: no scorers is a configuration error, not a pass.
evalTest('no scorers single', {
  inputs: { q: 1 },
  task: () => {
    writeFileSync('ran-no-scorers-evaltest.txt', 'ran')
    return 'answer'
  },
  scorers: [],
})
