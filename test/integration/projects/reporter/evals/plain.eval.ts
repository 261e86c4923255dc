import { expect, test } from 'vitest'

// No eval at all: the evalgate reporter must stay silent for a run of only this file.
test('plain arithmetic', () => {
  expect(1 + 1).toBe(2)
})
