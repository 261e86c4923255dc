import { describe, it } from 'vitest'

// The control for modifiers.eval.ts (issue 9 item 17): the same shape with Vitest's own
// describe.skip and describe.todo, which describeEval.skip and .todo must match.
describe.skip('skipped eval', () => {
  it('sk1', () => {})
})

describe.todo('todo eval')

describe('running eval', () => {
  it('run1', () => {})
})
