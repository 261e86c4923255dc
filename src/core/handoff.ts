import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { describeValue, EvalgateError } from '../base/errors.js'
import type { EvalSuiteMeta } from './meta.js'
import type { RowResult } from './run.js'

// How results travel from a host's worker processes to its reporter when the host gives them no
// channel of its own (Jest: no task meta). The reporter makes a fresh directory for its run and
// names it in an environment variable before any worker starts; each worker writes each of its
// evals there as one JSON file, atomically (a temporary file, then a rename), and rewrites it as
// the eval progresses; the reporter reads them all when the run is over, then removes the
// directory. Two runs, even in one folder, have two directories and never see each other's files.

/** The environment variable that names the run's hand-off directory (set by the reporter). */
export const RUN_DIR_ENV = 'EVALGATE_JEST_RUN_DIR'

/** One eval as a worker hands it to the reporter: its meta, and the rows that ran. */
export interface HandoffEval {
  meta: EvalSuiteMeta
  rows: RowResult[]
}

const SUFFIX = '.eval.json'

/**
 * A place for one eval's results in the run's hand-off directory, or `undefined` when no
 * reporter of ours asked for them (the variable is unset, or names no directory: then results
 * are not collected, and nothing is written).
 *
 * @example
 * ```ts
 * const slot = handoffSlot(process.env)
 * slot?.write({ meta: schedule.meta(null), rows: [] }) // known from collection on
 * slot?.write({ meta: schedule.meta(summary), rows })  // complete
 * ```
 */
export function handoffSlot(env: Record<string, string | undefined>): HandoffSlot | undefined {
  const dir = env[RUN_DIR_ENV]
  if (dir === undefined || dir === '') return undefined
  return new HandoffSlot(dir)
}

/** One eval's file in the hand-off directory; each write replaces the last one atomically. */
export class HandoffSlot {
  readonly #file: string

  constructor(readonly dir: string) {
    this.#file = path.join(dir, `${process.pid}-${randomUUID()}${SUFFIX}`)
  }

  /**
   * Writes the eval (synchronously, so it is on disk before the test that wrote it ends). A
   * directory that is gone (its run is over) is not an error: there is no one to read it.
   */
  write(record: HandoffEval): void {
    const tmp = `${this.#file}.${randomUUID()}.tmp`
    try {
      fs.writeFileSync(tmp, JSON.stringify(record))
      fs.renameSync(tmp, this.#file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
  }
}

/**
 * Every eval written to a hand-off directory, in file-name order. A file that is not an eval
 * record (it never is, unless something else wrote there) is an error naming it.
 *
 * @example
 * ```ts
 * const evals = readHandoff(runDir)
 * buildReport({ evals, ... })
 * ```
 */
export function readHandoff(dir: string): HandoffEval[] {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const out: HandoffEval[] = []
  for (const name of names.filter((n) => n.endsWith(SUFFIX)).sort()) {
    const file = path.join(dir, name)
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
    if (!isHandoffEval(value)) {
      throw new EvalgateError(
        `${file}: expected an eval's results { meta, rows }, received ${describeValue(value)}`,
      )
    }
    out.push(value)
  }
  return out
}

function isHandoffEval(value: unknown): value is HandoffEval {
  if (typeof value !== 'object' || value === null) return false
  const { meta, rows } = value as Partial<HandoffEval>
  return (
    typeof meta === 'object' &&
    meta !== null &&
    meta.kind === 'eval' &&
    typeof meta.name === 'string' &&
    Array.isArray(rows)
  )
}
