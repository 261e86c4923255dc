import { context, trace as otelTrace, SpanStatusCode, type Tracer } from '@opentelemetry/api'
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base'
import { afterAll, describe, expect, it } from 'vitest'
import { runEval } from '../../src/core/evaluate.js'
import { scorer } from '../../src/core/scorer.js'
import { EvalgateSpanProcessor, GEN_AI_OPERATION_TYPES } from '../../src/otel/index.js'
import { toolCallTrajectory } from '../../src/scorers/index.js'
import { captureTrace, type Trace, type TraceJSON, traced } from '../../src/trace/index.js'

const processor = new EvalgateSpanProcessor()
const provider = new BasicTracerProvider({ spanProcessors: [processor] })
const tracer: Tracer = provider.getTracer('agent-under-test', '1.0.0')
afterAll(() => provider.shutdown())

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Runs `fn` in a child span of `parent` (no global context manager: contexts passed by hand). */
function child<T>(
  parent: ReturnType<Tracer['startSpan']> | undefined,
  name: string,
  attributes: Record<string, string | number | string[]>,
  fn: (span: ReturnType<Tracer['startSpan']>) => T,
): T {
  const ctx = parent === undefined ? context.active() : otelTrace.setSpan(context.active(), parent)
  const span = tracer.startSpan(name, { attributes }, ctx)
  try {
    return fn(span)
  } finally {
    span.end()
  }
}

