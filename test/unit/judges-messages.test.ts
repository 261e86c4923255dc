import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  errorReply,
  type OpenAIServer,
  startOpenAIServer,
} from '../../fixtures/openai-server/server.mjs'
import type { Feedback } from '../../src/core/scorer.js'
import { configureJudges, safety } from '../../src/judges/index.js'

// What a judge's HTTP failure says: one cause, said once, in plain words, and never the key.

const KEY = 'sk-evalgate-unit-SECRET-93b1d0c4aa'
let server: OpenAIServer

function configure(baseURL = server.baseURL, maxRetries = 0): void {
  const client = new OpenAI({ apiKey: KEY, baseURL })
  configureJudges({ client, cache: { mode: 'off' }, maxRetries })
}

async function failure(): Promise<{ code: string; message: string }> {
  const fb = (await safety().score({
    inputs: { q: 'hi' },
    outputs: 'Hello there.',
    expectations: {},
    trace: undefined,
    metadata: {},
  })) as Feedback
  expect(fb.error).not.toBeNull()
  return fb.error as { code: string; message: string }
}

const WHO = 'evalgate: judge "safety" (model gpt-4.1-mini)'

beforeAll(async () => {
  server = await startOpenAIServer()
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.reset()
  configure()
})
afterEach(() => {
  vi.unstubAllEnvs()
  configureJudges()
})

describe('judge HTTP failure messages', () => {
  it('a refused connection names the server and the cause chain once, without doubled punctuation', async () => {
    const gone = await startOpenAIServer()
    const deadURL = gone.baseURL
    await gone.close()
    configure(deadURL, 1)
    const error = await failure()
    expect(error.code).toBe('JUDGE_HTTP_ERROR')
    expect(error.message).toBe(
      `${WHO}: could not connect to ${deadURL} (fetch failed: connect ECONNREFUSED 127.0.0.1:${new URL(deadURL).port}) after 2 attempts`,
    )
  })

  it('a connection that fails on every address of a host lists each address once', async () => {
    // What undici throws when `localhost` resolves to ::1 and 127.0.0.1 and both refuse; this
    // machine's resolver may give one address, so the network layer is replayed through `fetch`.
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' })
    const fetch = async () => {
      const both = new AggregateError([refused('::1:8080'), refused('127.0.0.1:8080')], '')
      throw new TypeError('fetch failed', { cause: both })
    }
    const client = new OpenAI({ apiKey: KEY, baseURL: 'http://localhost:8080/v1', fetch })
    configureJudges({ client, cache: { mode: 'off' }, maxRetries: 0 })
    const error = await failure()
    expect(error.message).toBe(
      `${WHO}: could not connect to http://localhost:8080/v1 (fetch failed: connect ECONNREFUSED ::1:8080; connect ECONNREFUSED 127.0.0.1:8080) after 1 attempt`,
    )
  })

  it("an HTTP error says its status once, then the server's own message", async () => {
    server.setRespond(() => errorReply(401, 'Incorrect API key provided: sk-evalg*****aa.'))
    const error = await failure()
    expect(error.message).toBe(
      `${WHO}: ${server.baseURL} answered HTTP 401: Incorrect API key provided: sk-evalg*****aa. (1 attempt; not retried)`,
    )
  })

  it('keeps the key redacted when the server echoes it', async () => {
    server.setRespond(() => errorReply(401, `Incorrect API key provided: ${KEY}`))
    const error = await failure()
    expect(error.message).toBe(
      `${WHO}: ${server.baseURL} answered HTTP 401: Incorrect API key provided: [redacted] (1 attempt; not retried)`,
    )
  })

  it('an error reply without a message says so, without the SDK\'s "status code (no body)"', async () => {
    server.setRespond(() => ({ status: 404, body: { detail: 'Not Found' } }))
    const error = await failure()
    expect(error.message).toBe(
      `${WHO}: ${server.baseURL} answered HTTP 404 with no error message (1 attempt; not retried)`,
    )
    server.setRespond(() => ({ status: 403, body: '' }))
    expect((await failure()).message).toBe(
      `${WHO}: ${server.baseURL} answered HTTP 403 with no error message (1 attempt; not retried)`,
    )
  })

  it('redacts a key before cutting a long message, so no piece of it is left', async () => {
    // A key of no known shape (a local gateway's token): only the verbatim match removes it.
    const token = 'gateway-token-7f3e9a1c5b2d8e4f6a0b'
    const client = new OpenAI({ apiKey: token, baseURL: server.baseURL })
    configureJudges({ client, cache: { mode: 'off' }, maxRetries: 0 })
    const filler = 'x'.repeat(180)
    server.setRespond(() => errorReply(403, `${filler} token ${token} is not allowed`))
    const error = await failure()
    // The key straddles the cut: cutting first would leave its start in the message.
    expect(error.message).not.toContain('gateway-')
    const said = `${filler} token [redacted] is not allowed`.slice(0, 199)
    expect(error.message).toBe(
      `${WHO}: ${server.baseURL} answered HTTP 403: ${said}… (1 attempt; not retried)`,
    )
  })

  it('a text error page is quoted on one line, cut when long', async () => {
    const page = `<html>\n  <body>\n    <h1>400 Bad Request</h1>\n${'    <p>filler</p>\n'.repeat(40)}  </body>\n</html>`
    server.setRespond(() => ({ status: 400, body: page, contentType: 'text/html' }))
    const error = await failure()
    const oneLine = page.replace(/\s+/g, ' ')
    expect(error.message).toBe(
      `${WHO}: ${server.baseURL} answered HTTP 400: ${oneLine.slice(0, 199)}… (1 attempt; not retried)`,
    )
  })
})
