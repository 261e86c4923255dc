import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { EvalgateError } from '../../src/base/errors.js'
import { loadDataset, type Row, RowSchema, validateRows } from '../../src/core/dataset.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'evalgate-'))
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }))

/** Loads a fixture by the path a user would write, relative to the project root. */
const load = (file: string) => loadDataset(file, { root: ROOT })

/** Writes a temporary dataset file and returns its name relative to TMP. */
function temp(name: string, content: string): string {
  fs.writeFileSync(path.join(TMP, name), content)
  return name
}
const loadTemp = (name: string, content: string) => loadDataset(temp(name, content), { root: TMP })

/** The rejection of a promise, asserting it is an EvalgateError. */
async function failure(promise: Promise<unknown>): Promise<EvalgateError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(EvalgateError)
  return error as EvalgateError
}

/** V8's own message for a JSON text, so assertions do not depend on the Node version. */
function jsonMessage(text: string): string {
  try {
    JSON.parse(text)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error(`expected ${text} to be invalid JSON`)
}

const ALLOWED = 'allowed: inputs, outputs, expectations, trace, id, metadata'

describe('loadDataset: in-memory sources', () => {
  const rows: Row[] = [
    { id: 'a', inputs: { question: 'one' }, expectations: { expected_response: '1' } },
    { id: 2, inputs: { question: 'two' }, outputs: 'two', metadata: { tag: 'x' }, trace: null },
  ]

  it('loads an array, in order, as validated copies', async () => {
    const loaded = await loadDataset(rows)
    expect(loaded).toEqual(rows)
    expect(loaded[0]).not.toBe(rows[0])
  })

  it('drops optional fields that are explicitly undefined', async () => {
    const [row] = await loadDataset([
      { inputs: { q: 1 }, expectations: undefined, id: undefined } as unknown as Row,
    ])
    expect(row).toEqual({ inputs: { q: 1 } })
    expect(Object.keys(row!)).toEqual(['inputs'])
  })

  it('loads a sync iterable', async () => {
    expect(await loadDataset(new Set(rows))).toEqual(rows)
  })

  it('loads a sync generator', async () => {
    function* generate() {
      yield* rows
    }
    expect(await loadDataset(generate())).toEqual(rows)
  })

  it('loads an async generator', async () => {
    async function* generate() {
      for (const row of rows) {
        await new Promise((resolve) => setTimeout(resolve, 1))
        yield row
      }
    }
    expect(await loadDataset(generate())).toEqual(rows)
  })

  it('calls a function source once and awaits its promise', async () => {
    let calls = 0
    const loaded = await loadDataset(async () => {
      calls++
      return rows
    })
    expect(loaded).toEqual(rows)
    expect(calls).toBe(1)
  })

  it('consumes a function returning a sync array, an iterable or an async iterable', async () => {
    expect(await loadDataset(() => rows)).toEqual(rows)
    expect(await loadDataset(() => new Set(rows).values())).toEqual(rows)
    expect(
      await loadDataset(async () => {
        async function* generate() {
          yield* rows
        }
        return generate()
      }),
    ).toEqual(rows)
  })

  it('loads 100k rows from an array well under a second', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({
      id: `r${i}`,
      inputs: { question: `question ${i}` },
      expectations: { expected_response: String(i) },
    }))
    const start = performance.now()
    const loaded = await loadDataset(many)
    const elapsed = performance.now() - start
    expect(loaded).toHaveLength(100_000)
    expect(loaded[99_999]).toEqual(many[99_999])
    expect(elapsed).toBeLessThan(1000)
  })

  it('rejects an in-memory row whose inputs is an array', async () => {
    const data = [...rows, { inputs: { q: 'ok' } }, { inputs: ['a', 'b'] }]
    const error = await failure(loadDataset(data as Row[]))
    expect(error.message).toBe(
      'evalgate: data[3]: "inputs" must be an object, received an array of length 2',
    )
  })

  it('locates rows of an iterable as data[i]', async () => {
    async function* generate() {
      yield { inputs: { q: 'ok' } }
      yield { inputs: { q: 'ok' }, expectations: 'Paris' }
    }
    const error = await failure(loadDataset(generate() as AsyncIterable<Row>))
    expect(error.message).toBe(
      'evalgate: data[1]: "expectations" must be an object, received "Paris"',
    )
  })

  it('rejects duplicate ids naming both indexes', async () => {
    const error = await failure(
      loadDataset([
        { id: 'x', inputs: {} },
        { id: 'y', inputs: {} },
        { id: 'x', inputs: {} },
      ]),
    )
    expect(error.message).toBe('evalgate: data[2]: duplicate id "x" (first at data[0])')
  })

  it('treats ids that render the same as duplicates (1 and "1")', async () => {
    const error = await failure(
      loadDataset([
        { id: 1, inputs: {} },
        { id: '1', inputs: {} },
      ]),
    )
    expect(error.message).toBe('evalgate: data[1]: duplicate id "1" (first at data[0])')
  })

  it('rejects a non-finite id', async () => {
    const error = await failure(loadDataset([{ id: Number.NaN, inputs: {} }]))
    expect(error.message).toBe(
      'evalgate: data[0]: "id" must be a string or a finite number, received NaN',
    )
  })

  it('reports every problem of a row, joined with "; "', async () => {
    const error = await failure(loadDataset([{ input: { q: 1 }, metadata: 3 } as unknown as Row]))
    expect(error.message).toBe(
      `evalgate: data[0]: "inputs" is required; "metadata" must be an object, received 3; unknown field "input" (${ALLOWED})`,
    )
  })

  it('rejects an empty array, an empty iterable and an empty function result', async () => {
    const message = 'evalgate: data: the dataset has no rows'
    expect((await failure(loadDataset([]))).message).toBe(message)
    expect((await failure(loadDataset(new Set<Row>()))).message).toBe(message)
    expect((await failure(loadDataset(async () => []))).message).toBe(message)
  })

  it('wraps an iterator that throws, keeping the cause', async () => {
    const boom = new Error('connection reset')
    async function* generate() {
      yield { inputs: { q: 1 } }
      throw boom
    }
    const error = await failure(loadDataset(generate()))
    expect(error.message).toBe('evalgate: data: the data source threw: connection reset')
    expect(error.cause).toBe(boom)
  })

  it('wraps a sync iterator, a throwing function and a rejected promise the same way', async () => {
    const iterable: Iterable<Row> = {
      [Symbol.iterator]: () => ({
        next: () => {
          throw new Error('sync boom')
        },
      }),
    }
    expect((await failure(loadDataset(iterable))).message).toBe(
      'evalgate: data: the data source threw: sync boom',
    )
    const thrower = () => {
      throw new Error('fn boom')
    }
    expect((await failure(loadDataset(thrower))).message).toBe(
      'evalgate: data: the data source threw: fn boom',
    )
    expect((await failure(loadDataset(() => Promise.reject(new Error('late boom'))))).message).toBe(
      'evalgate: data: the data source threw: late boom',
    )
  })

  it('does not mistake a bad row for a source failure, and closes the generator', async () => {
    let closed = false
    async function* generate() {
      try {
        yield { inputs: { q: 1 } }
        yield 42
        yield { inputs: { q: 3 } }
      } finally {
        closed = true
      }
    }
    const error = await failure(loadDataset(generate() as AsyncIterable<Row>))
    expect(error.message).toBe(
      'evalgate: data[1]: a row must be an object { inputs, outputs?, expectations?, ... }, received 42',
    )
    expect(closed).toBe(true)
  })

  it('rejects a source of the wrong kind', async () => {
    const error = await failure(loadDataset(42 as unknown as Row[]))
    expect(error.message).toBe(
      'evalgate: data must be a file path, an array of rows, an iterable, an async iterable or a function returning one, received 42',
    )
    const fromFunction = await failure(loadDataset((() => 'rows.jsonl') as unknown as () => Row[]))
    expect(fromFunction.message).toBe(
      'evalgate: data: the data function must return an array, an iterable or an async iterable of rows (or a promise of one), received "rows.jsonl"',
    )
  })
})

