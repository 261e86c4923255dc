import { describe, it } from 'vitest'

// The control for only.eval.ts (issue 9 item 17): Vitest's own describe.only.
// biome-ignore lint/suspicious/noFocusedTests: this control is about .only
describe.only('only eval', () => {
  it('only1', () => {})
})

describe('left out eval', () => {
  it('out1', () => {})
})
