// evalgate's schemas are built on first use (src/base/zod.ts), so importing evalgate loads no
// zod; once built, a lazy schema behaves as the zod schema it stands for.

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { lazySchema, loadZod, once } from '../../src/base/zod.js'
import { RowSchema } from '../../src/core/dataset.js'
import { ReportSchema, toJSONSchema } from '../../src/core/report-schema.js'
import { TraceJSONSchema } from '../../src/trace/trace.js'

describe('lazySchema', () => {
  it('builds once, on first use', () => {
    let builds = 0
    const schema = lazySchema(() => {
      builds++
      return loadZod().z.strictObject({ a: loadZod().z.number() })
    })
    expect(builds).toBe(0)
    expect(schema.safeParse({ a: 1 }).success).toBe(true)
    expect(schema.safeParse({ a: 'x' }).success).toBe(false)
    expect(Object.keys(schema.shape)).toEqual(['a'])
    expect(builds).toBe(1)
  })

  it('methods work detached and composed into other schemas', () => {
    const { parse } = RowSchema
    expect(parse({ inputs: { q: 'hi' }, id: 1 })).toEqual({ inputs: { q: 'hi' }, id: 1 })
    const many = z.array(TraceJSONSchema)
    expect(many.safeParse([{ traceId: 't', spans: [] }]).success).toBe(true)
    expect(many.safeParse([{ traceId: '', spans: [] }]).success).toBe(false)
    expect('safeParse' in ReportSchema).toBe(true)
  })

  it('names the same issues as before: a bad row, a report missing its fields', () => {
    const row = RowSchema.safeParse({ inputs: ['x'] })
    expect(row.success).toBe(false)
    expect(row.error?.issues[0]?.path).toEqual(['inputs'])
    const report = ReportSchema.safeParse({ schemaVersion: 2 })
    expect(report.success).toBe(false)
    expect(report.error?.issues.map((i) => i.path[0])).toContain('tool')
    expect((toJSONSchema() as { title?: string }).title).toBe('evalgate report')
  })
})

describe('once', () => {
  it('memoises a value, undefined included', () => {
    let calls = 0
    const value = once(() => {
      calls++
      return undefined
    })
    expect(value()).toBeUndefined()
    expect(value()).toBeUndefined()
    expect(calls).toBe(1)
  })
})
