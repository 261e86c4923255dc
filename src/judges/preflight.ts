import { readdirSync } from 'node:fs'
import path from 'node:path'
import { EvalgateError } from '../base/errors.js'
import { envApiKey } from './client.js'
import { hostRoot, type JudgeOverrides, knownHostRoot, resolveSettings } from './config.js'

/** A cache entry's file name inside its fan-out folder (cache.ts: `<2 hex>/<key>.json`). */
const FAN_OUT = /^[0-9a-f]{2}$/

/**
 * Whether `dir` may hold a recorded response: `absent` when it does not exist (or is not a
 * directory), `empty` when no fan-out folder in it holds an entry file, `entries` when one does
 * (only the first such folder is listed) or when it cannot be read (then it cannot be said to be
 * empty, and each row reports what it finds). Cheap: it lists directories, and reads no entry.
 */
export function cacheState(dir: string): 'absent' | 'empty' | 'entries' {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'absent' : 'entries'
  }
  for (const name of names) {
    if (!FAN_OUT.test(name)) continue
    try {
      if (readdirSync(path.join(dir, name)).some((f) => f.endsWith('.json'))) return 'entries'
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') return 'entries'
    }
  }
  return 'empty'
}

/** The cache directory as the user gave it: relative to the host's root, else absolute. */
function shown(dir: string): { name: string; where: string } {
  const rel = path.relative(hostRoot(), dir)
  if (rel === '') return { name: '.', where: " (the host's root)" }
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { name: dir, where: '' }
  return { name: rel.split(path.sep).join('/'), where: " (relative to the host's root)" }
}

/**
 * A judge's `prepare()` hook: refuses the eval, before any task runs, when the judge can only
 * answer from the cache (no `OPENAI_API_KEY` and no client in `auto` mode, or `replay` mode)
 * and the cache directory holds no recorded response at all, so that every row would be a
 * `JUDGE_CACHE_MISS`. A cache with any entry is let through (the rows it recorded still
 * replay; the others miss, each saying so); so are `off` and `record` (they call the model, and
 * without a key each row says so), and an invalid `EVALGATE_CACHE` (each row's
 * `JUDGE_CONFIG_ERROR` says so). Outside a host (no root known) it refuses nothing: where a
 * relative cache directory lies would be a guess.
 */
export function refuseWithoutRecordings(judge: string, overrides: JudgeOverrides): void {
  // Where a relative cache directory lies is only sure under a host: never refuse on a guess.
  if (knownHostRoot() === undefined) return
  const settings = resolveSettings(overrides)
  if ('problem' in settings) return
  const { cacheMode, cacheDir, model } = settings
  const cacheOnly =
    cacheMode === 'replay' ||
    (cacheMode === 'auto' && settings.client === undefined && envApiKey() === undefined)
  if (!cacheOnly) return
  const state = cacheState(cacheDir)
  if (state === 'entries') return
  const { name, where } = shown(cacheDir)
  const found = state === 'absent' ? 'does not exist' : 'holds no recorded responses'
  const who = `evalgate: judge "${judge}" (model ${model})`
  const stop = 'Every row would be a JUDGE_CACHE_MISS, so the eval stops before any task runs.'
  throw new EvalgateError(
    cacheMode === 'replay'
      ? `${who} has nothing to replay: EVALGATE_CACHE is "replay", which never calls the model, and the cache directory "${name}"${where} ${found}. ${stop} Record responses into "${name}" first (with OPENAI_API_KEY and EVALGATE_CACHE=auto or record), or point EVALGATE_CACHE_DIR at the recorded responses.`
      : `${who} has nothing to answer from: there is no OPENAI_API_KEY and no client, so judges answer from the judge cache only, and the cache directory "${name}"${where} ${found}. ${stop} Set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible server) to call the model, or record responses into "${name}" first (run once with a key and EVALGATE_CACHE=auto or record), or point EVALGATE_CACHE_DIR at the recorded responses.`,
  )
}
