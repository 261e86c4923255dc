import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { PROMPT_VERSION } from './prompts.js'

/** What a cache key is computed from: everything that decides the model's answer. */
export interface CacheKeyParts {
  model: string
  messages: readonly { role: string; content: string }[]
  /** The response format's JSON Schema. */
  schema: unknown
  /**
   * The trial of the row being judged (from 0): each trial is its own sample of the judge, so
   * its own entry. Absent or 0: the key of a single run.
   */
  trial?: number | undefined
  /** Extra request fields (`temperature`, `seed`, ...); absent or empty: not in the key. */
  params?: Record<string, unknown> | undefined
  /** Absent or `json_schema`: not in the key (recordings made before it still replay). */
  responseFormat?: string | undefined
}

/**
 * sha256 over the prompt version, the model, the messages and the response schema, and the
 * trial when it is above 0. Trial 0 keeps the key evalgate gave before trials existed, so
 * recordings made then still replay; trial k > 0 adds `{ trial: k }`, so `record` and
 * `replay` work per trial and trials stay independent samples.
 *
 * @example
 * ```ts
 * cacheKey({ model: 'gpt-4.1-mini', messages, schema }) // the single-run key
 * cacheKey({ model: 'gpt-4.1-mini', messages, schema, trial: 2 }) // another key
 * ```
 */
export function cacheKey(parts: CacheKeyParts): string {
  const base: unknown[] = [PROMPT_VERSION, parts.model, parts.messages, parts.schema]
  const trial = parts.trial ?? 0
  if (trial > 0) base.push({ trial })
  const params = parts.params ?? {}
  const format = parts.responseFormat ?? 'json_schema'
  if (Object.keys(params).length > 0 || format !== 'json_schema') {
    // Sorted keys: { seed, temperature } and { temperature, seed } are one request.
    const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)))
    base.push({ params: sorted, responseFormat: format })
  }
  return createHash('sha256').update(JSON.stringify(base)).digest('hex')
}

const EntrySchema = z.object({
  version: z.literal(1),
  key: z.string(),
  promptVersion: z.string(),
  model: z.string(),
  judge: z.string(),
  /** The trial it answered, when above 0 (entries of trial 0 have none, as before trials). */
  trial: z.int().positive().optional(),
  result: z.unknown(),
  rationale: z.string(),
  /** The tokens of the call that recorded the entry (not counted again on a hit). */
  usage: z.object({ inputTokens: z.int().nonnegative(), outputTokens: z.int().nonnegative() }),
})

/** One cached judge response: a parsed verdict, never an error. */
export type CacheEntry = z.infer<typeof EntrySchema>

/** Two-level fan-out by hash prefix keeps directories small on big evals. */
export function entryPath(dir: string, key: string): string {
  return path.join(dir, key.slice(0, 2), `${key}.json`)
}

/**
 * Reads a cache entry. A missing, unreadable or malformed entry is a miss (`undefined`): the
 * caller then calls the model (auto) or reports the miss (replay).
 */
export async function readEntry(dir: string, key: string): Promise<CacheEntry | undefined> {
  let text: string
  try {
    text = await readFile(entryPath(dir, key), 'utf8')
  } catch {
    return undefined
  }
  try {
    const parsed = EntrySchema.safeParse(JSON.parse(text))
    return parsed.success && parsed.data.key === key ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * Writes an entry atomically: to a unique temporary file in the same directory, then a rename,
 * so concurrent Vitest workers never read a half-written file and the last writer wins whole.
 */
export async function writeEntry(dir: string, entry: CacheEntry): Promise<void> {
  const file = entryPath(dir, entry.key)
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(tmp, `${JSON.stringify(entry, null, 2)}\n`, 'utf8')
    await rename(tmp, file)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
}
