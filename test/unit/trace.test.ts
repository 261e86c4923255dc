import { describe, expect, it } from 'vitest'
import { runEval } from '../../src/core/evaluate.js'
import { runRow } from '../../src/core/run.js'
import { type Scorer, scorer } from '../../src/core/scorer.js'
import {
  captureTrace,
  getCurrentTrace,
  type Span,
  startSpan,
  Trace,
  type TraceJSON,
  traced,
  withoutTracing,
} from '../../src/trace/index.js'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** A scorer that hands the trace it received to `sink`. */
function spy(sink: (trace: unknown) => void): Scorer {
  return scorer('spy', ({ trace }) => {
    sink(trace)
    return true
  })
}

describe('traced outside an eval', () => {
  it('calls the function with its arguments and this, returns its value, records nothing', async () => {
    const add = traced('add', (a: number, b: number) => a + b)
    expect(add(2, 3)).toBe(5)
    const obj = {
      base: 10,
      plus: traced('plus', function (this: { base: number }, n: number) {
        return this.base + n
      }),
    }
    expect(obj.plus(1)).toBe(11)
    const asyncFn = traced('later', async (x: string) => `${x}!`)
    await expect(asyncFn('hi')).resolves.toBe('hi!')
    expect(getCurrentTrace()).toBeUndefined()
    expect(startSpan('manual').span).toBeUndefined()
  })

  it('keeps errors as they are', () => {
    const boom = new TypeError('nope')
    const fails = traced('fails', () => {
      throw boom
    })
    expect(() => fails()).toThrow(boom)
  })

  it('keeps the name and arity of the wrapped function', () => {
    const wrapped = traced('x', function original(_a: number, _b: number) {
      return 1
    })
    expect(wrapped.name).toBe('original')
    expect(wrapped.length).toBe(2)
  })

  it('rejects bad arguments with what was expected and received', () => {
    expect(() => traced('x', 42 as never)).toThrow(
      'evalgate: traced(): expected a function as the second argument, received 42',
    )
    expect(() => traced(() => 1)).toThrow(
      'evalgate: traced(): expected a span name, received ""; pass one, e.g. traced(\'search_docs\', fn), or use a named function',
    )
    expect(() => traced('x', () => 1, { typ: 'TOOL' } as never)).toThrow(
      'evalgate: traced("x"): unknown option "typ" (allowed: type, attributes, inputs, outputs)',
    )
    expect(() => traced('x', () => 1, { type: 3 } as never)).toThrow(
      `evalgate: traced("x"): expected "type" to be a non-empty string such as 'TOOL', received 3`,
    )
  })
})

