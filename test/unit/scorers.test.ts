import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runRow } from '../../src/core/run.js'
import type { Feedback, Scorer, ScorerContext } from '../../src/core/scorer.js'
import {
  exactMatch,
  includes,
  isJson,
  latency,
  levenshtein,
  matchesSchema,
  numericDiff,
  regex,
  retrievedDocumentRecall,
  toolCallTrajectory,
} from '../../src/scorers/index.js'
import { captureTrace, type Trace, type TraceJSON, traced } from '../../src/trace/index.js'

function ctx(outputs: unknown, expectations: Record<string, unknown> = {}, trace?: unknown) {
  return { inputs: {}, outputs, expectations, metadata: {}, trace } satisfies ScorerContext
}

async function score(s: Scorer, c: ScorerContext): Promise<Feedback> {
  return (await s.score(c)) as Feedback
}

/** Scores one row through runRow, so thrown errors become errored Feedback as in an eval. */
async function scoreRow(s: Scorer, row: Parameters<typeof runRow>[0]['row']) {
  const r = await runRow({ row, index: 0, scorers: [s] })
  return r.feedback[0]!
}

describe('exactMatch', () => {
  it('passes equal values and fails with both values and where they differ', async () => {
    const s = exactMatch()
    expect(s.name).toBe('exact_match')
    expect(await score(s, ctx('Paris', { expected_response: 'Paris' }))).toEqual({
      value: true,
      rationale: 'outputs equal expected_response',
    })
    expect(await score(s, ctx('Parus', { expected_response: 'Paris' }))).toEqual({
      value: false,
      rationale:
        'outputs "Parus" differ from expected_response "Paris" (first difference at character 3)',
    })
  })

  it('compares non-strings structurally; options trim and ignore case', async () => {
    const s = exactMatch()
    expect(
      (await score(s, ctx({ a: 1, b: [2] }, { expected_response: { b: [2], a: 1 } }))).value,
    ).toBe(true)
    expect(await score(s, ctx({ a: 1 }, { expected_response: { a: 2 } }))).toEqual({
      value: false,
      rationale: 'outputs an object {"a":1} differ from expected_response an object {"a":2}',
    })
    const loose = exactMatch({ caseSensitive: false, trim: true, name: 'loose' })
    expect((await score(loose, ctx('  paris\n', { expected_response: 'Paris' }))).value).toBe(true)
  })

  it('a row without expected_response is an errored Feedback naming it', async () => {
    const fb = await scoreRow(exactMatch(), { inputs: {}, outputs: 'x', expectations: { foo: 1 } })
    expect(fb.error).toMatchObject({
      code: 'SCORER_ERROR',
      message:
        'evalgate: scorer "exact_match" needs expectations.expected_response, and the row has none (expectations: foo)',
    })
  })

  it('rejects unknown options', () => {
    expect(() => exactMatch({ trimmed: true } as never)).toThrow(
      'evalgate: exactMatch(): unknown option "trimmed" (allowed: name, caseSensitive, trim)',
    )
  })
})

describe('includes', () => {
  it('passes when every substring is there, and names the missing ones', async () => {
    const s = includes(['30 days', 'receipt'])
    expect(await score(s, ctx('Refunds within 30 days with a receipt.'))).toEqual({
      value: true,
      rationale: 'contains "30 days", "receipt"',
    })
    expect(await score(s, ctx('Refunds within 30 days.'))).toEqual({
      value: false,
      rationale: 'outputs do not contain "receipt" (1 of 2 found)',
    })
  })

  it("reads expectations.expected_response by default; mode 'any' and case", async () => {
    const s = includes(undefined, { caseSensitive: false })
    expect((await score(s, ctx('It is PARIS.', { expected_response: 'paris' }))).value).toBe(true)
    const any = includes(['cat', 'dog'], { mode: 'any' })
    expect(await score(any, ctx('a bird'))).toEqual({
      value: false,
      rationale: 'outputs contain none of "cat", "dog"',
    })
    expect(await score(any, ctx('a dog'))).toEqual({ value: true, rationale: 'contains "dog"' })
    expect(() => includes([])).toThrow(
      'evalgate: includes(): expected the first argument to be a string or a non-empty array of strings, received an array of length 0',
    )
  })
})

