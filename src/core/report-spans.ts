// Where each row of an artifact is in its bytes, so that `evalgate merge` copies the shards'
// rows into the merged artifact as they are instead of writing each one again with
// JSON.stringify (most of a merge's time). Only the layout is read here: the values are what
// JSON.parse read from the same bytes, and a caller uses these spans only when they agree with
// it (an eval's rows and their count).

/**
 * The rows of one eval in an artifact's bytes: row j is `bytes[starts[j], ends[j])`, and
 * `compact[j]` is 1 when it has no whitespace outside its strings (as `JSON.stringify` writes
 * it).
 *
 * @example
 * ```ts
 * const [first] = rowSpans(bytes) ?? []
 * const row0 = Buffer.from(bytes.subarray(first.starts[0], first.ends[0])).toString()
 * ```
 */
export interface EvalRowSpans {
  starts: Float64Array
  ends: Float64Array
  compact: Uint8Array
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
const COMMA = 0x2c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

/** Whether `bytes[start, end)` is the ASCII text `key`. */
function isKey(bytes: Uint8Array, start: number, end: number, key: string): boolean {
  if (end - start !== key.length) return false
  for (let k = 0; k < key.length; k++) if (bytes[start + k] !== key.charCodeAt(k)) return false
  return true
}

/** Growing lists of one eval's spans. */
interface Collecting {
  starts: number[]
  ends: number[]
  compact: number[]
}

/**
 * Where the rows of each eval (`evals[i].rows[j]`) are in the bytes of a JSON artifact, in the
 * order of `evals`; `undefined` when the layout is not the plain one (`evals` or an eval's
 * `rows` given twice or not as an array, a row that is not an object, keys written with
 * escapes). The bytes must be valid JSON (JSON.parse read them): the scan follows strings and
 * brackets only, and checks nothing else.
 *
 * @example
 * ```ts
 * const spans = rowSpans(readFileSync('shard-1.json'))
 * spans?.[0]?.starts.length // the first eval's rows
 * ```
 */
export function rowSpans(bytes: Uint8Array): EvalRowSpans[] | undefined {
  const n = bytes.length
  let depth = 0
  // The last string read, and the key of the value being read at depths 1 and 3.
  let strStart = -1
  let strEnd = -1
  let key1Start = -1
  let key1End = -1
  let key3Start = -1
  let key3End = -1
  let evalsSeen = false
  let inEvals = false
  const evals: Array<Collecting | null> = []
  let rows: Collecting | null = null
  let expectRow = false
  let rowStart = -1
  let rowCompact = 1
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!
    if (c === QUOTE) {
      // A string: to its closing quote, over escaped characters. Most of the bytes are here.
      let j = i + 1
      for (;;) {
        while (j < n) {
          const d = bytes[j]!
          if (d === QUOTE || d === BACKSLASH) break
          j++
        }
        if (j >= n) return undefined
        if (bytes[j] === QUOTE) break
        j += 2
      }
      strStart = i + 1
      strEnd = j
      i = j
      continue
    }
    // `[` and `{` differ from each other by one bit, as `]` and `}` do.
    const bracket = c | 0x20
    if (bracket === OPEN_OBJECT) {
      if (rows !== null && depth === 4) {
        // A row starts.
        if (!expectRow || c !== OPEN_OBJECT) return undefined
        expectRow = false
        rowStart = i
        rowCompact = 1
      }
      depth++
      if (depth === 2 && c === OPEN_ARRAY && isKey(bytes, key1Start, key1End, 'evals')) {
        if (evalsSeen) return undefined
        evalsSeen = true
        inEvals = true
      } else if (depth === 3 && inEvals) {
        if (c !== OPEN_OBJECT) return undefined
        evals.push(null)
      } else if (depth === 4 && inEvals && isKey(bytes, key3Start, key3End, 'rows')) {
        if (c !== OPEN_ARRAY || evals[evals.length - 1] !== null) return undefined
        rows = { starts: [], ends: [], compact: [] }
        evals[evals.length - 1] = rows
        expectRow = true
      }
    } else if (bracket === CLOSE_OBJECT) {
      depth--
      if (rows !== null) {
        if (depth === 4) {
          rows.starts.push(rowStart)
          rows.ends.push(i + 1)
          rows.compact.push(rowCompact)
        } else if (depth === 3) {
          // The rows array ends: after a comma, a row was due (a trailing comma).
          if (expectRow && rows.starts.length > 0) return undefined
          rows = null
        }
      } else if (depth === 1 && inEvals) {
        inEvals = false
      }
    } else if (c === COLON) {
      if (depth === 1) {
        key1Start = strStart
        key1End = strEnd
      } else if (depth === 3) {
        key3Start = strStart
        key3End = strEnd
      }
    } else if (rows !== null) {
      if (depth === 4) {
        if (c === COMMA) {
          if (expectRow) return undefined
          expectRow = true
        } else if (!isSpace(c)) return undefined
      } else if (isSpace(c)) {
        rowCompact = 0
      }
    }
  }
  if (depth !== 0 || !evalsSeen) return undefined
  const out: EvalRowSpans[] = []
  for (const e of evals) {
    if (e === null) return undefined
    out.push({
      starts: Float64Array.from(e.starts),
      ends: Float64Array.from(e.ends),
      compact: Uint8Array.from(e.compact),
    })
  }
  return out
}
