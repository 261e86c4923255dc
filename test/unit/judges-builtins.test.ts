import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  errorReply,
  type OpenAIServer,
  type RecordedRequest,
  startOpenAIServer,
  verdict,
} from '../../fixtures/openai-server/server.mjs'
import { prepareEval } from '../../src/core/evaluate.js'
import { runRow } from '../../src/core/run.js'
import type { Feedback, Scorer, ScorerContext } from '../../src/core/scorer.js'
import { traced } from '../../src/index.js'
import {
  configureJudges,
  correctness,
  expectationsGuidelines,
  guidelines,
  type JudgeUsage,
  relevanceToQuery,
  retrievalGroundedness,
  retrievalRelevance,
  retrievalSufficiency,
  safety,
} from '../../src/judges/index.js'

let server: OpenAIServer

beforeAll(async () => {
  server = await startOpenAIServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.reset()
  configureJudges({
    client: new OpenAI({ apiKey: 'sk-local', baseURL: server.baseURL }),
    cache: { mode: 'off' },
    maxRetries: 0,
  })
})
afterEach(() => configureJudges())

const ctx = (over: Partial<ScorerContext> = {}): ScorerContext => ({
  inputs: { question: 'How long is the refund window?' },
  outputs: 'You can get a refund within 30 days.',
  expectations: {},
  trace: undefined,
  metadata: {},
  ...over,
})
const score = async (s: Scorer, c: ScorerContext) => (await s.score(c)) as Feedback
const userOf = (r: RecordedRequest | undefined): string => r?.body.messages[1].content

describe('built-in judges: names and the fields they read', () => {
  it('each has its MLflow-style default metric name, and name overrides it', () => {
    expect(
      [
        correctness(),
        safety(),
        guidelines({ guidelines: 'Be polite.' }),
        expectationsGuidelines(),
        relevanceToQuery(),
        retrievalGroundedness(),
        retrievalRelevance(),
        retrievalSufficiency(),
      ].map((s) => s.name),
    ).toEqual([
      'correctness',
      'safety',
      'guidelines',
      'expectations_guidelines',
      'relevance_to_query',
      'retrieval_groundedness',
      'retrieval_relevance',
      'retrieval_sufficiency',
    ])
    expect(safety({ name: 'harmless', threshold: 1 })).toMatchObject({
      name: 'harmless',
      threshold: 1,
    })
    // they are ordinary scorers: an eval validates and names them like any other
    const prepared = prepareEval({
      scorers: [correctness(), guidelines({ name: 'polite', guidelines: 'Be polite.' })],
      thresholds: { 'correctness/mean': 0.9, 'polite/passRate': 1 },
      hasTask: false,
    })
    expect(prepared.metrics).toEqual(['correctness', 'polite'])
  })

  it('correctness reads expected_response and/or expected_facts, inside <expectations>', async () => {
    await score(correctness(), ctx({ expectations: { expected_response: '30 days' } }))
    await score(
      correctness(),
      ctx({ expectations: { expected_facts: ['30 days', 'full refund'] } }),
    )
    expect(userOf(server.requests[0])).toContain(
      '<expectations>\nExpected response:\n30 days\n</expectations>',
    )
    expect(userOf(server.requests[0])).toContain(
      '<inputs>\n{\n  "question": "How long is the refund window?"\n}\n</inputs>',
    )
    expect(userOf(server.requests[0])).toContain(
      '<outputs>\nYou can get a refund within 30 days.\n</outputs>',
    )
    expect(userOf(server.requests[1])).toContain(
      '<expectations>\nExpected facts:\n- 30 days\n- full refund\n</expectations>',
    )
  })

  it('correctness without either field is JUDGE_MISSING_FIELD naming both, with no request', async () => {
    const fb = await score(correctness(), ctx({ expectations: { guidelines: 'x' } }))
    expect(fb.error).toEqual({
      code: 'JUDGE_MISSING_FIELD',
      message:
        'evalgate: judge "correctness" needs expectations.expected_response or expectations.expected_facts; expectations has guidelines',
    })
    expect(fb.source).toEqual({ type: 'LLM_JUDGE', id: 'gpt-4.1-mini' })
    expect(fb.metadata?.usage).toMatchObject({ requests: 0, cacheHits: 0 })
    const bad = await score(correctness(), ctx({ expectations: { expected_facts: 42 } }))
    expect(bad.error?.message).toContain(
      'expected expectations.expected_facts to be a string or a non-empty array of strings, received 42',
    )
    expect(server.requests).toHaveLength(0)
  })

  it('guidelines and expectationsGuidelines number the guidelines in <criteria>', async () => {
    await score(guidelines({ name: 'polite', guidelines: ['Be polite.', 'No jargon.'] }), ctx())
    await score(expectationsGuidelines(), ctx({ expectations: { guidelines: 'Mention 30 days.' } }))
    expect(userOf(server.requests[0])).toContain(
      '<criteria>\n1. Be polite.\n2. No jargon.\n</criteria>',
    )
    expect(userOf(server.requests[1])).toContain('<criteria>\n1. Mention 30 days.\n</criteria>')
    const missing = await score(expectationsGuidelines(), ctx())
    expect(missing.error).toEqual({
      code: 'JUDGE_MISSING_FIELD',
      message:
        'evalgate: judge "expectations_guidelines" needs expectations.guidelines; the row has no expectations',
    })
  })

  it('guidelines() checks its guidelines at construction', () => {
    expect(() => guidelines({ guidelines: [] })).toThrow(
      'evalgate: guidelines(): expected "guidelines" to be a non-empty string or a non-empty array of non-empty strings, received an array of length 0',
    )
    expect(() => guidelines({} as never)).toThrow('received undefined')
  })

  it('judge options are checked at construction', () => {
    expect(() => safety({ treshold: 1 } as never)).toThrow(
      'evalgate: safety(): unknown option "treshold" (allowed: model, client, name, threshold, params, responseFormat)',
    )
    expect(() => correctness({ threshold: Number.POSITIVE_INFINITY })).toThrow(
      'correctness(): expected "threshold" to be a finite number, received Infinity',
    )
    expect(() => relevanceToQuery({ client: {} as never })).toThrow(
      'relevanceToQuery(): expected "client" to be an OpenAI client',
    )
    expect(() => safety({ name: '/x' })).toThrow('expected "name" to be a non-empty metric name')
  })

  it('safety sees only the outputs; relevanceToQuery sees inputs and outputs', async () => {
    await score(safety(), ctx())
    await score(relevanceToQuery(), ctx())
    expect(userOf(server.requests[0])).not.toContain('<inputs>')
    expect(userOf(server.requests[0])).toContain('<outputs>')
    expect(userOf(server.requests[1])).toContain('<inputs>')
    expect(userOf(server.requests[1])).toContain('<outputs>')
  })
})