describe('EvalgateSpanProcessor with the real @opentelemetry/sdk-trace-base', () => {
  it('maps GenAI spans of the row: types, usage, tool names, inputs/outputs, nesting', async () => {
    const { trace } = await captureTrace(async () => {
      const agent = tracer.startSpan('invoke_agent support', {
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' },
      })
      child(
        agent,
        'chat gpt-4.1',
        {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4.1',
          'gen_ai.usage.input_tokens': 120,
          'gen_ai.usage.output_tokens': 14,
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', content: 'order 42?' }]),
        },
        () => undefined,
      )
      child(
        agent,
        'execute_tool get_order',
        {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'get_order',
          'gen_ai.tool.call.arguments': '{"id":"42"}',
          'gen_ai.tool.call.result': '{"status":"shipped"}',
        },
        () => undefined,
      )
      child(
        agent,
        'retrieval docs',
        {
          'gen_ai.operation.name': 'retrieval',
          'gen_ai.retrieval.query.text': 'refund policy',
          'gen_ai.retrieval.documents': JSON.stringify([{ id: 'doc-1', score: 0.9 }]),
        },
        () => undefined,
      )
      child(
        agent,
        'embeddings text-embedding-3',
        { 'gen_ai.operation.name': 'embeddings' },
        () => 0,
      )
      child(agent, 'cache lookup', { 'evalgate.span.type': 'MEMORY' }, () => 0)
      child(agent, 'http GET', { 'http.method': 'GET' }, () => 0)
      agent.end()
    })
    const byName = (name: string) => trace.spans.find((s) => s.name === name)!
    const agent = byName('invoke_agent support')
    expect(agent.type).toBe('AGENT')
    expect(agent.parentId).toBe(trace.rootSpan!.spanId)
    expect(agent.spanId).toMatch(/^[0-9a-f]{16}$/)
    const chat = byName('chat gpt-4.1')
    expect(chat).toMatchObject({
      type: 'CHAT_MODEL',
      parentId: agent.spanId,
      inputs: [{ role: 'user', content: 'order 42?' }],
      attributes: {
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 14,
        'gen_ai.request.model': 'gpt-4.1',
        'otel.span.kind': 'INTERNAL',
        'otel.scope.name': 'agent-under-test',
      },
      status: { code: 'UNSET', message: null },
    })
    expect(chat.endMs).not.toBeNull()
    expect(chat.endMs!).toBeGreaterThanOrEqual(chat.startMs)
    expect(byName('execute_tool get_order')).toMatchObject({
      type: 'TOOL',
      parentId: agent.spanId,
      inputs: { id: '42' },
      outputs: { status: 'shipped' },
      attributes: { 'gen_ai.tool.name': 'get_order' },
    })
    expect(byName('retrieval docs')).toMatchObject({
      type: 'RETRIEVER',
      inputs: 'refund policy',
      outputs: [{ id: 'doc-1', score: 0.9 }],
    })
    expect(byName('embeddings text-embedding-3').type).toBe('EMBEDDING')
    expect(byName('cache lookup').type).toBe('MEMORY')
    expect(byName('http GET').type).toBe('UNKNOWN')
    // Search and JSON work on mapped spans like on any other.
    expect(trace.searchSpans({ type: 'TOOL' }).map((s) => s.name)).toEqual([
      'execute_tool get_order',
    ])
    expect(JSON.parse(JSON.stringify(trace.toJSON())).spans).toHaveLength(8)
  })

  it('an ERROR span keeps its message, and the exception event fills exception.*', async () => {
    const { trace } = await captureTrace(() => {
      const span = tracer.startSpan('execute_tool refund', {
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'refund' },
      })
      span.recordException(new RangeError('amount exceeds order total'))
      span.setStatus({ code: SpanStatusCode.ERROR })
      span.end()
      const ok = tracer.startSpan('ok')
      ok.setStatus({ code: SpanStatusCode.OK })
      ok.end()
    })
    const refund = trace.searchSpans({ name: 'execute_tool refund' })[0]!
    expect(refund.status).toEqual({ code: 'ERROR', message: 'amount exceeds order total' })
    expect(refund.attributes).toMatchObject({
      'exception.type': 'RangeError',
      'exception.message': 'amount exceeds order total',
    })
    expect(trace.searchSpans({ name: 'ok' })[0]!.status).toEqual({ code: 'OK', message: null })
  })

  it('OpenTelemetry spans nest under the traced span current where they start', async () => {
    const tool = traced(
      'lookup',
      () => {
        tracer.startSpan('db query', { attributes: { 'db.system': 'sqlite' } }).end()
        return 1
      },
      { type: 'TOOL' },
    )
    const { trace } = await captureTrace(() => tool())
    const lookup = trace.searchSpans({ name: 'lookup' })[0]!
    const query = trace.searchSpans({ name: 'db query' })[0]!
    expect(query.parentId).toBe(lookup.spanId)
  })

  it('ignores spans started outside a row', async () => {
    const before = tracer.startSpan('outside before')
    const { trace } = await captureTrace(() => {
      before.end()
      tracer.startSpan('inside').end()
    })
    tracer.startSpan('outside after').end()
    expect(trace.spans.map((s) => s.name)).toEqual(['root', 'inside'])
  })

  it('concurrent rows each get only their own OpenTelemetry spans', async () => {
    const calls = scorer('own_spans', ({ inputs, trace }) => {
      const tools = (trace as Trace).searchSpans({ type: 'TOOL' })
      return tools.length === 2 && tools.every((s) => s.attributes['row'] === inputs.row)
    })
    const { rows, summary } = await runEval({
      data: Array.from({ length: 30 }, (_, row) => ({
        inputs: { row },
        expectations: { tool_calls: ['search', 'answer'] },
      })),
      task: async (inputs) => {
        for (const tool of ['search', 'answer']) {
          await sleep((Number(inputs.row) * 5) % 9)
          const span = tracer.startSpan(`execute_tool ${tool}`, {
            attributes: {
              'gen_ai.operation.name': 'execute_tool',
              'gen_ai.tool.name': tool,
              row: Number(inputs.row),
            },
          })
          await sleep(1)
          span.end()
        }
        return 'done'
      },
      scorers: [calls, toolCallTrajectory()],
      concurrency: 30,
    })
    expect(summary.metrics.own_spans!.mean).toBe(1)
    // toolCallTrajectory reads the OpenTelemetry tool name (gen_ai.tool.name), not the span name.
    expect(summary.metrics.tool_call_trajectory!.mean).toBe(1)
    expect((rows[0]!.trace as TraceJSON).spans.map((s) => s.name)).toEqual([
      'task',
      'execute_tool search',
      'execute_tool answer',
    ])
  })

  it('exposes the GenAI operation mapping; flush and shutdown resolve', async () => {
    expect(GEN_AI_OPERATION_TYPES).toMatchObject({
      chat: 'CHAT_MODEL',
      execute_tool: 'TOOL',
      embeddings: 'EMBEDDING',
      retrieval: 'RETRIEVER',
      invoke_agent: 'AGENT',
    })
    await expect(processor.forceFlush()).resolves.toBeUndefined()
    const own = new EvalgateSpanProcessor()
    await expect(own.shutdown()).resolves.toBeUndefined()
  })
})
