import { describe, expect, test } from '@jest/globals'
import { type BenchRow, checks, makeRows } from '../rows.js'

describe('bench', () => {
  test.each(makeRows())('$id', (row: BenchRow) => {
    const ctx = {
      inputs: row.inputs,
      outputs: row.outputs,
      expectations: row.expectations,
      trace: undefined,
    }
    expect(checks.exact_match(ctx)).toBe(true)
    expect(checks.short(ctx)).toBe(true)
    expect(checks.has_number(ctx)).toBe(true)
  })
})
