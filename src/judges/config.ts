import path from 'node:path'
import type OpenAI from 'openai'
import { describeValue, EvalgateError } from '../base/errors.js'
import { hostRootOf } from '../base/host-root.js'
import type { ModelPrice } from './prices.js'

/**
 * How judges use the on-disk cache of judge responses:
 * - `auto`: read a cached response when there is one, else call the model and write it;
 * - `off`: never read nor write;
 * - `replay`: read only; a miss is a `JUDGE_CACHE_MISS` errored Feedback (offline CI);
 * - `record`: always call the model, and write (refreshes the cache).
 *
 * @example
 * ```ts
 * const mode: CacheMode = process.env.CI ? 'replay' : 'auto'
 * ```
 */
export type CacheMode = 'auto' | 'off' | 'replay' | 'record'

/**
 * The cache modes, in the order error messages list them.
 *
 * @example
 * ```ts
 * CACHE_MODES.includes(process.env.EVALGATE_CACHE as CacheMode)
 * ```
 */
export const CACHE_MODES: readonly CacheMode[] = ['auto', 'off', 'replay', 'record']

/**
 * The judges' configuration in this worker (see {@link configureJudges}). Every field is
 * optional; what is not given comes from the environment, then the defaults.
 *
 * @example
 * ```ts
 * const config: JudgeConfig = { model: 'gpt-4.1-mini', concurrency: 8, cache: { mode: 'replay' } }
 * ```
 */
export interface JudgeConfig {
  /** Default `EVALGATE_JUDGE_MODEL`, else `gpt-4.1-mini`. */
  model?: string
  /** An `openai` client (any OpenAI-compatible server). Default: one built from `OPENAI_API_KEY` and `OPENAI_BASE_URL`. */
  client?: OpenAI
  /** Judge HTTP requests in flight at once in this worker, all judges together. Default 8. */
  concurrency?: number
  /** Retries after the first attempt, on 429, 5xx, timeouts and connection errors. Default 4. */
  maxRetries?: number
  /** Per HTTP attempt, in ms. Default 60 000. */
  timeoutMs?: number
  cache?: {
    /**
     * Default `EVALGATE_CACHE_DIR`, else `.evalgate/cache`; a relative path is relative to the
     * host's root (the Vitest root, Jest's rootDir), as datasets and the report are.
     */
    dir?: string
    /** Default `EVALGATE_CACHE`, else `auto`. */
    mode?: CacheMode
  }
  /** USD per 1M tokens, by model name; adds to and overrides the built-in price table. */
  prices?: Record<string, ModelPrice>
  /**
   * Chat Completions fields sent with every judge request (`temperature`, `seed`,
   * `max_tokens`, ...); a judge's own `params` add to and override these. Part of the cache key.
   */
  params?: JudgeParams
  /**
   * How the verdict is asked for: `json_schema` (default; strict structured outputs),
   * `json_object` (JSON mode) or `text` (no response format), for servers without structured
   * outputs. The last two parse the reply tolerantly (JSON in a code fence, or after prose) and
   * still validate it against the verdict schema.
   */
  responseFormat?: JudgeResponseFormat
}

/**
 * Extra Chat Completions request fields for judges (`temperature`, `seed`, `max_tokens`, ...).
 *
 * @example
 * ```ts
 * const params: JudgeParams = { temperature: 0, seed: 7, max_tokens: 400 }
 * ```
 */
export type JudgeParams = Record<string, unknown>

/**
 * How a judge asks for its verdict (see {@link JudgeConfig.responseFormat}).
 *
 * @example
 * ```ts
 * const format: JudgeResponseFormat = 'json_object'
 * ```
 */
export type JudgeResponseFormat = 'json_schema' | 'json_object' | 'text'

/**
 * The response formats, in the order error messages list them.
 *
 * @example
 * ```ts
 * RESPONSE_FORMATS.includes('text') // true
 * ```
 */