describe('traced inside a trace', () => {
  it('records inputs, outputs, timing, type and nesting for sync and async functions', async () => {
    const lookup = traced('lookup', (id: string) => ({ id, stock: 3 }), { type: 'TOOL' })
    const search = traced(
      'search_docs',
      async (query: string, k: number) => {
        await sleep(15)
        return [`${query}-1`, `${query}-2`].slice(0, k)
      },
      { type: 'RETRIEVER', attributes: { index: 'docs' } },
    )
    const agent = traced(
      'agent',
      async (q: string) => {
        const docs = await search(q, 2)
        const item = lookup('sku-1')
        return `${docs.join(',')}:${item.stock}`
      },
      { type: 'AGENT' },
    )
    const { outputs, trace } = await captureTrace(() => agent('refund'), { name: 'root' })
    expect(outputs).toBe('refund-1,refund-2:3')
    const [root, agentSpan, searchSpan, lookupSpan] = trace.spans
    expect(trace.spans.map((s) => [s.name, s.type])).toEqual([
      ['root', 'CHAIN'],
      ['agent', 'AGENT'],
      ['search_docs', 'RETRIEVER'],
      ['lookup', 'TOOL'],
    ])
    expect(root!.parentId).toBeNull()
    expect(agentSpan!.parentId).toBe(root!.spanId)
    expect(searchSpan!.parentId).toBe(agentSpan!.spanId)
    expect(lookupSpan!.parentId).toBe(agentSpan!.spanId)
    expect(agentSpan!.inputs).toBe('refund')
    expect(searchSpan!.inputs).toEqual(['refund', 2])
    expect(searchSpan!.outputs).toEqual(['refund-1', 'refund-2'])
    expect(searchSpan!.attributes).toEqual({ index: 'docs' })
    expect(lookupSpan!.outputs).toEqual({ id: 'sku-1', stock: 3 })
    expect(searchSpan!.endMs! - searchSpan!.startMs).toBeGreaterThanOrEqual(12)
    expect(lookupSpan!.startMs).toBeGreaterThanOrEqual(searchSpan!.endMs!)
    for (const s of trace.spans) expect(s.status).toEqual({ code: 'OK', message: null })
    expect(trace.rootSpan).toBe(root)
    expect(trace.durationMs).toBe(root!.endMs! - root!.startMs)
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(trace.spans.map((s) => s.spanId)).size).toBe(4)
    for (const s of trace.spans) expect(s.spanId).toMatch(/^[0-9a-f]{16}$/)
  })

  it('records an error span with its message, and rethrows the same error (sync and async)', async () => {
    const syncErr = new RangeError('order 42 not found')
    const getOrder = traced(
      'get_order',
      (_id: string) => {
        throw syncErr
      },
      { type: 'TOOL' },
    )
    const refund = traced('refund', async () => {
      await sleep(1)
      throw new Error('payment gateway down')
    })
    const { trace } = await captureTrace(async () => {
      expect(() => getOrder('42')).toThrow(syncErr)
      await expect(refund()).rejects.toThrow('payment gateway down')
      return 'handled'
    })
    const order = trace.searchSpans({ name: 'get_order' })[0]!
    expect(order.status).toEqual({ code: 'ERROR', message: 'order 42 not found' })
    expect(order.attributes['exception.type']).toBe('RangeError')
    expect(String(order.attributes['exception.stacktrace'])).toContain('order 42 not found')
    expect(order.endMs).not.toBeNull()
    expect(order.outputs).toBeNull()
    const r = trace.searchSpans({ name: 'refund' })[0]!
    expect(r.status).toEqual({ code: 'ERROR', message: 'payment gateway down' })
    expect(trace.rootSpan!.status.code).toBe('OK')
  })

  it('maps inputs and outputs with the options', async () => {
    const f = traced('f', (a: number, b: number) => ({ sum: a + b, secret: 'x' }), {
      inputs: ([a]) => ({ a }),
      outputs: (r) => (r as { sum: number }).sum,
    })
    const { trace } = await captureTrace(() => f(1, 2))
    expect(trace.spans[1]).toMatchObject({ inputs: { a: 1 }, outputs: 3 })
  })

  it('startSpan: the manual form, with children through run()', async () => {
    const child = traced('child', () => 'c')
    const { trace } = await captureTrace(async () => {
      const span = startSpan('socket_read', { type: 'TOOL', inputs: { port: 1 } })
      span.setAttributes({ bytes: 12 })
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          span.run(() => child())
          span.end('payload')
          span.fail(new Error('too late: already ended'))
          resolve()
        }, 5),
      )
      const failed = startSpan('other')
      failed.fail('string error')
    })
    const [, socket, c, other] = trace.spans
    expect(socket).toMatchObject({
      name: 'socket_read',
      type: 'TOOL',
      inputs: { port: 1 },
      outputs: 'payload',
      attributes: { bytes: 12 },
      status: { code: 'OK', message: null },
    })
    expect(c!.parentId).toBe(socket!.spanId)
    expect(other!.status).toEqual({ code: 'ERROR', message: 'string error' })
  })

  it('withoutTracing: nothing inside is recorded', async () => {
    const tool = traced('tool', () => 1)
    const { trace } = await captureTrace(async () => {
      tool()
      await withoutTracing(async () => {
        expect(getCurrentTrace()).toBeUndefined()
        await sleep(1)
        tool()
      })
      tool()
    })
    expect(trace.searchSpans({ name: 'tool' })).toHaveLength(2)
  })

  it('records nothing more once the trace is closed', async () => {
    const late = traced('late', () => 1)
    let resume!: () => void
    const gate = new Promise<void>((r) => {
      resume = r
    })
    let finished!: Promise<void>
    const { trace } = await captureTrace(() => {
      finished = gate.then(() => {
        late()
      })
    })
    resume()
    await finished
    expect(trace.spans.map((s) => s.name)).toEqual(['root'])
  })
})

