// One artifact read for a comparison (`evalgate compare` does this in a worker thread per
// artifact). An artifact as evalgate writes it is read a megabyte of rows at a time: each batch
// parsed, checked, summarized and let go, so 100,000 rows are never all alive at once (the
// garbage collection of reading them whole costs about half as much as the parsing). The
// batches are cut where the writer's layout says rows start, and the cut is proven by the
// parse itself: the envelope and every batch must be valid JSON on their own, which holds only
// if each cut fell between two rows. Anything else (another layout or version, rows out of
// order, a field the fast check cannot vouch for, bad JSON) is read whole, as `readReportFile`
// reads it: the same report, the same errors.
import { artifactText, parseArtifactText, reportOf } from './artifact-read.js'
import {
  type CompareSideSummary,
  detailOf,
  type EvalSide,
  evalSideBuilder,
  type FeedbackRef,
  type FlipDetail,
  flipDetails,
  sideOf,
  summarizeSide,
} from './compare-side.js'
import { isParsedReportRow, parsedReportFastProblem } from './fast-check.js'
import type { Report, ReportRow } from './report.js'

/**
 * An artifact read for a comparison: its summary, and what its flipped rows show.
 *
 * @example
 * ```ts
 * const side = await readSideSummary(readArtifactBytes('main.json'), 'main.json')
 * side.summary.evals.length
 * ```
 */
export interface SideRead {
  summary: CompareSideSummary
  details: (refs: readonly FeedbackRef[]) => FlipDetail[]
}

/**
 * Reads an artifact's bytes (see `readArtifactBytes`) as a comparison needs them. Rejects with
 * the `EvalgateError` that `readReportFile` throws for the same file: not JSON, not an
 * artifact, a newer version, or the fields that do not match.
 *
 * @example
 * ```ts
 * const side = await readSideSummary(readArtifactBytes('pr.json'), 'pr.json')
 * const shown = side.details([{ eval: 0, row: 3, feedback: 0 }])
 * ```
 */
export async function readSideSummary(bytes: Uint8Array, file: string): Promise<SideRead> {
  const text = artifactText(bytes)
  const inBatches = readSideInBatches(text, file)
  if (inBatches !== undefined) return inBatches
  const report = await reportOf(parseArtifactText(text, file), file)
  return { summary: summarizeSide(file, report), details: (refs) => flipDetails(report, refs) }
}

/** Where a batch is cut: the writer starts each row with its index. */
const ROW_START = ',{"index":'
/** The writer's keys around an eval's rows. */
const ROWS_OPEN = '"rows":['
const ROWS_CLOSE = '],"metrics":'
/** About how much text a batch holds. */
const BATCH = 1 << 20

/** How the writer starts a row after its index: its trial, then its id. */
const AFTER_INDEX = /\d+,"trial":\d+,"id":/y

/** Where the first row at or after `from` starts (its comma), else `to`. */
function nextCut(text: string, from: number, to: number): number {
  for (let at = from; ; ) {
    const cut = text.indexOf(ROW_START, at)
    if (cut === -1 || cut >= to) return to
    AFTER_INDEX.lastIndex = cut + ROW_START.length
    if (AFTER_INDEX.test(text)) return cut
    at = cut + 1
  }
}

/** What flipped rows of one eval may show, kept in the order of its rows. */
interface Kept {
  keep: (row: number, feedback: number, fb: ReportRow['feedback'][number]) => void
  find: (row: number, feedback: number) => FlipDetail
}