export const RESPONSE_FORMATS: readonly JudgeResponseFormat[] = [
  'json_schema',
  'json_object',
  'text',
]

/** Request fields judges set themselves: `params` may not override them. */
const RESERVED_PARAMS = ['model', 'messages', 'response_format', 'stream', 'n']

/**
 * Throws an EvalgateError naming the field when `params` is not a JSON object of request
 * fields, or sets one judges set themselves.
 */
export function checkParams(where: string, params: unknown): void {
  if (params === undefined) return
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new EvalgateError(
      `${where}: expected "params" to be an object of Chat Completions fields ({ temperature, seed, max_tokens, ... }), received ${describeValue(params)}`,
    )
  }
  for (const [key, value] of Object.entries(params)) {
    if (RESERVED_PARAMS.includes(key)) {
      throw new EvalgateError(
        `${where}: "params.${key}" is set by the judge itself and cannot be given (reserved: ${RESERVED_PARAMS.join(', ')}; use "model" and "responseFormat" options)`,
      )
    }
    if (!isJson(value, 0)) {
      throw new EvalgateError(
        `${where}: expected "params.${key}" to be a JSON value (it is sent and is part of the cache key), received ${describeValue(value)}`,
      )
    }
  }
}

/** JSON as sent: null, booleans, strings, finite numbers, arrays and plain objects of them. */
function isJson(v: unknown, depth: number): boolean {
  if (depth > 20) return false
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true
  if (typeof v === 'number') return Number.isFinite(v)
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1))
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.values(v).every((x) => isJson(x, depth + 1))
  }
  return false
}

/** Throws an EvalgateError naming the field when `responseFormat` is not one of the formats. */
export function checkResponseFormat(where: string, format: unknown): void {
  if (format !== undefined && !RESPONSE_FORMATS.includes(format as JudgeResponseFormat)) {
    throw new EvalgateError(
      `${where}: expected "responseFormat" to be one of ${RESPONSE_FORMATS.join(', ')}, received ${describeValue(format)}`,
    )
  }
}

/**
 * The judge model when neither the judge, `configureJudges` nor `EVALGATE_JUDGE_MODEL` names one.
 *
 * @example
 * ```ts
 * const model = process.env.EVALGATE_JUDGE_MODEL ?? DEFAULT_JUDGE_MODEL // 'gpt-4.1-mini'
 * ```
 */
export const DEFAULT_JUDGE_MODEL = 'gpt-4.1-mini'
/**
 * Judge HTTP requests in flight at once in one worker when `configureJudges` sets no
 * `concurrency`.
 *
 * @example
 * ```ts
 * configureJudges({ concurrency: DEFAULT_JUDGE_CONCURRENCY * 2 })
 * ```
 */
export const DEFAULT_JUDGE_CONCURRENCY = 8
const DEFAULT_MAX_RETRIES = 4
const DEFAULT_TIMEOUT_MS = 60_000
const DEFAULT_CACHE_DIR = '.evalgate/cache'

const CONFIG_KEYS = [
  'model',
  'client',
  'concurrency',
  'maxRetries',
  'timeoutMs',
  'cache',
  'prices',
  'params',
  'responseFormat',
]
const CACHE_KEYS = ['dir', 'mode']

let current: JudgeConfig = {}

function fail(message: string): never {
  throw new EvalgateError(`configureJudges: ${message}`)
}

function checkInt(key: string, v: unknown, min: number): void {
  if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= min)) {
    fail(`expected "${key}" to be a whole number from ${min} and up, received ${describeValue(v)}`)
  }
}

/** Throws an EvalgateError naming the field when a client does not look like an `openai` client. */
export function checkClient(where: string, client: unknown): void {
  const create = (client as { chat?: { completions?: { create?: unknown } } } | null)?.chat
    ?.completions?.create
  if (typeof create !== 'function') {
    throw new EvalgateError(
      `${where}: expected "client" to be an OpenAI client (new OpenAI({ ... }) from the "openai" package), received ${describeValue(client)}`,
    )
  }
}