describe('validateRows', () => {
  it('returns the validated rows and renders locations with `where`', () => {
    expect(validateRows([{ inputs: { a: 1 } }], (i) => `cases[${i}]`)).toEqual([
      { inputs: { a: 1 } },
    ])
    expect(() => validateRows([{ inputs: { a: 1 } }, null], (i) => `cases[${i}]`)).toThrow(
      new EvalgateError(
        'cases[1]: a row must be an object { inputs, outputs?, expectations?, ... }, received null',
      ),
    )
  })

  it('returns an empty array for no rows', () => {
    expect(validateRows([], (i) => `data[${i}]`)).toEqual([])
  })
})

describe('RowSchema', () => {
  it('is strict and accepts exactly the Row fields', () => {
    expect(RowSchema.safeParse({ inputs: {}, id: 1.5, trace: { spans: [] } }).success).toBe(true)
    expect(RowSchema.safeParse({ inputs: {}, extra: true }).success).toBe(false)
    expect(RowSchema.safeParse({ inputs: {}, id: Number.POSITIVE_INFINITY }).success).toBe(false)
    expect(RowSchema.safeParse({ inputs: new Date() }).success).toBe(false)
  })
})

describe('loadDataset: files', () => {
  it('loads a .jsonl fixture, skipping blank lines', async () => {
    expect(await load('fixtures/datasets/qa.jsonl')).toEqual([
      {
        id: 'q1',
        inputs: { question: 'What is the capital of France?' },
        expectations: { expected_response: 'Paris' },
      },
      {
        id: 'q2',
        inputs: { question: '2 + 2?' },
        outputs: '4',
        expectations: { expected_response: '4' },
        metadata: { topic: 'math' },
      },
      { id: 3, inputs: { question: 'Say hi' }, trace: { spans: [] } },
    ])
  })

  it('loads a .json fixture', async () => {
    expect(await load('fixtures/datasets/qa.json')).toEqual([
      {
        id: 'q1',
        inputs: { question: 'What is the capital of France?' },
        expectations: { expected_response: 'Paris' },
      },
      { id: 'q2', inputs: { question: '2 + 2?' }, outputs: '4' },
      { inputs: { question: 'Say hi' }, metadata: { source: 'manual' } },
    ])
  })

  it('loads a .csv fixture, keeping every cell a string exactly as written', async () => {
    expect(await load('fixtures/datasets/qa.csv')).toEqual([
      {
        id: 'q1',
        inputs: { question: 'What is the capital of France?', context: '' },
        outputs: 'Paris',
        expectations: { expected_response: 'Paris' },
        metadata: { topic: 'geo' },
      },
      {
        id: 'q2',
        inputs: { question: 'Sum, please: 2 + 2', context: 'line one\nline two' },
        outputs: '4',
        expectations: { expected_response: ' 4 ' },
        metadata: { topic: 'math' },
      },
      {
        inputs: { question: 'He said "hi"', context: '' },
        outputs: '007',
        expectations: { expected_response: '' },
        metadata: { topic: '' },
      },
    ])
  })

  it('resolves relative paths against `root` and accepts absolute paths', async () => {
    const absolute = path.join(ROOT, 'fixtures/datasets/qa.jsonl')
    expect(await loadDataset(absolute)).toHaveLength(3)
    expect(
      await loadDataset('datasets/qa.json', { root: path.join(ROOT, 'fixtures') }),
    ).toHaveLength(3)
  })

  it('reports a missing file as the user wrote it, with the root', async () => {
    const error = await failure(loadDataset('fixtures/qa.jsonl', { root: TMP }))
    expect(error.message).toBe(
      `evalgate: dataset file not found: fixtures/qa.jsonl (resolved against ${TMP})`,
    )
  })

  it('rejects an unsupported extension, listing the supported ones', async () => {
    const error = await failure(loadTemp('qa.txt', '{"inputs": {}}\n'))
    expect(error.message).toBe(
      'evalgate: qa.txt: unsupported dataset file, it has extension ".txt" (supported: .jsonl, .json, .csv)',
    )
  })

  it('rejects a directory', async () => {
    fs.mkdirSync(path.join(TMP, 'dir.jsonl'))
    const error = await failure(loadDataset('dir.jsonl', { root: TMP }))
    expect(error.message).toBe(
      `evalgate: dir.jsonl: is a directory, not a dataset file (resolved to ${path.join(TMP, 'dir.jsonl')})`,
    )
  })
})