function keeper(): Kept {
  let rows = new Float64Array(1024)
  let feedbacks = new Float64Array(1024)
  const details: FlipDetail[] = []
  return {
    keep: (row, feedback, fb) => {
      const n = details.length
      if (n === rows.length) {
        const r = new Float64Array(n * 2)
        r.set(rows)
        rows = r
        const f = new Float64Array(n * 2)
        f.set(feedbacks)
        feedbacks = f
      }
      rows[n] = row
      feedbacks[n] = feedback
      details.push(detailOf(fb))
    },
    find: (row, feedback) => {
      // Kept row by row, so in row order: the first of the row by bisection, then its Feedback.
      let lo = 0
      let hi = details.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (rows[mid]! < row) lo = mid + 1
        else hi = mid
      }
      while (lo < details.length && rows[lo] === row && feedbacks[lo] !== feedback) lo++
      const found = rows[lo] === row && feedbacks[lo] === feedback ? details[lo] : undefined
      if (found === undefined)
        throw new Error(`compare: no Feedback ${feedback} of row ${row} kept`)
      return found
    },
  }
}

/** Parsed, or `undefined` for text that is not JSON. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Each eval's rows in the text, between its `"rows":[` and the `]` before `,"metrics":`. */
function rowRegions(text: string): Array<[number, number]> {
  const regions: Array<[number, number]> = []
  let at = 0
  for (;;) {
    const open = text.indexOf(ROWS_OPEN, at)
    if (open === -1) return regions
    const from = open + ROWS_OPEN.length
    const to = text.indexOf(ROWS_CLOSE, from)
    if (to === -1) return regions
    regions.push([from, to])
    at = to + ROWS_CLOSE.length
  }
}

/** The envelope: the text with each eval's rows left out, parsed and checked. */
function envelopeOf(text: string, regions: ReadonlyArray<[number, number]>): Report | undefined {
  let json = ''
  let at = 0
  for (const [from, to] of regions) {
    json += text.slice(at, from)
    at = to
  }
  json += text.slice(at)
  const envelope = parsed(json)
  if (envelope === undefined || parsedReportFastProblem(envelope) !== undefined) return undefined
  const report = envelope as Report
  if (report.evals.length !== regions.length) return undefined
  return report.evals.every((e) => e.rows.length === 0) ? report : undefined
}

/**
 * An artifact's text read in batches of about `batch` characters of rows (see the top of this
 * file), or `undefined` when it is not as evalgate writes it, or a cut would fall inside a row:
 * then it must be read whole. Never a different reading than the whole one.
 *
 * @example
 * ```ts
 * const side = readSideInBatches(text, 'pr.json') ?? readWholeSomehow()
 * ```
 */
export function readSideInBatches(text: string, file: string, batch = BATCH): SideRead | undefined {
  const regions = rowRegions(text)
  const envelope = envelopeOf(text, regions)
  if (envelope === undefined) return undefined
  // What the flipped rows may show, kept as the rows go by: per eval, by row and Feedback.
  const shown: Kept[] = []
  const evals: EvalSide[] = []
  for (let e = 0; e < regions.length; e++) {
    const [from, to] = regions[e]!
    const kept = keeper()
    shown.push(kept)
    const builder = evalSideBuilder(kept.keep)
    let at = 0
    let start = from
    while (start < to) {
      // A cut that falls inside a row (its data holds what starts a row) leaves a batch that is
      // not JSON: the batch then runs on to the next cut, a few times before giving up.
      let end = nextCut(text, Math.min(start + batch, to), to)
      let rows = parsed(`[${text.slice(start, end)}]`) as unknown[] | undefined
      for (let retry = 0; rows === undefined && end < to && retry < 3; retry++) {
        end = nextCut(text, end + 1, to)
        rows = parsed(`[${text.slice(start, end)}]`) as unknown[] | undefined
      }
      if (rows === undefined) return undefined
      for (const row of rows) {
        if (!isParsedReportRow(row) || !builder.add(row as ReportRow, at)) return undefined
        at++
      }
      start = end + 1
    }
    evals.push(builder.finish(envelope.evals[e]!))
  }
  return {
    summary: { ...sideOf(file, envelope), evals },
    details: (refs) => refs.map((r) => shown[r.eval]!.find(r.row, r.feedback)),
  }
}
