import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  type OpenAIServer,
  startOpenAIServer,
  verdict,
} from '../../fixtures/openai-server/server.mjs'
import { EvalgateError } from '../../src/base/errors.js'
import { runRow } from '../../src/core/run.js'
import type { Feedback, ScorerContext } from '../../src/core/scorer.js'
import { configureJudges, makeJudge } from '../../src/judges/index.js'

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

const quality = () =>
  makeJudge({
    name: 'response_quality',
    instructions: 'Rate how well {{ outputs }} answers {{inputs}}.',
    value: z.int().min(1).max(5),
    threshold: 4,
  })

const ctx = (over: Partial<ScorerContext> = {}): ScorerContext => ({
  inputs: { question: 'What is 2 + 2?' },
  outputs: '4',
  expectations: {},
  trace: undefined,
  metadata: {},
  ...over,
})

describe('makeJudge construction', () => {
  const base = { name: 'j', value: z.enum(['yes', 'no']) }
  const allowed =
    'the allowed variables are {{ inputs }}, {{ outputs }}, {{ expectations }}, {{ trace }}, {{ conversation }}'

  it('rejects an unknown template variable, listing the allowed ones', () => {
    expect(() => makeJudge({ ...base, instructions: 'Is {{ output }} polite?' })).toThrow(
      new EvalgateError(
        `evalgate: makeJudge "j": unknown template variable "{{ output }}" in "instructions"; ${allowed}`,
      ),
    )
    expect(() =>
      makeJudge({ ...base, instructions: 'Check {{outputs}} vs {{ context }}' }),
    ).toThrow('"{{ context }}"')
  })

  it('rejects instructions without any variable', () => {
    expect(() => makeJudge({ ...base, instructions: 'Is it polite?' })).toThrow(
      'makeJudge "j": "instructions" use no template variable, so the judge would see nothing of the row; use at least one of {{ inputs }}, {{ outputs }}, {{ expectations }}, {{ trace }}',
    )
    expect(() => makeJudge({ ...base, instructions: '' })).toThrow(EvalgateError)
  })

  it('rejects a number without both bounds, and schemas a judge cannot answer with', () => {
    const make = (value: z.ZodType) => () =>
      makeJudge({ name: 'n', instructions: '{{ outputs }}', value })
    expect(make(z.number())).toThrow(
      'makeJudge "n": "value": a number needs both bounds, e.g. z.int().min(1).max(5); received a number with min none and max none',
    )
    expect(make(z.int().min(1))).toThrow('received a number with min 1 and max none')
    expect(make(z.number().max(1))).toThrow('min none and max 1')
    expect(make(z.string())).toThrow(
      'makeJudge "n": "value": expected z.enum([...]) of strings, z.boolean(), or z.number() / z.int() with both .min() and .max(); received a zod string schema',
    )
    expect(make(z.enum(['yes', 'no']).optional())).toThrow('received a zod optional schema')
  })

  it('rejects a bad name, threshold, model or unknown option', () => {
    const ok = { instructions: '{{ outputs }}', value: z.boolean() }
    expect(() => makeJudge({ ...ok, name: '' })).toThrow(
      'makeJudge: expected "name" to be a non-empty metric name, received ""',
    )
    expect(() => makeJudge({ ...ok, name: 'j', threshold: Number.NaN })).toThrow(
      'makeJudge "j": expected "threshold" to be a finite number, received NaN',
    )
    expect(() => makeJudge({ ...ok, name: 'j', model: ' ' })).toThrow(
      'expected "model" to be a model name',
    )
    expect(() => makeJudge({ ...ok, name: 'j', temperature: 0 } as never)).toThrow(
      'makeJudge "j": unknown option "temperature" (allowed: instructions, value, description, model, client, name, threshold, params, responseFormat)',
    )
  })
})

