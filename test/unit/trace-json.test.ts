import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { capJsonValue, toJsonValue } from '../../src/base/json.js'
import { captureTrace, SPAN_TYPES, Trace, type TraceJSON, traced } from '../../src/trace/index.js'

const hex = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n })

/** Arbitrary valid trace JSON, as it reads back from JSON text. */
const traceJson: fc.Arbitrary<TraceJSON> = fc
  .record({
    traceId: hex(32),
    spans: fc.uniqueArray(
      fc.record({
        spanId: hex(16),
        name: fc.string(),
        type: fc.oneof(fc.constantFrom(...SPAN_TYPES), fc.string({ minLength: 1 })),
        startMs: fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 4e12 }),
        duration: fc.option(fc.double({ noNaN: true, min: 0, max: 1e6 })),
        inputs: fc.jsonValue(),
        outputs: fc.jsonValue(),
        attributes: fc.dictionary(fc.string(), fc.jsonValue()),
        status: fc.record({
          code: fc.constantFrom('UNSET' as const, 'OK' as const, 'ERROR' as const),
          message: fc.option(fc.string()),
        }),
        parentPick: fc.nat(),
      }),
      { selector: (s) => s.spanId, maxLength: 8 },
    ),
  })
  .map(({ traceId, spans }) => {
    const json: TraceJSON = {
      traceId,
      spans: spans.map((s, i) => ({
        spanId: s.spanId,
        // A parent is an earlier span (or none), so the trace is well-formed.
        parentId: i === 0 || s.parentPick % 3 === 0 ? null : spans[s.parentPick % i]!.spanId,
        name: s.name,
        type: s.type,
        startMs: s.startMs,
        endMs: s.duration === null ? null : s.startMs + s.duration,
        inputs: s.inputs,
        outputs: s.outputs,
        attributes: s.attributes,
        status: s.status,
      })),
    }
    // What JSON text gives back (no -0, no undefined): the domain of Trace.fromJSON.
    return JSON.parse(JSON.stringify(json)) as TraceJSON
  })

describe('Trace JSON round trip', () => {
  it('Trace.fromJSON(json).toJSON() equals json, through JSON text too (property)', () => {
    fc.assert(
      fc.property(traceJson, (json) => {
        const trace = Trace.fromJSON(json)
        expect(trace.toJSON()).toStrictEqual(json)
        const again = Trace.fromJSON(JSON.parse(JSON.stringify(trace)))
        expect(again.toJSON()).toStrictEqual(json)
        expect(again.spans.map((s) => s.spanId)).toEqual(json.spans.map((s) => s.spanId))
      }),
      { numRuns: 300 },
    )
  })

  it('a capped trace round-trips exactly as well (property)', () => {
    fc.assert(
      fc.property(traceJson, fc.integer({ min: 16, max: 400 }), (json, max) => {
        const capped = Trace.fromJSON(json).toJSON({ maxValueBytes: max })
        const text = JSON.stringify(capped)
        expect(Trace.fromJSON(JSON.parse(text)).toJSON()).toStrictEqual(capped)
        expect(Trace.fromJSON(JSON.parse(text)).toJSON({ maxValueBytes: max })).toStrictEqual(
          capped,
        )
      }),
      { numRuns: 200 },
    )
  })

  it('keeps a "__proto__" key as data', () => {
    const json = JSON.parse(
      '{"traceId":"t","spans":[{"spanId":"s","parentId":null,"name":"n","type":"TOOL","startMs":1,"endMs":2,"inputs":{"__proto__":{"x":1}},"outputs":null,"attributes":{"__proto__":5},"status":{"code":"OK","message":null}}]}',
    )
    const out = Trace.fromJSON(json).toJSON()
    expect(JSON.stringify(out)).toBe(JSON.stringify(json))
  })

  it('a recorded trace round-trips: span values become JSON-safe copies', async () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const tool = traced(
      'tool',
      (..._args: unknown[]) => ({
        date: new Date('2026-01-02T03:04:05.000Z'),
        big: 10n,
        missing: undefined,
        nan: Number.NaN,
        negZero: -0,
        map: new Map([['k', 1]]),
        set: new Set([1, 2]),
        point: new Point(1, 2),
        error: new TypeError('bad'),
        cyclic,
      }),
      { type: 'TOOL' },
    )
    const { trace } = await captureTrace(() => tool(() => 1, Symbol('s'), undefined))
    const json = trace.toJSON()
    const span = json.spans[1]!
    expect(span.inputs).toEqual(['[Function anonymous]', 'Symbol(s)', null])
    expect(span.outputs).toEqual({
      date: '2026-01-02T03:04:05.000Z',
      big: '10n',
      nan: null,
      negZero: 0,
      map: { k: 1 },
      set: [1, 2],
      point: { x: 1, y: 2 },
      error: { name: 'TypeError', message: 'bad', stack: expect.stringContaining('bad') },
      cyclic: { name: 'loop', self: '[Circular]' },
    })
    expect(Object.is((span.outputs as { negZero: number }).negZero, 0)).toBe(true)
    const text = JSON.stringify(trace)
    expect(JSON.parse(text)).toStrictEqual(json)
    expect(Trace.fromJSON(JSON.parse(text)).toJSON()).toStrictEqual(json)
  })
})