describe('searchSpans', () => {
  const json: TraceJSON = {
    traceId: 't1',
    spans: [
      span('a', null, 'agent', 'AGENT', 0),
      span('c', 'a', 'get_order', 'TOOL', 30),
      span('b', 'a', 'search_docs', 'RETRIEVER', 10),
      span('d', 'a', 'get_refund', 'TOOL', 20),
      span('e', 'a', 'get_order', 'TOOL', 20),
    ],
  }
  const trace = Trace.fromJSON(json)
  const ids = (spans: readonly Span[]) => spans.map((s) => s.spanId)

  it('filters by exact type and name, or RegExp, and returns spans in start order', () => {
    expect(ids(trace.searchSpans({ type: 'TOOL' }))).toEqual(['d', 'e', 'c'])
    expect(ids(trace.searchSpans({ name: 'get_order' }))).toEqual(['e', 'c'])
    expect(ids(trace.searchSpans({ name: /^get_/g }))).toEqual(['d', 'e', 'c'])
    expect(ids(trace.searchSpans({ type: /TOOL|RETRIEVER/, name: /order|docs/ }))).toEqual([
      'b',
      'e',
      'c',
    ])
    expect(ids(trace.searchSpans({ type: 'tool' }))).toEqual([])
    expect(ids(trace.searchSpans())).toEqual(['a', 'b', 'd', 'e', 'c'])
  })

  it('rejects a filter that is neither a string nor a RegExp', () => {
    expect(() => trace.searchSpans({ type: 3 } as never)).toThrow(
      'evalgate: trace.searchSpans(): expected "type" to be a string or a RegExp, received 3',
    )
  })

  it('rootSpan is the earliest span without a parent; durationMs its duration', () => {
    expect(trace.rootSpan?.spanId).toBe('a')
    expect(trace.durationMs).toBe(5)
    expect(new Trace('x').rootSpan).toBeNull()
    expect(new Trace('x').durationMs).toBeNull()
  })
})

function span(
  spanId: string,
  parentId: string | null,
  name: string,
  type: string,
  startMs: number,
): TraceJSON['spans'][number] {
  return {
    spanId,
    parentId,
    name,
    type,
    startMs,
    endMs: startMs + 5,
    inputs: null,
    outputs: null,
    attributes: {},
    status: { code: 'OK', message: null },
  }
}

