import { expect, test } from 'vitest'

// No eval at all: a run of only this file still writes an artifact (evals: []), so a CI step
// never reads a stale one.
test('plain arithmetic', () => {
  expect(1 + 1).toBe(2)
})
