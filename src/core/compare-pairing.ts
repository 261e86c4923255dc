// How the rows of one eval in two artifacts pair up: by id when every row has one, else by
// position when both datasets have the same length; otherwise ids are needed. The trials of a
// row stay together (they are averaged per row before any difference is taken).
import { EvalgateError } from '../base/errors.js'
import type { EvalSide } from './compare-side.js'

/**
 * The dataset rows of two evals, paired. Rows are named by their position in their side's
 * `index` and `ids` (a dataset row, its trials together).
 */
export interface Pairing {
  by: 'id' | 'index'
  /** The baseline row and the candidate row of each pair, in the candidate's row order. */
  baseline: Int32Array
  candidate: Int32Array
  /** Rows only in the candidate. */
  added: number[]
  /** Rows only in the baseline. */
  removed: number[]
}

/**
 * Each row's key, by position: its id (a Map tells the number 1 from the string "1") or its
 * index. A repeated key is an error naming both rows.
 */
function keyed(
  side: EvalSide,
  byId: boolean,
  file: string,
  evalName: string,
): Map<string | number, number> {
  const out = new Map<string | number, number>()
  for (let r = 0; r < side.ids.length; r++) {
    const key = byId ? side.ids[r]! : side.index[r]!
    const other = out.get(key)
    if (other !== undefined) {
      throw new EvalgateError(
        `compare: eval ${JSON.stringify(evalName)} in ${file}: rows ${side.index[other]} and ${side.index[r]} have the same id ${JSON.stringify(side.ids[r])}; ids must be unique to pair rows`,
      )
    }
    out.set(key, r)
  }
  return out
}

/**
 * The pairing of two sides whose rows have the same keys in the same order (a rerun of one
 * dataset, the usual case): each row with the one at its position. `undefined` otherwise, or
 * when an id repeats (the general pairing then says which rows; the candidate's ids, equal to
 * the baseline's, repeat when those do).
 */
function sameRows(baseline: EvalSide, candidate: EvalSide, byId: boolean): Pairing | undefined {
  const n = baseline.ids.length
  if (candidate.ids.length !== n) return undefined
  const keys = byId ? baseline.ids : baseline.index
  const other = byId ? candidate.ids : candidate.index
  // Indexes are unique (a dataset row each); ids were counted where each side was read.
  if (byId && !baseline.uniqueIds) return undefined
  for (let r = 0; r < n; r++) if (keys[r] !== other[r]) return undefined
  const positions = Int32Array.from({ length: n }, (_, r) => r)
  return {
    by: byId ? 'id' : 'index',
    baseline: positions,
    candidate: positions.slice(),
    added: [],
    removed: [],
  }
}

/**
 * Pairs the rows of one eval in the baseline and the candidate: by `id` when every row of both
 * has one, else by index when both datasets have the same length (the same rows in the same
 * order, presumably); otherwise an {@link EvalgateError} saying that ids are needed. Rows only
 * in one side are returned as added or removed.
 */
export function pairRows(
  baseline: EvalSide,
  candidate: EvalSide,
  files: { baseline: string; candidate: string },
): Pairing {
  const missing = (side: EvalSide) => side.ids.filter((id) => id === null).length
  const a = baseline.ids.length
  const b = candidate.ids.length
  const byId = missing(baseline) === 0 && missing(candidate) === 0 && (a > 0 || b > 0)
  if (!byId && baseline.datasetRows !== candidate.datasetRows) {
    const lacking = [
      missing(baseline) > 0 ? `${missing(baseline)} of ${a} rows in ${files.baseline}` : undefined,
      missing(candidate) > 0
        ? `${missing(candidate)} of ${b} rows in ${files.candidate}`
        : undefined,
    ].filter((x) => x !== undefined)
    throw new EvalgateError(
      `compare: eval ${JSON.stringify(candidate.name)}: rows without an id (${lacking.join(', ')}) can be paired only by position, and the datasets differ in length (${baseline.datasetRows} rows in ${files.baseline}, ${candidate.datasetRows} in ${files.candidate}); give every row an "id" so rows pair up across runs`,
    )
  }
  const same = sameRows(baseline, candidate, byId)
  if (same !== undefined) return same
  const left = keyed(baseline, byId, files.baseline, baseline.name)
  const right = keyed(candidate, byId, files.candidate, candidate.name)
  const pairedBase: number[] = []
  const pairedCand: number[] = []
  const added: number[] = []
  const paired = new Uint8Array(a)
  for (const [key, row] of right) {
    const base = left.get(key)
    if (base === undefined) added.push(row)
    else {
      pairedBase.push(base)
      pairedCand.push(row)
      paired[base] = 1
    }
  }
  const removed: number[] = []
  for (let r = 0; r < a; r++) if (paired[r] === 0) removed.push(r)
  return {
    by: byId ? 'id' : 'index',
    baseline: Int32Array.from(pairedBase),
    candidate: Int32Array.from(pairedCand),
    added,
    removed,
  }
}
