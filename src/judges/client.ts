import type OpenAI from 'openai'

/** The `openai` module's default export: the client class with the SDK's error classes. */
export type OpenAIModule = typeof OpenAI

let sdk: Promise<OpenAIModule> | undefined

/**
 * Loads the `openai` SDK, once, when a request must be sent: `import 'evalgate/judges'` and
 * replaying from the cache need no SDK. Throws an Error saying `npm install openai` when it
 * is not installed.
 */
export function loadSdk(): Promise<OpenAIModule> {
  sdk ??= import('openai').then(
    (m) => (m as { default?: OpenAIModule }).default ?? (m as unknown as OpenAIModule),
    (error: unknown) => {
      sdk = undefined
      const said = error instanceof Error ? error.message : String(error)
      throw new Error(
        `judges need the "openai" package to call a model, and it could not be loaded (${said}); install it with: npm install openai`,
      )
    },
  )
  return sdk
}

/**
 * The client a judge call uses: the one given (judge option or configureJudges), else one built
 * from `OPENAI_API_KEY` / `OPENAI_BASE_URL`, kept while those do not change. Without a key there
 * is no client (`{ noKey }`): the caller then runs from the cache only. Without the SDK,
 * `{ problem }` says to install it.
 */
export async function clientFor(
  given: OpenAI | undefined,
): Promise<{ client: OpenAI } | { noKey: true } | { problem: string }> {
  if (given !== undefined) {
    rememberSecret(keyOf(given))
    return { client: given }
  }
  const apiKey = envApiKey()
  if (apiKey === undefined) return { noKey: true }
  rememberSecret(apiKey)
  const baseURL = process.env.OPENAI_BASE_URL?.trim() || undefined
  const id = `${baseURL ?? ''}\n${apiKey}`
  if (envClient === undefined || envClient.id !== id) {
    let Sdk: OpenAIModule
    try {
      Sdk = await loadSdk()
    } catch (error) {
      return { problem: (error as Error).message }
    }
    // Our own retry loop decides retries; the SDK's would multiply attempts.
    envClient = { id, client: new Sdk({ apiKey, baseURL, maxRetries: 0 }) }
  }
  return { client: envClient.client }
}

/** `OPENAI_API_KEY`, trimmed; `undefined` when it is unset or blank (then there is no key). */
export function envApiKey(): string | undefined {
  const key = process.env.OPENAI_API_KEY?.trim()
  return key === undefined || key === '' ? undefined : key
}

let envClient: { id: string; client: OpenAI } | undefined
const warned = new Set<string>()

/**
 * The one explanation of running without a key, printed once per worker; each row's
 * `JUDGE_CACHE_MISS` points to it with {@link NO_KEY_SHORT}.
 */
export const NO_KEY_MESSAGE =
  'evalgate: judges have no OpenAI client: OPENAI_API_KEY is not set, and no client was given. ' +
  'They answer from the judge cache only; a row with no recorded response is a JUDGE_CACHE_MISS. ' +
  'To call a model, set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible server) ' +
  'or pass a client: configureJudges({ client: new OpenAI({ apiKey, baseURL }) }).'

/** The per-row pointer to {@link NO_KEY_MESSAGE}. */
export const NO_KEY_SHORT =
  'no cached response and no OPENAI_API_KEY (set OPENAI_API_KEY to call the model; see the warning "judges have no OpenAI client" printed once)'

/**
 * Logs a problem of one kind (a missing key, an unwritable cache) once per worker (every affected Feedback still carries it), so a
 * 500-row eval without a key prints one warning, not 500. Redacted like every judge message.
 */
export function warnOnce(kind: string, message: string): void {
  if (warned.has(kind)) return
  warned.add(kind)
  console.warn(redact(message))
}

const REDACTED = '[redacted]'
const SECRET_SHAPES = [/(Bearer\s+)[^\s"',]+/gi, /\bsk-[A-Za-z0-9_-]{6,}/g]
const secrets = new Set<string>()

function rememberSecret(key: unknown): void {
  if (typeof key === 'string' && key.trim().length >= 4) secrets.add(key.trim())
}

/**
 * Removes API keys from a text that may end up in a Feedback, a log, the cache or the artifact:
 * OPENAI_API_KEY and the key of every client a judge has used verbatim (a client passed here is
 * remembered too), then anything shaped like a bearer token or an OpenAI key (a server may echo
 * the Authorization header in an error body).
 */
export function redact(text: string, client?: OpenAI): string {
  if (client !== undefined) rememberSecret(keyOf(client))
  let out = text
  const env = process.env.OPENAI_API_KEY?.trim()
  for (const s of env !== undefined && env.length >= 4 ? [env, ...secrets] : secrets) {
    out = out.split(s).join(REDACTED)
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