describe('loadDataset: .jsonl errors and edge cases', () => {
  it('names the line of a row without inputs', async () => {
    const error = await failure(load('fixtures/datasets/missing-inputs.jsonl'))
    expect(error.message).toBe(
      'evalgate: fixtures/datasets/missing-inputs.jsonl line 3: "inputs" is required',
    )
  })

  it('names the line of invalid JSON with the parser message', async () => {
    const error = await failure(load('fixtures/datasets/invalid-json.jsonl'))
    const parser = jsonMessage('{"inputs": {"question": "four"},}')
    expect(error.message).toBe(
      `evalgate: fixtures/datasets/invalid-json.jsonl line 4: invalid JSON (${parser})`,
    )
    expect(error.cause).toBeInstanceOf(SyntaxError)
  })

  it('names an unknown field and lists the allowed ones', async () => {
    const error = await failure(load('fixtures/datasets/unknown-field.jsonl'))
    expect(error.message).toBe(
      `evalgate: fixtures/datasets/unknown-field.jsonl line 5: unknown field "expectation" (${ALLOWED})`,
    )
  })

  it('rejects a line that is not an object', async () => {
    const error = await failure(load('fixtures/datasets/not-an-object.jsonl'))
    expect(error.message).toBe(
      'evalgate: fixtures/datasets/not-an-object.jsonl line 2: a row must be an object { inputs, outputs?, expectations?, ... }, received 42',
    )
  })

  it('names both lines of a duplicate id (blank lines still count)', async () => {
    const error = await failure(load('fixtures/datasets/duplicate-id.jsonl'))
    expect(error.message).toBe(
      'evalgate: fixtures/datasets/duplicate-id.jsonl line 7: duplicate id "q1" (first at line 2)',
    )
  })

  it('rejects an empty file', async () => {
    const error = await failure(load('fixtures/datasets/empty.jsonl'))
    expect(error.message).toBe('evalgate: fixtures/datasets/empty.jsonl: the dataset has no rows')
  })

  it('rejects a file of blank lines as empty', async () => {
    const error = await failure(loadTemp('blank.jsonl', '\n  \n\t\n'))
    expect(error.message).toBe('evalgate: blank.jsonl: the dataset has no rows')
  })

  it('reads CRLF line endings, a BOM and blank lines with the right line numbers', async () => {
    const content = '\uFEFF{"inputs": {"q": 1}}\r\n\r\n{"inputs": {"q": 2}}\r\n{"inputs": 3}\r\n'
    const error = await failure(loadTemp('crlf.jsonl', content))
    expect(error.message).toBe(
      'evalgate: crlf.jsonl line 4: "inputs" must be an object, received 3',
    )
    const good = await loadTemp(
      'crlf-good.jsonl',
      content.replace('{"inputs": 3}', '{"inputs": {}}'),
    )
    expect(good).toEqual([{ inputs: { q: 1 } }, { inputs: { q: 2 } }, { inputs: {} }])
  })

  it('loads a 50k-line file and still numbers its last line right', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => JSON.stringify({ id: i, inputs: { i } }))
    const rows = await loadTemp('big.jsonl', `${lines.join('\n')}\n`)
    expect(rows).toHaveLength(50_000)
    expect(rows[49_999]).toEqual({ id: 49_999, inputs: { i: 49_999 } })
    const error = await failure(
      loadTemp('big-bad.jsonl', `${lines.join('\n')}\n{"id": 7, "inputs": {}}\n`),
    )
    expect(error.message).toBe(
      'evalgate: big-bad.jsonl line 50001: duplicate id 7 (first at line 8)',
    )
  })

  it('streams a named pipe to its end, then reports the bad lines it saw', async () => {
    // Every bad row is reported, so the loader reads to the end; a pipe works as a file does.
    const fifo = path.join(TMP, 'stream.jsonl')
    execFileSync('mkfifo', [fifo])
    // 'r+' (O_RDWR) opens a FIFO without waiting for the other end, so nothing can block here.
    const writer = fs.createWriteStream(fifo, { flags: 'r+' })
    const loading = loadDataset(fifo)
    writer.write('{"inputs": {"q": 1}}\n{"inputs": []}\n')
    // More than a pipe buffer (64 KiB): the writer only finishes if the loader keeps reading.
    writer.write(`${'{"inputs": {"padding": "xxxxxxxxxxxxxxxx"}}\n'.repeat(3000)}`)
    writer.end('{"inputs": 7}\n')
    const error = await failure(loading)
    expect(error.message).toBe(
      [
        `evalgate: ${fifo} has 2 invalid rows:`,
        '  line 2: "inputs" must be an object, received an array of length 0',
        '  line 3003: "inputs" must be an object, received 7',
      ].join('\n'),
    )
  })
})

