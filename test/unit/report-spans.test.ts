// Where the rows are in an artifact's bytes (core/report-spans.ts), and the artifact's JSON
// assembled from rows already in JSON (core/report-json.ts): what `evalgate merge` copies.
import { describe, expect, it } from 'vitest'
import type { Report } from '../../src/core/report.js'
import { reportJsonChunks } from '../../src/core/report-json.js'
import { rowSpans } from '../../src/core/report-spans.js'

/** mulberry32: a small seeded generator, so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!

/** Strings a row may hold that a scan could trip on: quotes, backslashes, brackets, non-ASCII. */
const TRICKY = [
  '',
  'plain',
  'a "quoted" word',
  'ends with a backslash \\',
  '\\"',
  '\\\\',
  '{"rows":[1,2]}',
  '], "evals": [',
  'é ü 日本 🎉',
  'line\nbreak\ttab',
  '\u0000\u001f',
  '\ud800 lone surrogate',
]

/** Any JSON value, with the keys and strings above, nested a little. */
function value(r: () => number, depth = 0): unknown {
  const k = r()
  if (depth > 2 || k < 0.3) return pick(r, [null, true, false, 0, -1.5, 1e21, 12345.678])
  if (k < 0.6) return pick(r, TRICKY)
  if (k < 0.8) return Array.from({ length: Math.floor(r() * 3) }, () => value(r, depth + 1))
  const keys = ['rows', 'evals', 'x', '2', '1', ...TRICKY.slice(0, 4)]
  return Object.fromEntries(
    Array.from({ length: Math.floor(r() * 4) }, () => [pick(r, keys), value(r, depth + 1)]),
  )
}

function row(r: () => number, index: number): Record<string, unknown> {
  return {
    index,
    trial: 0,
    id: pick(r, [null, `r${index}`, index]),
    inputs: { q: value(r), rows: value(r) },
    outputs: value(r),
    expectations: null,
    metadata: pick(r, [null, { evals: value(r) }]),
    latencyMs: 12,
    feedback: [{ name: pick(r, TRICKY), rationale: pick(r, TRICKY), value: value(r) }],
    error: null,
    passed: true,
    trace: value(r),
  }
}

/** A report-like value: the scan reads only the layout, so the rows need not be valid rows. */
function artifact(
  r: () => number,
): { evals: Array<{ rows: unknown[] }> } & Record<string, unknown> {
  return {
    schemaVersion: 2,
    tool: { name: pick(r, TRICKY), rows: value(r) },
    evals: Array.from({ length: 1 + Math.floor(r() * 3) }, (_, e) => ({
      name: pick(r, TRICKY),
      metrics: { rows: { count: 1 }, evals: value(r) },
      rows: Array.from({ length: Math.floor(r() * 5) }, (_, i) => row(r, i + e)),
      failures: [pick(r, TRICKY)],
    })),
    errors: [{ file: 'x', message: pick(r, TRICKY) }],
  }
}

const bytesOf = (text: string) => new Uint8Array(Buffer.from(text))
const textOf = (bytes: Uint8Array, from: number, to: number) =>
  Buffer.from(bytes.subarray(from, to)).toString('utf8')

describe('rowSpans', () => {
  it("on 2,000 random artifacts written by JSON.stringify: each span is exactly its row's JSON, compact", () => {
    const r = rng(3)
    let rows = 0
    for (let n = 0; n < 2_000; n++) {
      const a = artifact(r)
      const bytes = bytesOf(JSON.stringify(a))
      const spans = rowSpans(bytes)
      expect(spans).toBeDefined()
      expect(spans!.length).toBe(a.evals.length)
      a.evals.forEach((e, k) => {
        const { starts, ends, compact } = spans![k]!
        expect(starts.length).toBe(e.rows.length)
        e.rows.forEach((row, j) => {
          expect(textOf(bytes, starts[j]!, ends[j]!)).toBe(JSON.stringify(row))
          expect(compact[j]).toBe(1)
          rows++
        })
      })
    }
    expect(rows).toBeGreaterThan(3_000)
  })

  it('pretty-printed: each span parses to its row, and is not compact when it has whitespace', () => {
    const r = rng(4)
    for (let n = 0; n < 500; n++) {
      const a = artifact(r)
      const bytes = bytesOf(JSON.stringify(a, null, 2))
      const spans = rowSpans(bytes)!
      a.evals.forEach((e, k) => {
        e.rows.forEach((row, j) => {
          const text = textOf(bytes, spans[k]!.starts[j]!, spans[k]!.ends[j]!)
          expect(JSON.parse(text)).toEqual(row)
          expect(spans[k]!.compact[j]).toBe(0)
        })
      })
    }
  })

  it('any other layout is not read: evals or rows twice, an escaped key, a row not an object', () => {
    const ok = '{"evals":[{"name":"a","rows":[{"index":0},{"index":1}]}]}'
    expect(rowSpans(bytesOf(ok))?.[0]?.starts.length).toBe(2)
    for (const text of [
      '{"evals":[{"rows":[]}],"evals":[{"rows":[{}]}]}',
      '{"evals":[{"rows":[{}],"rows":[]}]}',
      '{"evals":[{"row\\u0073":[{}]}]}',
      '{"evals":[{"name":"no rows"}]}',
      '{"evals":[{"rows":[{}, 1]}]}',
      '{"evals":[{"rows":[[]]}]}',
      '{"evals":{"rows":[{}]}}',
      '{"evals":[{"rows":[{}]}]',
      '[{"evals":[]}]',
      '{"evals":[{"rows":[{"a":"unterminated}]}]}',
    ]) {
      expect(rowSpans(bytesOf(text)), text).toBeUndefined()
    }
  })
})

describe('reportJsonChunks', () => {
  it('is JSON.stringify of the report, rows taken from their JSON where given, key order kept', () => {
    const r = rng(5)
    for (let n = 0; n < 300; n++) {
      const a = artifact(r)
      // An eval whose keys come in another order, rows last.
      const last = a.evals[0]!
      const { rows, ...rest } = last
      a.evals[0] = { ...rest, rows }
      const report = a as unknown as Report
      const expected = JSON.stringify(a)
      const given = new Map<unknown, Uint8Array>()
      for (const e of a.evals) {
        for (const row of e.rows) if (r() < 0.7) given.set(row, bytesOf(JSON.stringify(row)))
      }
      const joined = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8')
      expect(joined(reportJsonChunks(report, (row) => given.get(row)))).toBe(expected)
      expect(joined(reportJsonChunks(report, () => undefined))).toBe(expected)
    }
  })
})
