import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  completionBody,
  errorReply,
  type OpenAIServer,
  type Reply,
  startOpenAIServer,
} from '../../fixtures/openai-server/server.mjs'
import { runRow } from '../../src/core/run.js'
import {
  captureTrace,
  instrumentOpenAI,
  type Span,
  type TraceJSON,
  withoutTracing,
} from '../../src/trace/index.js'

let server: OpenAIServer
beforeAll(async () => {
  server = await startOpenAIServer()
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => server.reset())

function client(): OpenAI {
  return instrumentOpenAI(
    new OpenAI({ apiKey: 'sk-test-trace', baseURL: server.baseURL, maxRetries: 0 }),
  )
}

/** A Server-Sent Events reply carrying these chunks, then [DONE]. */
function sse(chunks: readonly object[]): Reply {
  const body = `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`
  return { status: 200, contentType: 'text/event-stream', body }
}

function chunk(delta: object, extra: object = {}): object {
  return {
    id: 'chatcmpl-stream-1',
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model: 'local-stream-model',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  }
}

const messages = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Capital of France?' },
]

function llmSpans(spans: readonly Span[]): Span[] {
  return spans.filter((s) => s.type === 'CHAT_MODEL')
}

describe('instrumentOpenAI through the real openai SDK', () => {
  it('records a CHAT_MODEL span with messages, output, model, usage and latency', async () => {
    const openai = client()
    server.enqueue({
      status: 200,
      delayMs: 25,
      body: completionBody({
        content: 'Paris.',
        model: 'local-test-model-2026',
        promptTokens: 21,
        completionTokens: 3,
      }),
    })
    const { outputs, trace } = await captureTrace(async () => {
      const history = [...messages]
      const completion = await openai.chat.completions.create({
        model: 'gpt-test',
        messages: history,
        temperature: 0,
      })
      // An agent appending to its history afterwards does not rewrite the recorded inputs.
      history.push({ role: 'user', content: 'And Spain?' })
      return completion.choices[0]!.message.content
    })
    expect(outputs).toBe('Paris.')
    expect(server.requests).toHaveLength(1)
    const [span] = llmSpans(trace.spans)
    expect(span).toMatchObject({
      name: 'chat.completions.create',
      type: 'CHAT_MODEL',
      parentId: trace.rootSpan!.spanId,
      inputs: { model: 'gpt-test', messages, temperature: 0 },
      outputs: {
        model: 'local-test-model-2026',
        choices: [{ message: { role: 'assistant', content: 'Paris.' } }],
        usage: { prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 },
      },
      attributes: {
        'gen_ai.system': 'openai',
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-test',
        'gen_ai.response.model': 'local-test-model-2026',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.input_tokens': 21,
        'gen_ai.usage.output_tokens': 3,
      },
      status: { code: 'OK', message: null },
    })
    expect(span!.endMs! - span!.startMs).toBeGreaterThanOrEqual(20)
    expect(JSON.parse(JSON.stringify(trace.toJSON())).spans[1].outputs.choices[0].message).toEqual({
      role: 'assistant',
      content: 'Paris.',
      refusal: null,
    })
  })

  it('keeps the SDK promise: withResponse() still works on an instrumented client', async () => {
    const openai = client()
    server.enqueue({ status: 200, body: completionBody({ content: 'ok' }) })
    const { trace } = await captureTrace(async () => {
      const { data, response } = await openai.chat.completions
        .create({ model: 'm', messages })
        .withResponse()
      expect(response.status).toBe(200)
      return data.choices[0]!.message.content
    })
    expect(trace.rootSpan!.outputs).toBe('ok')
    expect(llmSpans(trace.spans)).toHaveLength(1)
  })

  it('assembles a streamed response with usage when the server sends it (include_usage)', async () => {
    const openai = client()
    server.enqueue(
      sse([
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Par' }),
        chunk({ content: 'is.' }),
        {
          ...chunk({}),
          choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        },
        {
          ...chunk({}),
          choices: [],
          usage: { prompt_tokens: 17, completion_tokens: 2, total_tokens: 19 },
        },
      ]),
    )
    const { outputs, trace } = await captureTrace(async () => {
      const stream = await openai.chat.completions.create({
        model: 'gpt-test',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      })
      let text = ''
      for await (const c of stream) text += c.choices[0]?.delta.content ?? ''
      return text
    })
    expect(outputs).toBe('Paris.')
    expect(server.requests[0]!.body).toMatchObject({ stream: true })
    const [span] = llmSpans(trace.spans)
    expect(span!.outputs).toEqual({
      id: 'chatcmpl-stream-1',
      object: 'chat.completion',
      created: 1_767_225_600,
      model: 'local-stream-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Paris.', refusal: null },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 17, completion_tokens: 2, total_tokens: 19 },
    })
    expect(span!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 17,
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.response.model': 'local-stream-model',
      'evalgate.stream.chunks': 5,
    })
    expect(span!.status.code).toBe('OK')
    // The span ends when the stream ends, not when the response headers arrive.
    expect(span!.endMs).toBeLessThanOrEqual(trace.rootSpan!.endMs!)
  })

  it('a stream without usage records none (never an estimate), and assembles tool calls', async () => {
    const openai = client()
    const call = (args: string, extra: object = {}) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: args }, ...extra }] })
    server.enqueue(
      sse([
        chunk({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              index: 0,
              id: 'call_1',
              type: 'function',
              function: { name: 'get_order', arguments: '' },
            },
          ],
        }),
        call('{"id":'),
        call('"42"}'),
        { ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      ]),
    )
    const { trace } = await captureTrace(async () => {
      const stream = await openai.chat.completions.create({ model: 'm', messages, stream: true })
      for await (const _ of stream) {
        // drain
      }
    })
    const [span] = llmSpans(trace.spans)
    const out = span!.outputs as Record<string, unknown>
    expect(out).not.toHaveProperty('usage')
    expect(span!.attributes).not.toHaveProperty('gen_ai.usage.input_tokens')
    expect(span!.attributes).not.toHaveProperty('gen_ai.usage.output_tokens')
    expect(out.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_order', arguments: '{"id":"42"}' },
            },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ])
  })

  it('a stream the caller stops early is recorded as far as it was read', async () => {
    const openai = client()
    server.enqueue(
      sse([chunk({ content: 'one ' }), chunk({ content: 'two ' }), chunk({ content: 'three' })]),
    )
    const { trace } = await captureTrace(async () => {
      const stream = await openai.chat.completions.create({ model: 'm', messages, stream: true })
      for await (const _ of stream) break
    })
    const [span] = llmSpans(trace.spans)
    expect(span!.attributes['evalgate.stream.completed']).toBe(false)
    expect(
      (span!.outputs as { choices: Array<{ message: { content: string } }> }).choices[0]!.message
        .content,
    ).toBe('one ')
    expect(span!.endMs).not.toBeNull()
  })

  it('a failed request is an ERROR span, and the SDK error reaches the caller unchanged', async () => {
    const openai = client()
    server.enqueue(errorReply(400, 'model "nope" does not exist'))
    let caught: unknown
    const { trace } = await captureTrace(async () => {
      try {
        await openai.chat.completions.create({ model: 'nope', messages })
      } catch (error) {
        caught = error
      }
    })
    expect(caught).toBeInstanceOf(OpenAI.BadRequestError)
    const [span] = llmSpans(trace.spans)
    expect(span!.status.code).toBe('ERROR')
    expect(span!.status.message).toContain('model "nope" does not exist')
    expect(span!.attributes['exception.type']).toBe('BadRequestError')
  })

  it('records nothing outside an eval, nor inside withoutTracing (how judges call)', async () => {
    const openai = client()
    const outside = await openai.chat.completions.create({ model: 'm', messages })
    expect(outside.choices[0]!.message.content).toContain('default verdict')
    const { trace } = await captureTrace(async () => {
      await withoutTracing(() => openai.chat.completions.create({ model: 'judge', messages }))
      await openai.chat.completions.create({ model: 'app', messages })
    })
    expect(server.requests).toHaveLength(3)
    expect(llmSpans(trace.spans).map((s) => (s.inputs as { model: string }).model)).toEqual(['app'])
  })

  it('in describeEval rows: each row records its own completions, concurrently', async () => {
    const openai = client()
    server.setLatency(10)
    const rows = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        runRow({
          row: { inputs: { n: i } },
          index: i,
          task: async (inputs) => {
            const r = await openai.chat.completions.create({
              model: `row-${inputs.n}`,
              messages: [{ role: 'user', content: `row ${inputs.n}` }],
            })
            return r.model
          },
          scorers: [],
        }),
      ),
    )
    for (const [i, r] of rows.entries()) {
      const spans = (r.trace as TraceJSON).spans.filter((s) => s.type === 'CHAT_MODEL')
      expect(spans).toHaveLength(1)
      expect(spans[0]!.inputs).toMatchObject({ model: `row-${i}` })
      expect(r.outputs).toBe(`row-${i}`)
    }
  })

  it('instruments once, and rejects something that is not a client', () => {
    const openai = client()
    const create = openai.chat.completions.create
    expect(instrumentOpenAI(openai)).toBe(openai)
    expect(openai.chat.completions.create).toBe(create)
    expect(() => instrumentOpenAI({ chat: {} })).toThrow(
      'evalgate: instrumentOpenAI(): expected an OpenAI client (an object with chat.completions.create), received an object {"chat":{}}',
    )
  })
})