describe('retrieval judges', () => {
  const trace = {
    spans: [
      { type: 'CHAIN', outputs: 'ignored' },
      {
        type: 'RETRIEVER',
        outputs: [{ page_content: 'Refunds within 30 days.' }, { content: 'Shipping is free.' }],
      },
      { type: 'RETRIEVER', outputs: 'Returns need a receipt.' },
    ],
  }

  it('read RETRIEVER spans of the trace first, numbered inside <context>', async () => {
    await score(
      retrievalGroundedness(),
      ctx({ trace, expectations: { retrieved_context: ['not used'] } }),
    )
    const user = userOf(server.requests[0])
    expect(user).toContain(
      '<context>\n[1] Refunds within 30 days.\n\n[2] Shipping is free.\n\n[3] Returns need a receipt.\n</context>',
    )
    expect(user).not.toContain('not used')
  })

  it('read the RETRIEVER spans of the trace describeEval records for a task', async () => {
    const search = traced(
      'search_docs',
      async (_q: string) => [{ page_content: 'Refunds within 30 days.' }],
      {
        type: 'RETRIEVER',
      },
    )
    const result = await runRow({
      row: { inputs: { question: 'Refund window?' } },
      index: 0,
      task: async (inputs) => {
        const docs = await search(String(inputs.question))
        return `Per our policy: ${docs[0]!.page_content}`
      },
      scorers: [retrievalGroundedness()],
    })
    expect(result.feedback[0]).toMatchObject({ name: 'retrieval_groundedness', value: 'yes' })
    expect(userOf(server.requests[0])).toContain(
      '<context>\n[1] Refunds within 30 days.\n</context>',
    )
  })

  it('fall back to expectations.retrieved_context (string, strings or { content })', async () => {
    await score(retrievalGroundedness(), ctx({ expectations: { retrieved_context: 'One doc.' } }))
    await score(
      retrievalSufficiency(),
      ctx({
        expectations: {
          retrieved_context: [{ content: 'Refunds within 30 days.' }],
          expected_facts: ['30 days'],
        },
      }),
    )
    expect(userOf(server.requests[0])).toContain('<context>\n[1] One doc.\n</context>')
    expect(userOf(server.requests[1])).toContain(
      '<context>\n[1] Refunds within 30 days.\n</context>',
    )
    expect(userOf(server.requests[1])).toContain(
      '<expectations>\nExpected facts:\n- 30 days\n</expectations>',
    )
  })

  it('no context anywhere is JUDGE_MISSING_FIELD saying where it looked', async () => {
    const none = await score(retrievalGroundedness(), ctx())
    expect(none.error).toEqual({
      code: 'JUDGE_MISSING_FIELD',
      message:
        'evalgate: judge "retrieval_groundedness" needs retrieved context: the outputs of RETRIEVER spans in the trace, else expectations.retrieved_context; the row has no trace, expectations.retrieved_context is undefined',
    })
    const noSpan = await score(
      retrievalGroundedness(),
      ctx({ trace: { spans: [{ type: 'LLM' }] } }),
    )
    expect(noSpan.error?.message).toContain('the trace has no RETRIEVER span')
    const noExpected = await score(
      retrievalSufficiency(),
      ctx({ expectations: { retrieved_context: ['doc'] } }),
    )
    expect(noExpected.error?.message).toContain(
      'needs expectations.expected_response or expectations.expected_facts',
    )
    expect(server.requests).toHaveLength(0)
  })

  it('retrievalRelevance: one call per chunk, one Feedback whose value is the precision', async () => {
    server.setRespond((req) =>
      userOf(req).includes('Shipping')
        ? verdict('no', 'about shipping')
        : verdict('yes', 'on topic'),
    )
    const result = await runRow({
      row: { inputs: { question: 'Refund window?' }, outputs: '30 days.', trace },
      index: 0,
      scorers: [retrievalRelevance({ threshold: 0.5 })],
    })
    expect(server.requests).toHaveLength(3)
    expect(result.feedback).toHaveLength(1)
    const fb = result.feedback[0]!
    expect(fb).toMatchObject({
      name: 'retrieval_relevance',
      value: 2 / 3,
      score: 2 / 3,
      passed: true,
      rationale: '2 of 3 retrieved chunks are relevant: [1] yes, [2] no, [3] yes',
      source: { type: 'LLM_JUDGE', id: 'gpt-4.1-mini' },
    })
    expect(fb.metadata?.chunks).toEqual([
      { index: 0, value: 'yes', rationale: 'on topic', error: null },
      { index: 1, value: 'no', rationale: 'about shipping', error: null },
      { index: 2, value: 'yes', rationale: 'on topic', error: null },
    ])
    // the usage of all three calls, on the one Feedback
    expect(fb.metadata?.usage).toEqual({
      model: 'gpt-4.1-mini',
      requests: 3,
      cacheHits: 0,
      inputTokens: 300,
      outputTokens: 60,
      costUsd: 0.000216,
    })
    expect(retrievalRelevance().metrics).toEqual(['retrieval_relevance'])
  })

  it('retrievalRelevance: a failed chunk makes the Feedback an error, keeping the other verdicts', async () => {
    server.setRespond((req) =>
      userOf(req).includes('Shipping') ? errorReply(400, 'bad chunk') : verdict('yes'),
    )
    const fb = await score(retrievalRelevance(), ctx({ trace }))
    expect(fb.name).toBe('retrieval_relevance')
    expect(fb.error?.code).toBe('JUDGE_HTTP_ERROR')
    expect(fb.error?.message).toMatch(/HTTP 400.*\(chunk 2 of 3\)$/)
    expect(fb.metadata!.chunks as unknown[]).toHaveLength(3)
    expect((fb.metadata!.usage as JudgeUsage).requests).toBe(3)
  })
})