function checkPrices(prices: unknown): void {
  if (typeof prices !== 'object' || prices === null || Array.isArray(prices)) {
    fail(
      `expected "prices" to be { [model]: { input, output } }, received ${describeValue(prices)}`,
    )
  }
  for (const [model, p] of Object.entries(prices)) {
    const price = p as Partial<ModelPrice> | null
    const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0
    if (typeof price !== 'object' || price === null || !ok(price.input) || !ok(price.output)) {
      fail(
        `expected prices["${model}"] to be { input, output } in USD per 1M tokens (numbers >= 0), received ${describeValue(p)}`,
      )
    }
  }
}

/**
 * Configures every judge of this worker (a Vitest worker runs one test file at a time; call it
 * at the top of the file, or in a `setupFiles` module). Each call replaces the previous
 * configuration: what it leaves out comes from the environment (`EVALGATE_JUDGE_MODEL`,
 * `EVALGATE_CACHE`, `EVALGATE_CACHE_DIR`, `OPENAI_API_KEY`, `OPENAI_BASE_URL`), then the
 * defaults. `configureJudges()` with no argument restores the defaults. A judge's own
 * `{ model, client }` options override this. Invalid values throw an `EvalgateError` at once.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai'
 * import { configureJudges } from 'evalgate/judges'
 *
 * configureJudges({
 *   model: 'gpt-4.1-mini',
 *   client: new OpenAI({ baseURL: 'http://127.0.0.1:8080/v1', apiKey: 'local' }),
 *   concurrency: 8,
 *   maxRetries: 4,
 *   timeoutMs: 60_000,
 *   cache: { dir: '.evalgate/cache', mode: 'auto' },
 *   prices: { 'my-model': { input: 0.2, output: 0.8 } },
 * })
 * ```
 */
export function configureJudges(config: JudgeConfig = {}): void {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    fail(`expected a configuration object, received ${describeValue(config)}`)
  }
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.includes(key)) {
      fail(`unknown option "${key}" (allowed: ${CONFIG_KEYS.join(', ')})`)
    }
  }
  if (config.model !== undefined && (typeof config.model !== 'string' || config.model === '')) {
    fail(`expected "model" to be a model name, received ${describeValue(config.model)}`)
  }
  if (config.client !== undefined) checkClient('configureJudges', config.client)
  checkInt('concurrency', config.concurrency, 1)
  checkInt('maxRetries', config.maxRetries, 0)
  checkInt('timeoutMs', config.timeoutMs, 1)
  const cache = config.cache
  if (cache !== undefined) {
    if (typeof cache !== 'object' || cache === null) {
      fail(`expected "cache" to be { dir?, mode? }, received ${describeValue(cache)}`)
    }
    for (const key of Object.keys(cache)) {
      if (!CACHE_KEYS.includes(key)) {
        fail(`unknown option "cache.${key}" (allowed: ${CACHE_KEYS.join(', ')})`)
      }
    }
    if (cache.mode !== undefined && !CACHE_MODES.includes(cache.mode)) {
      fail(
        `expected "cache.mode" to be one of ${CACHE_MODES.join(', ')}, received ${describeValue(cache.mode)}`,
      )
    }
    if (cache.dir !== undefined && (typeof cache.dir !== 'string' || cache.dir === '')) {
      fail(`expected "cache.dir" to be a directory path, received ${describeValue(cache.dir)}`)
    }
  }
  if (config.prices !== undefined) checkPrices(config.prices)
  checkParams('configureJudges', config.params)
  checkResponseFormat('configureJudges', config.responseFormat)
  current = { ...config }
}

/** A judge's own overrides. */
export interface JudgeOverrides {
  model?: string | undefined
  client?: OpenAI | undefined
  params?: JudgeParams | undefined
  responseFormat?: JudgeResponseFormat | undefined
}