describe('loadDataset: .json errors', () => {
  it('names the index and the field', async () => {
    const error = await failure(load('fixtures/datasets/expectations-string.json'))
    expect(error.message).toBe(
      'evalgate: fixtures/datasets/expectations-string.json index 2: "expectations" must be an object, received "Paris"',
    )
  })

  it('requires an array', async () => {
    const error = await failure(load('fixtures/datasets/not-an-array.json'))
    expect(error.message).toBe(
      'evalgate: fixtures/datasets/not-an-array.json: a .json dataset must be an array of rows, received an object {"inputs":{"question":"one"}}',
    )
  })

  it('reports invalid JSON with its line', async () => {
    const text = '[\n  {"inputs": {}},\n  {"inputs": {},}\n]\n'
    const error = await failure(loadTemp('bad.json', text))
    expect(error.message).toBe(`evalgate: bad.json line 3: invalid JSON (${jsonMessage(text)})`)
  })

  it('rejects an empty array and duplicate ids by index', async () => {
    expect((await failure(loadTemp('empty.json', '[]'))).message).toBe(
      'evalgate: empty.json: the dataset has no rows',
    )
    const dup = '\uFEFF[{"id": "a", "inputs": {}}, {"id": "a", "inputs": {}}]'
    expect((await failure(loadTemp('dup.json', dup))).message).toBe(
      'evalgate: dup.json index 1: duplicate id "a" (first at index 0)',
    )
  })
})