describe('Trace.fromJSON validation', () => {
  const good = (): TraceJSON => ({
    traceId: 't',
    spans: [
      {
        spanId: 'a',
        parentId: null,
        name: 'root',
        type: 'CHAIN',
        startMs: 0,
        endMs: 1,
        inputs: {},
        outputs: null,
        attributes: {},
        status: { code: 'OK', message: null },
      },
    ],
  })

  it('names the field and what was received', () => {
    const bad = good()
    ;(bad.spans[0] as { startMs: unknown }).startMs = 'soon'
    expect(() => Trace.fromJSON(bad)).toThrow(
      'evalgate: Trace.fromJSON(): "spans[0].startMs": Invalid input: expected number, received string',
    )
    expect(() => Trace.fromJSON('nope')).toThrow(
      'evalgate: Trace.fromJSON(): the trace: Invalid input: expected object, received string, received "nope"',
    )
    const extra = { ...good(), spanz: [] }
    expect(() => Trace.fromJSON(extra)).toThrow('Unrecognized key: "spanz"')
  })

  it('rejects duplicate span ids and dangling parents', () => {
    const dup = good()
    dup.spans.push({ ...dup.spans[0]!, parentId: 'a' })
    expect(() => Trace.fromJSON(dup)).toThrow(
      'evalgate: Trace.fromJSON(): "spans[1].spanId": duplicate span id "a"',
    )
    const dangling = good()
    dangling.spans.push({ ...dangling.spans[0]!, spanId: 'b', name: 'tool', parentId: 'zz' })
    expect(() => Trace.fromJSON(dangling)).toThrow(
      'evalgate: Trace.fromJSON(): "spans[1].parentId": span "tool" has parent "zz", which is not a span of this trace',
    )
  })

  it('toJSON rejects a bad cap', () => {
    expect(() => Trace.fromJSON(good()).toJSON({ maxValueBytes: 0 })).toThrow(
      'evalgate: trace.toJSON(): expected "maxValueBytes" to be a whole number from 1 and up, received 0',
    )
  })
})

describe('capJsonValue', () => {
  it('keeps values within the cap and marks larger ones with their size and a preview', () => {
    expect(capJsonValue('short', 100)).toBe('short')
    expect(capJsonValue({ a: 'x'.repeat(50) }, 100)).toEqual({ a: 'x'.repeat(50) })
    expect(capJsonValue(12345, 1)).toBe(12345)
    const marker = capJsonValue({ a: 'é'.repeat(100) }, 64) as Record<string, unknown>
    // 100 two-byte characters + {"a":""} = 208 bytes.
    expect(marker).toEqual({
      __truncated__: true,
      originalBytes: 208,
      preview: '{"a":"éééééééééé…',
    })
  })

  it('never cuts a surrogate pair in the preview', () => {
    // 16 characters would end on the high half of the 7th emoji: the preview stops before it.
    const marker = capJsonValue(`ab${'😀'.repeat(50)}`, 64) as { preview: string }
    expect(marker.preview).toBe(`"ab${'😀'.repeat(6)}…`)
    const even = capJsonValue(`a${'😀'.repeat(50)}`, 64) as { preview: string }
    expect(even.preview).toBe(`"a${'😀'.repeat(7)}…`)
  })

  it('toJsonValue output is what JSON text gives back (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true }), (v) => {
        const safe = toJsonValue(v)
        expect(JSON.parse(JSON.stringify(safe) ?? 'null')).toStrictEqual(safe)
      }),
      { numRuns: 300 },
    )
  })
})
