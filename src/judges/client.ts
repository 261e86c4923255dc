import OpenAI from 'openai'

/**
 * The client a judge call uses: the one given (judge option or configureJudges), else one built
 * from `OPENAI_API_KEY` / `OPENAI_BASE_URL`, kept while those do not change. Without a key there
 * is no client: the caller turns the message into a `JUDGE_CONFIG_ERROR` Feedback.
 */
export function clientFor(
  given: OpenAI | undefined,
  judgeName: string,
): { client: OpenAI } | { problem: string } {
  if (given !== undefined) return { client: given }
  const apiKey = process.env.OPENAI_API_KEY?.trim()
  if (apiKey === undefined || apiKey === '') return { problem: missingKeyMessage(judgeName) }
  const baseURL = process.env.OPENAI_BASE_URL?.trim() || undefined
  const id = `${baseURL ?? ''}\n${apiKey}`
  if (envClient === undefined || envClient.id !== id) {
    // Our own retry loop decides retries; the SDK's would multiply attempts.
    envClient = { id, client: new OpenAI({ apiKey, baseURL, maxRetries: 0 }) }
  }
  return { client: envClient.client }
}

let envClient: { id: string; client: OpenAI } | undefined
const warned = new Set<string>()

function missingKeyMessage(judgeName: string): string {
  return (
    `evalgate: judge "${judgeName}" needs an OpenAI client: OPENAI_API_KEY is not set. ` +
    'Set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible server), ' +
    'or pass a client: configureJudges({ client: new OpenAI({ apiKey, baseURL }) }). ' +
    'To run offline from recorded responses, set EVALGATE_CACHE=replay.'
  )
}

/**
 * Logs a problem of one kind (a missing key, an unwritable cache) once per worker (every affected Feedback still carries it), so a
 * 500-row eval without a key prints one warning, not 500.
 */
export function warnOnce(kind: string, message: string): void {
  if (warned.has(kind)) return
  warned.add(kind)
  console.warn(message)
}

const REDACTED = '[redacted]'
const SECRET_SHAPES = [/(Bearer\s+)[^\s"',]+/gi, /\bsk-[A-Za-z0-9_-]{6,}/g]

/**
 * Removes API keys from a text that may end up in a Feedback, a log or the artifact: the
 * client's key and OPENAI_API_KEY verbatim, then anything shaped like a bearer token or an
 * OpenAI key (a server may echo the Authorization header in an error body).
 */
export function redact(text: string, client: OpenAI | undefined): string {
  let out = text
  const secrets = [process.env.OPENAI_API_KEY, keyOf(client)]
  for (const s of secrets) {
    if (typeof s === 'string' && s.trim().length >= 4) out = out.split(s.trim()).join(REDACTED)
  }
  for (const shape of SECRET_SHAPES) {
    out = out.replace(shape, (_m, prefix: unknown) =>
      typeof prefix === 'string' ? `${prefix}${REDACTED}` : REDACTED,
    )
  }
  return out
}

function keyOf(client: OpenAI | undefined): unknown {
  try {
    return (client as { apiKey?: unknown } | undefined)?.apiKey
  } catch {
    return undefined
  }
}

/** The server a client talks to, without any credentials in the URL, for error messages. */
export function serverOf(client: OpenAI): string {
  const raw = (client as { baseURL?: unknown }).baseURL
  if (typeof raw !== 'string') return 'the model server'
  try {
    const url = new URL(raw)
    url.username = ''
    url.password = ''
    url.search = ''
    return url.toString().replace(/\/$/, '')
  } catch {
    return 'the model server'
  }
}
