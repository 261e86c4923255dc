import { describe, expect, it } from 'vitest'
import { checks, makeRows } from '../rows.js'

describe('bench', () => {
  it.for(makeRows())('$id', (row) => {
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