describe('regex', () => {
  it('passes on a match and fails naming the pattern', async () => {
    const s = regex(/order #\d+/i)
    expect(s.name).toBe('regex_match')
    expect(await score(s, ctx('See ORDER #42.'))).toEqual({
      value: true,
      rationale: 'matched "ORDER #42" at character 4',
    })
    expect(await score(s, ctx('no order here'))).toEqual({
      value: false,
      rationale: 'outputs "no order here" do not match /order #\\d+/i',
    })
  })

  it('a global RegExp matches every row afresh; bad patterns are rejected', async () => {
    const s = regex(/\d/g)
    expect((await score(s, ctx('a1'))).value).toBe(true)
    expect((await score(s, ctx('b2'))).value).toBe(true)
    expect(() => regex('(')).toThrow('evalgate: regex(): "(" is not a valid regular expression')
  })
})

describe('isJson', () => {
  it('passes JSON text and fails other text with the parse error', async () => {
    const s = isJson()
    expect(await score(s, ctx('{"a":[1,2]}'))).toEqual({
      value: true,
      rationale: 'outputs parse as JSON',
    })
    const fb = await score(s, ctx('{"a":'))
    expect(fb.value).toBe(false)
    expect(fb.rationale).toMatch(/^outputs are not valid JSON: /)
    expect(await score(s, ctx({ a: 1 }))).toEqual({
      value: false,
      rationale: 'outputs are an object {"a":1}, not a string of JSON text',
    })
  })
})

describe('matchesSchema', () => {
  const schema = z.object({ answer: z.string(), sources: z.array(z.string()).min(1) })

  it('passes a matching object or JSON text, and lists the issues when it fails', async () => {
    const s = matchesSchema(schema)
    expect(await score(s, ctx({ answer: 'Paris', sources: ['wiki'] }))).toEqual({
      value: true,
      rationale: 'outputs match the schema',
    })
    expect(await score(s, ctx('{"answer":"Paris","sources":["wiki"]}'))).toEqual({
      value: true,
      rationale: 'outputs (parsed as JSON) match the schema',
    })
    expect(await score(s, ctx('{"answer":"Paris","sources":[]}'))).toEqual({
      value: false,
      rationale:
        'outputs parsed as JSON: 1 issue: "sources": Too small: expected array to have >=1 items',
    })
    expect(await score(s, ctx({ answer: 3 }))).toEqual({
      value: false,
      rationale:
        'outputs an object {"answer":3}: 2 issues: "answer": Invalid input: expected string, received number; "sources": Invalid input: expected array, received undefined',
    })
  })

  it('rejects something that is not a schema', () => {
    expect(() => matchesSchema({} as never)).toThrow(
      'evalgate: matchesSchema(): expected a schema with "~standard.validate" (zod, valibot, arktype, ...), received an object {}',
    )
  })
})

describe('levenshtein', () => {
  it('scores normalised similarity and says how far it is below the threshold', async () => {
    const s = levenshtein({ threshold: 0.8 })
    expect(s.threshold).toBe(0.8)
    expect(await score(s, ctx('kitten', { expected_response: 'kitten' }))).toEqual({
      value: 1,
      rationale: 'edit distance 0 over 6 characters: similarity 1',
    })
    const fb = await score(s, ctx('kitten', { expected_response: 'sitting' }))
    expect(fb.value).toBeCloseTo(1 - 3 / 7, 10)
    expect(fb.rationale).toBe(
      'edit distance 3 over 7 characters: similarity 0.571, below threshold 0.8',
    )
  })

  it('fails the row below the threshold through runRow, and counts code points', async () => {
    const fb = await scoreRow(levenshtein({ threshold: 0.8 }), {
      inputs: {},
      outputs: 'kitten',
      expectations: { expected_response: 'sitting' },
    })
    expect(fb).toMatchObject({ passed: false, score: expect.closeTo(0.571, 3) })
    const emoji = await score(levenshtein(), ctx('😀a', { expected_response: '😀b' }))
    expect(emoji.value).toBe(0.5)
    expect((await score(levenshtein(), ctx('', { expected_response: '' }))).value).toBe(1)
    const ci = levenshtein({ caseSensitive: false })
    expect((await score(ci, ctx('ABC', { expected_response: 'abc' }))).value).toBe(1)
  })
})

describe('numericDiff', () => {
  it('without a tolerance the value is the difference', async () => {
    const s = numericDiff()
    expect(await score(s, ctx('41', { expected_response: 42.5 }))).toEqual({
      value: 1.5,
      rationale: '|41 - 42.5| = 1.5',
    })
    const rel = numericDiff({ relative: true })
    expect((await score(rel, ctx(90, { expected_response: 100 }))).value).toBeCloseTo(0.1)
  })

  it('with a tolerance it passes within it and fails beyond, saying by how much', async () => {
    const s = numericDiff({ tolerance: 0.5 })
    expect(await score(s, ctx(42.4, { expected_response: '42.5' }))).toEqual({
      value: true,
      rationale: expect.stringMatching(/^\|42\.4 - 42\.5\| = 0\.1\d*, within the tolerance 0\.5$/),
    })
    expect(await score(s, ctx(' 41 ', { expected_response: 42.5 }))).toEqual({
      value: false,
      rationale: '|41 - 42.5| = 1.5, more than the tolerance 0.5',
    })
  })

  it('outputs that are not a number are an errored Feedback', async () => {
    const fb = await scoreRow(numericDiff(), {
      inputs: {},
      outputs: 'about forty',
      expectations: { expected_response: 42 },
    })
    expect(fb.error?.message).toBe(
      'evalgate: scorer "numeric_diff": the outputs are not a number, received "about forty"',
    )
    expect(() => numericDiff({ tolerance: -1 })).toThrow(
      'evalgate: numericDiff(): expected "tolerance" to be a finite number >= 0, received -1',
    )
  })
})

// A deterministic little agent whose calls depend on the question.
const getOrder = traced('get_order', async (args: { id: string }) => ({ ...args, ok: true }), {
  type: 'TOOL',
})
const searchDocs = traced(
  'search_docs',
  async (query: string) =>
    query.includes('refund')
      ? [{ id: 'refund-policy', text: '30 days' }, { metadata: { doc_uri: 'faq#returns' } }]
      : ['shipping-times'],
  { type: 'RETRIEVER' },
)
const refund = traced('refund', async (args: { id: string; amount: number }) => args, {
  type: 'TOOL',
})

async function agentTrace(
  calls: Array<'order' | 'search' | 'refund'>,
  query = 'refund',
): Promise<Trace> {
  const { trace } = await captureTrace(async () => {
    for (const c of calls) {
      if (c === 'order') await getOrder({ id: '42' })
      if (c === 'search') await searchDocs(query)
      if (c === 'refund') await refund({ id: '42', amount: 10 })
    }
  })
  return trace
}

describe('toolCallTrajectory', () => {
  const expected = { tool_calls: ['get_order', { name: 'refund', args: { id: '42' } }] }

  it('strict: passes the same calls in order, fails naming the first wrong call', async () => {
    const s = toolCallTrajectory()
    expect(s.name).toBe('tool_call_trajectory')
    const good = await agentTrace(['order', 'search', 'refund'])
    expect(await score(s, ctx(null, expected, good))).toEqual({
      value: true,
      rationale:
        'strict: the calls match in order; made: get_order({"id":"42"}), refund({"id":"42","amount":10}); expected: get_order, refund({"id":"42"})',
    })
    const swapped = await agentTrace(['refund', 'order'])
    expect(await score(s, ctx(null, expected, swapped))).toEqual({
      value: false,
      rationale:
        'strict: call 1 is refund({"id":"42","amount":10}), expected get_order; made: refund({"id":"42","amount":10}), get_order({"id":"42"}); expected: get_order, refund({"id":"42"})',
    })
    const short = await agentTrace(['order'])
    expect((await score(s, ctx(null, expected, short))).rationale).toMatch(
      /^strict: call 2 is missing, expected refund\(\{"id":"42"\}\);/,
    )
  })

  it('unordered, superset and subset', async () => {
    const swapped = await agentTrace(['refund', 'order'])
    const extra = await agentTrace(['order', 'order', 'refund'])
    const partial = await agentTrace(['order'])
    const unordered = toolCallTrajectory({ mode: 'unordered' })
    const superset = toolCallTrajectory({ mode: 'superset' })
    const subset = toolCallTrajectory({ mode: 'subset' })
    expect((await score(unordered, ctx(null, expected, swapped))).value).toBe(true)
    expect(await score(unordered, ctx(null, expected, extra))).toMatchObject({
      value: false,
      rationale: expect.stringMatching(/^unordered: unexpected get_order\(\{"id":"42"\}\); made:/),
    })
    expect((await score(superset, ctx(null, expected, extra))).value).toBe(true)
    expect(await score(superset, ctx(null, expected, partial))).toMatchObject({
      value: false,
      rationale: expect.stringMatching(/^superset: missing refund\(\{"id":"42"\}\); made:/),
    })
    expect((await score(subset, ctx(null, expected, partial))).value).toBe(true)
    expect(await score(subset, ctx(null, { tool_calls: ['get_order'] }, swapped))).toMatchObject({
      value: false,
      rationale: expect.stringMatching(/^subset: unexpected refund/),
    })
  })

  it('compares args as a subset by default, exactly with args: exact, not at all with ignore', async () => {
    const t = await agentTrace(['refund'])
    const wrongId = { tool_calls: [{ name: 'refund', args: { id: '7' } }] }
    const exactArgs = { tool_calls: [{ name: 'refund', args: { id: '42' } }] }
    expect((await score(toolCallTrajectory(), ctx(null, wrongId, t))).value).toBe(false)
    expect((await score(toolCallTrajectory(), ctx(null, exactArgs, t))).value).toBe(true)
    expect(
      (await score(toolCallTrajectory({ args: 'exact' }), ctx(null, exactArgs, t))).value,
    ).toBe(false)
    expect((await score(toolCallTrajectory({ args: 'ignore' }), ctx(null, wrongId, t))).value).toBe(
      true,
    )
  })

  it('works on a stored trace (JSON) and errors clearly without a trace or tool_calls', async () => {
    const json = JSON.parse(JSON.stringify((await agentTrace(['order'])).toJSON())) as TraceJSON
    expect(
      (await score(toolCallTrajectory(), ctx(null, { tool_calls: ['get_order'] }, json))).value,
    ).toBe(true)
    // A row without a trace gets a minimal one in runRow (MLflow parity); a context without any
    // trace, or a row whose stored "trace" is not a trace, is a clear error.
    await expect(score(toolCallTrajectory(), ctx('x', { tool_calls: [] }))).rejects.toThrow(
      'evalgate: scorer "tool_call_trajectory" needs the row\'s trace: describeEval records one when the eval has a task, and a stored row carries it in "trace"; received undefined',
    )
    const notATrace = await scoreRow(toolCallTrajectory(), {
      inputs: {},
      outputs: 'x',
      expectations: { tool_calls: [] },
      trace: 'no trace here',
    })
    expect(notATrace.error?.message).toBe(
      'evalgate: scorer "tool_call_trajectory" needs the row\'s trace: describeEval records one when the eval has a task, and a stored row carries it in "trace"; received "no trace here"',
    )
    await expect(score(toolCallTrajectory(), ctx(null, { tool_calls: [3] }, json))).rejects.toThrow(
      'evalgate: scorer "tool_call_trajectory": expected expectations.tool_calls to be an array of tool names or { name, args? } objects; entry 0 is 3',
    )
    expect(() => toolCallTrajectory({ mode: 'loose' } as never)).toThrow(
      "evalgate: toolCallTrajectory(): expected \"mode\" to be one of 'strict', 'unordered', 'subset', 'superset', received \"loose\"",
    )
  })

  it('finds a matching when a greedy pairing would not (unordered, args)', async () => {
    const { trace } = await captureTrace(async () => {
      await getOrder({ id: '1' })
      await getOrder({ id: '2' })
    })
    // The first expected call fits both actual calls; the second only the first one.
    const exp = { tool_calls: [{ name: 'get_order' }, { name: 'get_order', args: { id: '1' } }] }
    expect(
      (await score(toolCallTrajectory({ mode: 'unordered' }), ctx(null, exp, trace))).value,
    ).toBe(true)
  })
})

describe('retrievedDocumentRecall', () => {
  it('is the share of relevant documents retrieved, naming the missing ones', async () => {
    const s = retrievedDocumentRecall({ threshold: 1 })
    const t = await agentTrace(['search'])
    expect(
      await score(s, ctx(null, { relevant_document_ids: ['refund-policy', 'faq#returns'] }, t)),
    ).toEqual({
      value: 1,
      rationale: '2 of 2 relevant documents retrieved by 1 RETRIEVER span(s)',
    })
    expect(
      await score(s, ctx(null, { relevant_document_ids: ['refund-policy', 'warranty'] }, t)),
    ).toEqual({
      value: 0.5,
      rationale: '1 of 2 relevant documents retrieved by 1 RETRIEVER span(s); missing: "warranty"',
    })
    const fb = await scoreRow(s, {
      inputs: {},
      outputs: 'x',
      expectations: { relevant_document_ids: ['warranty', 'refund-policy'] },
      trace: t,
    })
    expect(fb).toMatchObject({ score: 0.5, passed: false })
  })

  it('a trace without a RETRIEVER span retrieved nothing: recall 0', async () => {
    const t = await agentTrace(['order'])
    expect(
      await score(retrievedDocumentRecall(), ctx(null, { relevant_document_ids: [1] }, t)),
    ).toEqual({
      value: 0,
      rationale: 'the trace has no RETRIEVER span, so nothing was retrieved; missing: "1"',
    })
    await expect(
      score(retrievedDocumentRecall(), ctx(null, { relevant_document_ids: [] }, t)),
    ).rejects.toThrow(
      'evalgate: scorer "retrieved_document_recall": expected expectations.relevant_document_ids to be a non-empty array of ids (strings or numbers), received an array of length 0',
    )
  })
})

describe('latency', () => {
  const json = (durations: number[]): TraceJSON => ({
    traceId: 't',
    spans: [
      {
        spanId: 'root',
        parentId: null,
        name: 'agent',
        type: 'AGENT',
        startMs: 0,
        endMs: 3000,
        inputs: {},
        outputs: 'x',
        attributes: {},
        status: { code: 'OK', message: null },
      },
      ...durations.map((d, i) => ({
        spanId: `llm${i}`,
        parentId: 'root',
        name: `llm_${i}`,
        type: 'CHAT_MODEL',
        startMs: 10 * i,
        endMs: 10 * i + d,
        inputs: null,
        outputs: null,
        attributes: {},
        status: { code: 'OK' as const, message: null },
      })),
    ],
  })

  it('times the root span, or the spans a filter picks, in milliseconds', async () => {
    expect(await score(latency(), ctx(null, {}, json([])))).toEqual({
      value: 3000,
      rationale: '1 root span(s): 3000 ms total, slowest "agent" 3000 ms',
    })
    expect(
      await score(latency({ span: { type: 'CHAT_MODEL' } }), ctx(null, {}, json([100, 250]))),
    ).toEqual({
      value: 350,
      rationale: '2 CHAT_MODEL span(s): 350 ms total, slowest "llm_1" 250 ms',
    })
  })

  it('with maxMs it passes when every span is within it and names the slow ones', async () => {
    const s = latency({ maxMs: 200, span: { type: 'CHAT_MODEL' } })
    expect(await score(s, ctx(null, {}, json([100, 150])))).toEqual({
      value: true,
      rationale: 'every CHAT_MODEL span (2) took at most 200 ms',
    })
    expect(await score(s, ctx(null, {}, json([100, 250])))).toEqual({
      value: false,
      rationale: '1 of 2 CHAT_MODEL span(s) over 200 ms: "llm_1" 250 ms',
    })
  })

  it('no matching span, or one that never ended, is an errored Feedback', async () => {
    await expect(
      score(latency({ span: { type: 'TOOL' } }), ctx(null, {}, json([]))),
    ).rejects.toThrow('evalgate: scorer "latency": the trace has no TOOL span to time')
    const open = json([10])
    open.spans[1]!.endMs = null
    await expect(
      score(latency({ span: { type: 'CHAT_MODEL' } }), ctx(null, {}, open)),
    ).rejects.toThrow('evalgate: scorer "latency": span "llm_0" never ended, so it has no duration')
  })
})