describe('runRow and runEval record a trace per row', () => {
  it('runs the task inside a trace, passes it to the task and the scorers, stores its JSON', async () => {
    const tool = traced('get_weather', async (city: string) => `sunny in ${city}`, {
      type: 'TOOL',
    })
    let seenByTask: unknown
    let seenByScorer: unknown
    const r = await runRow({
      row: { inputs: { city: 'Oslo' }, id: 'w1' },
      index: 0,
      task: async function weather_bot(inputs, { trace }) {
        seenByTask = trace
        return tool(String(inputs.city))
      },
      scorers: [spy((t) => (seenByScorer = t))],
    })
    expect(r.error).toBeNull()
    expect(seenByScorer).toBe(seenByTask)
    expect(Trace.isTrace(seenByScorer)).toBe(true)
    const trace = seenByScorer as Trace
    expect(trace.spans.map((s) => [s.name, s.type])).toEqual([
      ['weather_bot', 'CHAIN'],
      ['get_weather', 'TOOL'],
    ])
    expect(trace.rootSpan).toMatchObject({ inputs: { city: 'Oslo' }, outputs: 'sunny in Oslo' })
    expect(r.trace).toEqual(trace.toJSON())
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('50 concurrent rows with async work each see only their own spans', async () => {
    const step = traced(
      'step',
      async (row: number, i: number) => {
        await sleep((row * 7 + i * 3) % 11)
        return `${row}.${i}`
      },
      { type: 'TOOL' },
    )
    const problems: string[] = []
    const isolated = scorer('isolated', ({ inputs, trace }) => {
      const row = Number(inputs.row)
      const steps = (trace as Trace).searchSpans({ name: 'step' })
      const rows = new Set(steps.map((s) => (s.inputs as number[])[0]))
      const ok = steps.length === 3 && rows.size === 1 && rows.has(row)
      if (!ok) problems.push(`row ${row} saw rows ${[...rows].join(',')} (${steps.length} steps)`)
      return ok
    })
    const { rows, summary } = await runEval({
      data: Array.from({ length: 50 }, (_, row) => ({ inputs: { row } })),
      task: async (inputs) => {
        const row = Number(inputs.row)
        const parts: string[] = []
        // Every step starts after an await, while other rows are running: only the async
        // context can tell which row it belongs to.
        for (const i of [0, 1]) {
          await sleep((row * 5 + i) % 7)
          parts.push(await step(row, i))
        }
        await sleep(row % 3)
        parts.push(...(await Promise.all([step(row, 2)])))
        return parts.join(' ')
      },
      scorers: [isolated],
      concurrency: 50,
    })
    expect(problems).toEqual([])
    expect(summary.passed).toBe(true)
    const traceIds = new Set(rows.map((r) => (r.trace as TraceJSON).traceId))
    expect(traceIds.size).toBe(50)
    for (const r of rows) {
      const t = r.trace as TraceJSON
      expect(t.spans).toHaveLength(4)
      expect(t.spans[0]!.inputs).toEqual({ row: r.inputs.row })
      for (const s of t.spans.slice(1)) expect(s.parentId).toBe(t.spans[0]!.spanId)
    }
  })

  it('scorers run outside the trace: a traced call from a scorer is not recorded', async () => {
    const helper = traced('helper', () => true)
    let spansSeen = -1
    const r = await runRow({
      row: { inputs: {} },
      index: 0,
      task: () => 'out',
      scorers: [
        scorer('uses_helper', ({ trace }) => {
          helper()
          spansSeen = (trace as Trace).spans.length
          return helper()
        }),
      ],
    })
    expect(spansSeen).toBe(1)
    // Nothing traced but the task's own root span: the report stores no trace for the row.
    expect(r.trace).toBeNull()
  })

  it('a failing task leaves an ERROR root span in the stored trace', async () => {
    const plan = traced('plan', () => 'call the model')
    const r = await runRow({
      row: { inputs: {} },
      index: 0,
      task: async () => {
        plan()
        throw new Error('model unavailable')
      },
      scorers: [],
    })
    expect(r.error?.code).toBe('TASK_ERROR')
    const spans = (r.trace as TraceJSON).spans
    expect(spans.map((s) => [s.name, s.status.code])).toEqual([
      ['task', 'ERROR'],
      ['plan', 'OK'],
    ])
    expect(spans[0]!.status.message).toBe('model unavailable')
  })

  it('a timed-out task gets an ERROR root span, and its later spans are not recorded', async () => {
    const early = traced('early_tool', () => 1)
    const late = traced('late_tool', () => 1)
    let done!: () => void
    const finished = new Promise<void>((r) => {
      done = r
    })
    const r = await runRow({
      row: { inputs: {} },
      index: 0,
      timeoutMs: 30,
      task: async () => {
        early()
        await sleep(80)
        late()
        done()
        return 'too late'
      },
      scorers: [],
    })
    await finished
    expect(r.error?.code).toBe('TASK_TIMEOUT')
    const json = r.trace as TraceJSON
    expect(json.spans.map((s) => s.name)).toEqual(['task', 'early_tool'])
    expect(json.spans[0]!.status).toEqual({
      code: 'ERROR',
      message: 'evalgate: the task did not finish within the row timeout of 30 ms',
    })
  })

  it('caps big values in the stored trace with a marker; scorers get the full values', async () => {
    const big = 'x'.repeat(40_000)
    const fetchPage = traced('fetch_page', () => ({ html: big }), { type: 'TOOL' })
    let fullLength = 0
    const r = await runRow({
      row: { inputs: { url: 'u' } },
      index: 0,
      task: () => {
        fetchPage()
        return 'ok'
      },
      scorers: [
        scorer('len', ({ trace }) => {
          const page = (trace as Trace).searchSpans({ name: 'fetch_page' })[0]!
          fullLength = (page.outputs as { html: string }).html.length
          return true
        }),
      ],
    })
    expect(fullLength).toBe(40_000)
    const stored = (r.trace as TraceJSON).spans[1]!.outputs as Record<string, unknown>
    expect(stored).toEqual({
      __truncated__: true,
      originalBytes: 40_011,
      preview: expect.stringMatching(/^\{"html":"x+…$/),
    })
    expect((stored.preview as string).length).toBeLessThanOrEqual(1025)
  })
})

describe('stored traces as rows', () => {
  async function recorded(): Promise<TraceJSON> {
    const tool = traced('get_order', (id: string) => ({ id, status: 'shipped' }), { type: 'TOOL' })
    const r = await runRow({
      row: { inputs: { question: 'Where is order 7?' } },
      index: 0,
      task: () => `Order ${tool('7').id} has shipped.`,
      scorers: [],
    })
    return JSON.parse(JSON.stringify(r.trace)) as TraceJSON
  }

  it('a row with only a trace gets inputs and outputs from the root span, and is re-scored', async () => {
    const trace = await recorded()
    let seen: unknown
    const { rows } = await runEval({
      data: [{ trace } as never],
      scorers: [
        spy((t) => {
          seen = t
        }),
      ],
    })
    expect(rows[0]).toMatchObject({
      inputs: { question: 'Where is order 7?' },
      outputs: 'Order 7 has shipped.',
      error: null,
      passed: true,
    })
    expect(Trace.isTrace(seen)).toBe(true)
    expect((seen as Trace).searchSpans({ type: 'TOOL' })[0]!.outputs).toEqual({
      id: '7',
      status: 'shipped',
    })
    expect(rows[0]!.trace).toEqual(trace)
  })

  it('stored outputs win over the root span; a trace that cannot supply inputs is a clear error', async () => {
    const trace = await recorded()
    const { rows } = await runEval({
      data: [{ inputs: { q: 1 }, outputs: 'stored', trace }],
      scorers: [spy(() => {})],
    })
    expect(rows[0]).toMatchObject({ inputs: { q: 1 }, outputs: 'stored' })
    await expect(
      runEval({ data: [{ trace: { spans: [] } } as never], scorers: [spy(() => {})] }),
    ).rejects.toThrow(
      'evalgate: data[0]: "inputs" is required: its "trace" is not a valid trace ("traceId": Invalid input: expected string, received undefined)',
    )
    const noRootInputs = {
      ...trace,
      spans: trace.spans.map((s) => (s.parentId === null ? { ...s, inputs: 'text' } : s)),
    }
    await expect(
      runEval({ data: [{ trace: noRootInputs } as never], scorers: [spy(() => {})] }),
    ).rejects.toThrow(
      `evalgate: data[0]: "inputs" is required: its trace's root span inputs are not an object (received "text")`,
    )
  })

  it('a stored trace whose root has no outputs, without stored outputs, is named before any row runs', async () => {
    const trace = await recorded()
    const noOutputs = {
      ...trace,
      spans: trace.spans.map((s) => (s.parentId === null ? { ...s, outputs: null } : s)),
    }
    await expect(
      runEval({ data: [{ id: 'r1', trace: noOutputs } as never], scorers: [spy(() => {})] }),
    ).rejects.toThrow('1 row(s) have no "outputs" and the eval has no task: data[0] (id "r1")')
  })

  it('runRow alone (as scoreCase uses it) takes outputs from a stored Trace too', async () => {
    const { trace } = await captureTrace(() => 'answer')
    const r = await runRow({ row: { inputs: {}, trace }, index: 0, scorers: [spy(() => {})] })
    expect(r).toMatchObject({ outputs: 'answer', error: null })
    expect(r.trace).toEqual(trace.toJSON())
  })

  it('a stored value that is not a trace is passed to scorers and the report as it is', async () => {
    let seen: unknown
    const r = await runRow({
      row: { inputs: {}, outputs: 'o', trace: { traceId: 'partial' } },
      index: 0,
      scorers: [spy((t) => (seen = t))],
    })
    expect(seen).toEqual({ traceId: 'partial' })
    expect(r.trace).toEqual({ traceId: 'partial' })
  })
})
