// How the rows of one eval in two artifacts pair up: by id when every row has one, else by
// position when both datasets have the same length; otherwise ids are needed. The trials of a
// row stay together (they are averaged per row before any difference is taken).
import { EvalgateError } from '../base/errors.js'
import type { EvalReport } from './report.js'

type ReportRow = EvalReport['rows'][number]

/** One dataset row of one side: its trials, in trial order. */
export interface SideRow {
  index: number
  id: string | number | null
  trials: ReportRow[]
}

/** The rows of two evals, paired. */
export interface Pairing {
  by: 'id' | 'index'
  /** [baseline row, candidate row], in the candidate's row order. */
  pairs: Array<[SideRow, SideRow]>
  /** Rows only in the candidate. */
  added: SideRow[]
  /** Rows only in the baseline. */
  removed: SideRow[]
}

/** A side's rows grouped by dataset row (its trials together), in index order. */
function groupRows(rows: readonly ReportRow[]): SideRow[] {
  const byIndex = new Map<number, SideRow>()
  for (const r of rows) {
    let row = byIndex.get(r.index)
    if (row === undefined) {
      row = { index: r.index, id: r.id, trials: [] }
      byIndex.set(r.index, row)
    }
    row.trials.push(r)
  }
  const out = [...byIndex.values()].sort((a, b) => a.index - b.index)
  for (const row of out) row.trials.sort((a, b) => a.trial - b.trial)
  return out
}

/** `1` and `"1"` are different ids. */
function idKey(id: string | number): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`
}

function keyed(
  rows: readonly SideRow[],
  byId: boolean,
  side: string,
  evalName: string,
): Map<string, SideRow> {
  const out = new Map<string, SideRow>()
  for (const row of rows) {
    const key = byId ? idKey(row.id!) : `i:${row.index}`
    const other = out.get(key)
    if (other !== undefined) {
      throw new EvalgateError(
        `compare: eval ${JSON.stringify(evalName)} in ${side}: rows ${other.index} and ${row.index} have the same id ${JSON.stringify(row.id)}; ids must be unique to pair rows`,
      )
    }
    out.set(key, row)
  }
  return out
}

/**
 * Pairs the rows of one eval in the baseline and the candidate: by `id` when every row of both
 * has one, else by index when both datasets have the same length (the same rows in the same
 * order, presumably); otherwise an {@link EvalgateError} saying that ids are needed. Rows only
 * in one side are returned as added or removed.
 */
export function pairRows(
  baseline: EvalReport,
  candidate: EvalReport,
  files: { baseline: string; candidate: string },
): Pairing {
  const a = groupRows(baseline.rows)
  const b = groupRows(candidate.rows)
  const missing = (rows: readonly SideRow[]) => rows.filter((r) => r.id === null).length
  const byId = missing(a) === 0 && missing(b) === 0 && (a.length > 0 || b.length > 0)
  if (!byId && baseline.datasetRows !== candidate.datasetRows) {
    const lacking = [
      missing(a) > 0 ? `${missing(a)} of ${a.length} rows in ${files.baseline}` : undefined,
      missing(b) > 0 ? `${missing(b)} of ${b.length} rows in ${files.candidate}` : undefined,
    ].filter((x) => x !== undefined)
    throw new EvalgateError(
      `compare: eval ${JSON.stringify(candidate.name)}: rows without an id (${lacking.join(', ')}) can be paired only by position, and the datasets differ in length (${baseline.datasetRows} rows in ${files.baseline}, ${candidate.datasetRows} in ${files.candidate}); give every row an "id" so rows pair up across runs`,
    )
  }
  const left = keyed(a, byId, files.baseline, baseline.name)
  const right = keyed(b, byId, files.candidate, candidate.name)
  const pairs: Array<[SideRow, SideRow]> = []
  const added: SideRow[] = []
  for (const [key, row] of right) {
    const base = left.get(key)
    if (base === undefined) added.push(row)
    else pairs.push([base, row])
  }
  const removed: SideRow[] = []
  for (const [key, row] of left) if (!right.has(key)) removed.push(row)
  return { by: byId ? 'id' : 'index', pairs, added, removed }
}