/** Everything one judge call needs, resolved from the judge, configureJudges, env, defaults. */
export interface JudgeSettings {
  model: string
  /** The client given by the judge or configureJudges; `undefined`: build one from the env. */
  client: OpenAI | undefined
  concurrency: number
  maxRetries: number
  timeoutMs: number
  cacheMode: CacheMode
  /** Absolute. */
  cacheDir: string
  prices: Readonly<Record<string, ModelPrice>> | undefined
  /** configureJudges' params with the judge's over them (`{}` when neither gives any). */
  params: JudgeParams
  responseFormat: JudgeResponseFormat
}

/**
 * The directory a relative cache path resolves against: {@link knownHostRoot}, else the working
 * directory.
 */
export function hostRoot(): string {
  return knownHostRoot() ?? process.cwd()
}

/**
 * The host's root when it can be known: the root a host set (`setHostRoot`,
 * base/host-root.ts), else the root of the Vitest worker running this file, else the `rootDir`
 * of the Jest test file running (read as evalgate/jest reads it: Jest gives a test file no public
 * accessor). The last two matter while a host collects an eval, before it records its root;
 * `undefined` outside any host.
 */
export function knownHostRoot(): string | undefined {
  const set = hostRootOf()
  if (set !== undefined) return set
  const g = globalThis as {
    __vitest_worker__?: { config?: { root?: unknown } }
    expect?: { getState?: () => { snapshotState?: { _rootDir?: unknown } } | undefined }
  }
  const vitest = g.__vitest_worker__?.config?.root
  if (typeof vitest === 'string' && vitest !== '') return vitest
  let jest: unknown
  try {
    jest = g.expect?.getState?.()?.snapshotState?._rootDir
  } catch {
    return undefined
  }
  return typeof jest === 'string' && jest !== '' ? jest : undefined
}

function env(name: string): string | undefined {
  const v = process.env[name]
  return v === undefined || v.trim() === '' ? undefined : v.trim()
}

/** The prices given to configureJudges, if any. */
export function configuredPrices(): Readonly<Record<string, ModelPrice>> | undefined {
  return current.prices
}

/** The model of a judge call: the judge's, configureJudges', EVALGATE_JUDGE_MODEL, the default. */
export function resolveModel(overrides: JudgeOverrides): string {
  return overrides.model ?? current.model ?? env('EVALGATE_JUDGE_MODEL') ?? DEFAULT_JUDGE_MODEL
}

/**
 * Resolves the settings of one judge call. Read at every call (not at import), so env set by a
 * Vitest config or a setup file applies. Returns a message when the environment is invalid.
 */
export function resolveSettings(overrides: JudgeOverrides): JudgeSettings | { problem: string } {
  const model = resolveModel(overrides)
  let cacheMode = current.cache?.mode
  if (cacheMode === undefined) {
    const fromEnv = env('EVALGATE_CACHE')
    if (fromEnv !== undefined && !CACHE_MODES.includes(fromEnv as CacheMode)) {
      return {
        problem: `evalgate: EVALGATE_CACHE must be one of ${CACHE_MODES.join(', ')}, received ${describeValue(fromEnv)}`,
      }
    }
    cacheMode = (fromEnv as CacheMode | undefined) ?? 'auto'
  }
  const dir = current.cache?.dir ?? env('EVALGATE_CACHE_DIR') ?? DEFAULT_CACHE_DIR
  return {
    model,
    client: overrides.client ?? current.client,
    concurrency: current.concurrency ?? DEFAULT_JUDGE_CONCURRENCY,
    maxRetries: current.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeoutMs: current.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    cacheMode,
    cacheDir: path.resolve(hostRoot(), dir),
    prices: current.prices,
    params: { ...current.params, ...overrides.params },
    responseFormat: overrides.responseFormat ?? current.responseFormat ?? 'json_schema',
  }
}
