import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EvalgateError } from '../../src/base/errors.js'
import { loadDataset, type Row, validateRows } from '../../src/core/dataset.js'

// A dataset with several bad rows reports them all (up to 20, then a count) in one error, so a
// user fixes the file in one pass instead of one run per bad row.

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'evalgate-problems-'))
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }))

function temp(name: string, content: string): string {
  fs.writeFileSync(path.join(TMP, name), content)
  return name
}
const loadTemp = (name: string, content: string) => loadDataset(temp(name, content), { root: TMP })

async function failure(promise: Promise<unknown>): Promise<EvalgateError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(EvalgateError)
  return error as EvalgateError
}

function jsonMessage(text: string): string {
  try {
    JSON.parse(text)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error(`expected ${text} to be invalid JSON`)
}

const good = (i: number) => JSON.stringify({ id: `r${i}`, inputs: { q: i } })

describe('loadDataset: several bad rows in one error', () => {
  it('.jsonl: lists every bad line with its field, in file order', async () => {
    const lines = [
      good(1),
      good(2),
      '{"outputs": "three"}', // line 3
      good(4),
      '{"id": true, "inputs": {}}', // line 5
      good(6),
      '',
      good(8),
      '{"inputs": {},}', // line 9
      good(10),
    ]
    const error = await failure(loadTemp('bad.jsonl', `${lines.join('\n')}\n`))
    expect(error.message).toBe(
      [
        'evalgate: bad.jsonl has 3 invalid rows:',
        '  line 3: "inputs" is required',
        '  line 5: "id" must be a string or a finite number, received true',
        `  line 9: invalid JSON (${jsonMessage('{"inputs": {},}')})`,
      ].join('\n'),
    )
  })

  it('.jsonl: shows the first 20 problems, then how many more', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => (i % 2 === 1 ? '{"inputs": 1}' : good(i)))
    const error = await failure(loadTemp('many.jsonl', `${lines.join('\n')}\n`))
    const shown = Array.from(
      { length: 20 },
      (_, k) => `  line ${2 * k + 2}: "inputs" must be an object, received 1`,
    )
    expect(error.message).toBe(
      ['evalgate: many.jsonl has 30 invalid rows:', ...shown, '  ... and 10 more'].join('\n'),
    )
  })

  it('.jsonl: a duplicate id is one of the problems', async () => {
    const lines = [good(1), '{"inputs": []}', good(1), good(3)]
    const error = await failure(loadTemp('dup.jsonl', `${lines.join('\n')}\n`))
    expect(error.message).toBe(
      [
        'evalgate: dup.jsonl has 2 invalid rows:',
        '  line 2: "inputs" must be an object, received an array of length 0',
        '  line 3: duplicate id "r1" (first at line 1)',
      ].join('\n'),
    )
  })

  it('.jsonl: exactly one problem keeps the one-line form, and its cause', async () => {
    const error = await failure(loadTemp('one.jsonl', `${good(1)}\n{"inputs": {},}\n${good(3)}\n`))
    expect(error.message).toBe(
      `evalgate: one.jsonl line 2: invalid JSON (${jsonMessage('{"inputs": {},}')})`,
    )
    expect(error.cause).toBeInstanceOf(SyntaxError)
  })

  it('.json: lists problems by index', async () => {
    const rows = [{ inputs: {} }, { inputs: {}, expectations: 'Paris' }, 7, { input: {} }]
    const error = await failure(loadTemp('bad.json', JSON.stringify(rows)))
    expect(error.message).toBe(
      [
        'evalgate: bad.json has 3 invalid rows:',
        '  index 1: "expectations" must be an object, received "Paris"',
        '  index 2: a row must be an object { inputs, outputs?, expectations?, ... }, received 7',
        '  index 3: "inputs" is required; unknown field "input" (allowed: inputs, outputs, expectations, trace, id, metadata)',
      ].join('\n'),
    )
  })

  it('.csv: lists bad lines (wrong column count, duplicate id)', async () => {
    const content = [
      'id,inputs.q', // 1
      'a,one', // 2
      'b', // 3
      'c,"multi', // 4
      'line"', // 5
      'a,again', // 6
      'd,four,extra', // 7
      '',
    ].join('\n')
    const error = await failure(loadTemp('bad.csv', content))
    expect(error.message).toBe(
      [
        'evalgate: bad.csv has 3 invalid rows:',
        '  line 3: the row has 1 column, the header has 2',
        '  line 6: duplicate id "a" (first at line 2)',
        '  line 7: the row has 3 columns, the header has 2',
      ].join('\n'),
    )
  })

  it('.csv: a syntax error ends the file; the problems before it are listed with it', async () => {
    const content = 'id,inputs.q\na,one\nb\nc,ok\n"never closed\n'
    const error = await failure(loadTemp('open.csv', content))
    const [head, first, second, ...rest] = error.message.split('\n')
    expect(head).toBe('evalgate: open.csv has 2 invalid rows:')
    expect(first).toBe('  line 3: the row has 1 column, the header has 2')
    expect(second).toMatch(/^ {2}line 5: invalid CSV \(Quote Not Closed: /)
    expect(rest).toEqual([])
  })

  it('an array: lists problems as data[i]', async () => {
    const data = [{ inputs: {} }, { inputs: [] }, { inputs: {} }, null, { inputs: {}, id: 0.5 }]
    const error = await failure(loadDataset(data as Row[]))
    expect(error.message).toBe(
      [
        'evalgate: data has 2 invalid rows:',
        '  data[1]: "inputs" must be an object, received an array of length 0',
        '  data[3]: a row must be an object { inputs, outputs?, expectations?, ... }, received null',
      ].join('\n'),
    )
  })

  it('an async iterable: reads to the end and lists problems as data[i]', async () => {
    let closed = false
    async function* generate() {
      try {
        yield { inputs: { q: 1 } }
        yield 42
        yield { inputs: { q: 3 }, metadata: 'x' }
        yield { inputs: { q: 4 } }
      } finally {
        closed = true
      }
    }
    const error = await failure(loadDataset(generate() as AsyncIterable<Row>))
    expect(error.message).toBe(
      [
        'evalgate: data has 2 invalid rows:',
        '  data[1]: a row must be an object { inputs, outputs?, expectations?, ... }, received 42',
        '  data[2]: "metadata" must be an object, received "x"',
      ].join('\n'),
    )
    expect(closed).toBe(true)
  })

  it('a source that throws after bad rows is reported as the source failure', async () => {
    const boom = new Error('connection reset')
    async function* generate() {
      yield 1
      yield 2
      throw boom
    }
    const error = await failure(loadDataset(generate() as AsyncIterable<Row>))
    expect(error.message).toBe('evalgate: data: the data source threw: connection reset')
    expect(error.cause).toBe(boom)
  })

  it('validateRows lists every bad row under the label it is given', () => {
    expect(() => validateRows([null, { inputs: {} }, 'x'], (i) => `cases[${i}]`, 'cases')).toThrow(
      new EvalgateError(
        [
          'cases has 2 invalid rows:',
          '  cases[0]: a row must be an object { inputs, outputs?, expectations?, ... }, received null',
          '  cases[2]: a row must be an object { inputs, outputs?, expectations?, ... }, received "x"',
        ].join('\n'),
      ),
    )
  })

  it('stays fast when every one of 50k rows is bad', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => JSON.stringify({ id: i, input: { i } }))
    const started = performance.now()
    const error = await failure(loadTemp('all-bad.jsonl', `${lines.join('\n')}\n`))
    const elapsed = performance.now() - started
    const all = error.message.split('\n')
    expect(all[0]).toBe('evalgate: all-bad.jsonl has 50000 invalid rows:')
    expect(all).toHaveLength(22)
    expect(all[21]).toBe('  ... and 49980 more')
    expect(elapsed).toBeLessThan(5000)
  })
})
