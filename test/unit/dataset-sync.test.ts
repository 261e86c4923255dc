// loadDatasetSync (Jest's describe callbacks cannot await) must read every source exactly as
// loadDataset does: the same rows, and the same error for the same bad file. Both are run on the
// same files here, the repository's fixtures and files written to exercise the readers' edges.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { EvalgateError } from '../../src/base/errors.js'
import { type DataSource, loadDataset } from '../../src/core/dataset.js'
import { loadDatasetSync } from '../../src/core/dataset-sync.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'evalgate-sync-'))
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }))

type Outcome = { rows: unknown } | { error: string; name: string }

async function asyncOutcome(source: DataSource, root: string): Promise<Outcome> {
  try {
    return { rows: await loadDataset(source, { root }) }
  } catch (error) {
    return { error: (error as Error).message, name: (error as Error).constructor.name }
  }
}

function syncOutcome(source: DataSource, root: string): Outcome {
  try {
    return { rows: loadDatasetSync(source, { root }) }
  } catch (error) {
    return { error: (error as Error).message, name: (error as Error).constructor.name }
  }
}

const many = (n: number, line: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => line(i)).join('\n')

/** Files that exercise each reader: line ends, BOMs, blank lines, quoting, many problems. */
const FILES: Record<string, string | Buffer> = {
  'crlf.jsonl': '{"inputs":{"q":"a"}}\r\n\r\n{"inputs":{"q":"b"}}\r\n',
  'lone-cr.jsonl': '{"inputs":{"q":"a"}}\r{"inputs":{}}\r{"bad"\r',
  'bom.jsonl': '\ufeff{"inputs":{"q":"a"},"id":1}\n{"inputs":{"q":"b"},"id":"1"}\n',
  'no-final-newline.jsonl': '{"inputs":{"q":"a"}}\n\n   \n{"inputs":{"q":"b"}}',
  'many-bad.jsonl': many(25, (i) => (i % 2 === 0 ? `{"inputs":${i}}` : `{"x":${i}}`)),
  'trace.jsonl': `${JSON.stringify({ trace: { spans: [] } })}\n{"inputs":{"a":1},"expectation":{}}\n`,
  'empty.jsonl': '',
  'blank.jsonl': '\n\n  \n',
  'bom.json': '\ufeff[{"inputs":{"q":"a"}}]',
  'invalid.json': '[\n{"inputs":{}},\n{"inputs": }\n]',
  'empty-array.json': '[]',
  'object.json': '{"inputs":{}}',
  'problems.json':
    '[{"inputs":{}},{"inputs":[]},null,{"inputs":{},"id":"a"},{"inputs":{},"id":"a"}]',
  'quoted.csv':
    'id,inputs.q,outputs,expectations.e,metadata.m\r\n1,"multi\r\nline",out,"a ""quoted"" cell",m\r\n,plain,,x,\r\n\r\n2,"x,y",o,e,m\r\n',
  'bom.csv': '\ufeffinputs.q,outputs\nhello,world\n',
  'bad-lines.csv': 'id,inputs.q\na,1\nb\na,2\nc,3,4\n',
  'syntax.csv': 'id,inputs.q\nx\na,"ok"\nb,"unterminated\nc,3\n',
  'header-dup.csv': 'inputs.q,inputs.q\n1,2\n',
  'header-only-crlf.csv': 'inputs.q\r\n',
  'empty.csv': '',
  'lone-cr.csv': 'inputs.q,outputs\rone,1\rtwo\r',
  'unsupported.txt': 'x',
  noext: 'x',
}
for (const [name, content] of Object.entries(FILES)) fs.writeFileSync(path.join(TMP, name), content)
fs.mkdirSync(path.join(TMP, 'dir.jsonl'))

describe('loadDatasetSync reads files as loadDataset does', () => {
  const fixtures = fs.readdirSync(path.join(ROOT, 'fixtures/datasets'))
  it.each(fixtures)('fixtures/datasets/%s', async (name) => {
    const file = `fixtures/datasets/${name}`
    const expected = await asyncOutcome(file, ROOT)
    expect(syncOutcome(file, ROOT)).toEqual(expected)
  })

  it.each([...Object.keys(FILES), 'dir.jsonl', 'missing.jsonl', 'missing/x.csv'])(
    '%s',
    async (name) => {
      const expected = await asyncOutcome(name, TMP)
      expect(syncOutcome(name, TMP)).toEqual(expected)
    },
  )

  it('sees every bad line of a big file, as the streaming reader does', async () => {
    fs.writeFileSync(
      path.join(TMP, 'big.jsonl'),
      many(5000, (i) => (i % 1000 === 999 ? '{"x":1}' : `{"inputs":{"i":${i}},"id":${i % 4000}}`)),
    )
    const expected = await asyncOutcome('big.jsonl', TMP)
    expect('error' in expected).toBe(true)
    expect(syncOutcome('big.jsonl', TMP)).toEqual(expected)
  })
})

describe('loadDatasetSync reads in-memory sources as loadDataset does', () => {
  function* rows() {
    yield { inputs: { q: 'a' } }
    yield { inputs: { q: 'b' }, id: 2 }
  }
  function* bad() {
    yield { inputs: { q: 'a' } }
    yield { inputs: 'b' }
    yield 7
  }
  function* throws() {
    yield { inputs: { q: 'a' } }
    throw new Error('disk on fire')
  }
  const sources: Record<string, () => unknown> = {
    array: () => [{ inputs: { q: 'a' } }, { inputs: { q: 'b' }, id: 'x' }],
    'array with bad rows': () => [{ inputs: { q: 'a' } }, { inputs: [] }, null],
    'empty array': () => [],
    iterable: () => rows(),
    'bad iterable': () => bad(),
    'iterable that throws': () => throws(),
    'function returning an array': () => () => [{ inputs: { q: 'a' } }],
    'function returning an iterable': () => () => rows(),
    'function that throws': () => () => {
      throw new Error('no rows today')
    },
    'function returning a number': () => () => 42,
    'a number': () => 42,
    'a Set': () => new Set([{ inputs: { q: 'a' } }]),
  }
  it.each(Object.keys(sources))('%s', async (name) => {
    const expected = await asyncOutcome(sources[name]!() as DataSource, TMP)
    expect(syncOutcome(sources[name]!() as DataSource, TMP)).toEqual(expected)
  })

  it('gives the data function the root, as loadDataset does', () => {
    let seen: unknown
    loadDatasetSync(
      (context) => {
        seen = context
        return [{ inputs: {} }]
      },
      { root: TMP },
    )
    expect(seen).toEqual({ root: TMP })
  })
})

describe('loadDatasetSync refuses what can only be read asynchronously', () => {
  const howTo =
    "this host defines its tests synchronously (Jest's describe callbacks cannot await). Load the rows first, e.g. `const rows = await loadDataset(source)` at the top level of an ESM test file, then pass `data: rows`; or use a file path (.jsonl, .json, .csv)"
  it.each([
    ['an async iterable', () => (async function* () {})(), 'data is an async iterable'],
    [
      'a function returning an async iterable',
      () => async function* () {},
      'the data function returned an async iterable',
    ],
    [
      'an async function',
      () => async () => [{ inputs: {} }],
      'the data function returned a promise',
    ],
    [
      'a function returning a rejected promise',
      () => () => Promise.reject(new Error('x')),
      'the data function returned a promise',
    ],
  ])('%s', (_, make, what) => {
    let error: unknown
    try {
      loadDatasetSync(make() as DataSource, { root: TMP })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(EvalgateError)
    expect((error as Error).message).toBe(`evalgate: data: ${what}, but ${howTo}`)
  })
})