describe('loadDataset: .csv errors and edge cases', () => {
  it('rejects an unknown column, listing the allowed forms', async () => {
    const error = await failure(load('fixtures/datasets/unknown-column.csv'))
    expect(error.message).toBe(
      'evalgate: fixtures/datasets/unknown-column.csv: unknown column "expected" (allowed: "inputs.<name>", "outputs", "expectations.<name>", "id", "metadata.<name>")',
    )
  })

  it('rejects a column with an empty name after the prefix', async () => {
    const error = await failure(loadTemp('empty-key.csv', 'inputs.\nx\n'))
    expect(error.message).toContain('evalgate: empty-key.csv: unknown column "inputs."')
  })

  it('requires an inputs.<name> column', async () => {
    const error = await failure(load('fixtures/datasets/no-inputs-column.csv'))
    expect(error.message).toBe(
      'evalgate: fixtures/datasets/no-inputs-column.csv: no "inputs.<name>" column; "inputs" is required',
    )
  })

  it('rejects a duplicate column', async () => {
    const error = await failure(loadTemp('dup-col.csv', 'inputs.q,inputs.q\na,b\n'))
    expect(error.message).toBe('evalgate: dup-col.csv: duplicate column "inputs.q"')
  })

  it('names the line of a row with the wrong column count, after a multi-line cell', async () => {
    const error = await failure(load('fixtures/datasets/column-count.csv'))
    expect(error.message).toBe(
      'evalgate: fixtures/datasets/column-count.csv line 5: the row has 1 column, the header has 2',
    )
  })

  it('rejects a header-only file and an empty file', async () => {
    expect((await failure(load('fixtures/datasets/header-only.csv'))).message).toBe(
      'evalgate: fixtures/datasets/header-only.csv: the dataset has no rows',
    )
    expect((await failure(loadTemp('empty.csv', ''))).message).toBe(
      'evalgate: empty.csv: the file is empty; a header row naming the columns is required (e.g. inputs.question,expectations.expected_response)',
    )
  })

  it('keeps line numbers right with CRLF, quoted multi-line cells and blank lines', async () => {
    const content = [
      '\uFEFFid,inputs.q', // line 1
      'a,"first\r\nsecond\r\nthird"', // lines 2-4
      '', // line 5
      'b,plain', // line 6
      'a,dup', // line 7
      '',
    ].join('\r\n')
    const error = await failure(loadTemp('crlf.csv', content))
    expect(error.message).toBe('evalgate: crlf.csv line 7: duplicate id "a" (first at line 2)')
    const rows = await loadTemp('crlf-good.csv', content.replace('a,dup', 'c,ok'))
    expect(rows).toEqual([
      { id: 'a', inputs: { q: 'first\r\nsecond\r\nthird' } },
      { id: 'b', inputs: { q: 'plain' } },
      { id: 'c', inputs: { q: 'ok' } },
    ])
  })

  it('reports a CSV syntax error at the line where its record starts', async () => {
    const content = 'inputs.q\nok\n\n"never closed\nstill open\n'
    const error = await failure(loadTemp('open-quote.csv', content))
    expect(error.message).toMatch(
      /^evalgate: open-quote\.csv line 4: invalid CSV \(Quote Not Closed: /,
    )
  })

  it('omits the id of a row whose id cell is empty', async () => {
    const rows = await loadTemp('no-id.csv', 'id,inputs.q\n,a\n,b\nx,c\n')
    expect(rows).toEqual([
      { inputs: { q: 'a' } },
      { inputs: { q: 'b' } },
      { id: 'x', inputs: { q: 'c' } },
    ])
  })
})