describe('makeJudge verdicts', () => {
  it('a numeric judge: the int schema goes into the response format; the value is the number', async () => {
    server.enqueue(verdict(4, 'Correct and concise.'))
    const fb = (await quality().score(ctx())) as Feedback
    expect(fb).toMatchObject({
      value: 4,
      rationale: 'Correct and concise.',
      source: { type: 'LLM_JUDGE', id: 'gpt-4.1-mini' },
    })
    const body = server.requests[0]!.body
    expect(body.response_format.json_schema.schema.properties.result).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 5,
    })
    const user: string = body.messages[1].content
    expect(user).toBe(
      'Rate how well <outputs>\n4\n</outputs> answers <inputs>\n{\n  "question": "What is 2 + 2?"\n}\n</inputs>.\n\nGive "result" as a whole number from 1 to 5.',
    )
  })

  it('threshold decides the row: 4 passes a threshold of 4, 3 fails it', async () => {
    server.enqueue(verdict(4), verdict(3))
    const row = { inputs: { question: 'q' }, outputs: 'a' }
    const pass = await runRow({ row, index: 0, scorers: [quality()] })
    const fail = await runRow({ row, index: 1, scorers: [quality()] })
    expect(pass.feedback[0]).toMatchObject({ name: 'response_quality', score: 4, passed: true })
    expect(fail.feedback[0]).toMatchObject({ name: 'response_quality', score: 3, passed: false })
  })

  it('a number out of range, or not whole, is a JUDGE_PARSE_ERROR', async () => {
    server.enqueue(verdict(7), verdict(3.5))
    const high = (await quality().score(ctx())) as Feedback
    const half = (await quality().score(ctx())) as Feedback
    expect(high.error?.code).toBe('JUDGE_PARSE_ERROR')
    expect(high.error?.message).toContain('"result": a whole number from 1 to 5')
    expect(high.error?.message).toContain('result: Too big: expected number to be <=5')
    expect(half.error?.code).toBe('JUDGE_PARSE_ERROR')
  })

  it('boolean and enum values', async () => {
    const cites = makeJudge({
      name: 'cites_source',
      instructions: 'Does {{outputs}} cite a source?',
      value: z.boolean(),
    })
    const tone = makeJudge({
      name: 'tone',
      instructions: 'Classify the tone of {{ outputs }}.',
      value: z.enum(['friendly', 'neutral', 'hostile']),
    })
    server.enqueue(verdict(false, 'no citation'), verdict('neutral', 'plain'))
    const row = { inputs: { q: 'q' }, outputs: 'The sky is blue.' }
    const r = await runRow({ row, index: 0, scorers: [cites] })
    const t = (await tone.score(ctx())) as Feedback
    expect(r.feedback[0]).toMatchObject({ value: false, score: 0, passed: false })
    expect(t.value).toBe('neutral')
    expect(server.requests[0]!.body.response_format.json_schema.schema.properties.result).toEqual({
      type: 'boolean',
    })
    expect(server.requests[1]!.body.messages[1].content).toContain(
      'Give "result" as one of "friendly", "neutral", "hostile".',
    )
  })

  it('content that contains "{{ inputs }}" is not substituted again', async () => {
    server.enqueue(verdict(5))
    await quality().score(ctx({ outputs: 'literally {{ inputs }}' }))
    const user: string = server.requests[0]!.body.messages[1].content
    expect(user).toContain('<outputs>\nliterally {{ inputs }}\n</outputs>')
    expect(user.match(/<inputs>/g)).toHaveLength(1)
  })

  it('{{ expectations }} and {{ trace }} with nothing in the row are JUDGE_MISSING_FIELD', async () => {
    const withExpectations = makeJudge({
      name: 'matches',
      instructions: 'Does {{ outputs }} match {{ expectations }}?',
      value: z.enum(['yes', 'no']),
    })
    const withTrace = makeJudge({
      name: 'efficient',
      instructions: 'Was {{ trace }} efficient?',
      value: z.enum(['yes', 'no']),
    })
    const e = (await withExpectations.score(ctx())) as Feedback
    const t = (await withTrace.score(ctx())) as Feedback
    expect(e.error).toEqual({
      code: 'JUDGE_MISSING_FIELD',
      message: 'evalgate: judge "matches" uses {{ expectations }}, but the row has no expectations',
    })
    expect(t.error?.code).toBe('JUDGE_MISSING_FIELD')
    expect(t.error?.message).toContain('uses {{ trace }}, but the row has no trace')
    expect(server.requests).toHaveLength(0)

    server.enqueue(verdict('yes'))
    const ok = (await withExpectations.score(
      ctx({ expectations: { expected_response: '4' } }),
    )) as Feedback
    expect(ok.value).toBe('yes')
    expect(server.requests[0]!.body.messages[1].content).toContain(
      '<expectations>\n{\n  "expected_response": "4"\n}\n</expectations>',
    )
  })
})
