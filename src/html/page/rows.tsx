import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { feedbackValue, formatMetricValue, preview } from './format.js'
import {
  type EvalModel,
  feedbackOf,
  filterRows,
  LATENCY,
  type Row,
  type RowQuery,
  rowStatus,
  type StatusFilter,
} from './model.js'

// The rows of an eval: filters, and a virtualised list (only the rows in view are in the DOM,
// so 100,000 rows scroll as 20 do). Rows have a fixed height; each is focusable: Enter opens
// it, the arrow keys, Page Up/Down, Home and End move between rows.

const ROW_H = 32
const VIEW_H = 480
const OVERSCAN = 8
/** At most this many metric columns; the metric filter picks which one shows beyond them. */
const MAX_METRIC_COLS = 5

const STATUS_LABELS: Record<StatusFilter, string> = {
  all: 'All rows',
  failed: 'Failed',
  errored: 'Errored',
  flaky: 'Flaky',
  flipped: 'Flipped vs baseline',
}

export function RowsExplorer(props: {
  model: EvalModel
  query: RowQuery
  onQuery: (q: RowQuery) => void
  onOpen: (position: number) => void
}) {
  const { model, query, onQuery, onOpen } = props
  const [text, setText] = useState(query.text)
  // Free text filters after a short pause in typing, not on every key.
  useEffect(() => {
    if (text === query.text) return
    const t = setTimeout(() => onQuery({ ...query, text }), 150)
    return () => clearTimeout(t)
  }, [text])
  const positions = useMemo(() => filterRows(model, query), [model, query])
  const statuses: StatusFilter[] = ['all', 'failed', 'errored']
  if (model.ev.trials > 1) statuses.push('flaky')
  if (model.comparison) statuses.push('flipped')
  const cols = model.metrics.slice(0, MAX_METRIC_COLS)
  if (query.metric !== '' && !cols.includes(query.metric)) cols.push(query.metric)
  const id = (s: string) => `f-${s}`
  return (
    <section class="rows" aria-label="Rows">
      <h3>Rows</h3>
      <div class="filters">
        <fieldset>
          <legend>Show</legend>
          {statuses.map((s) => (
            <label key={s}>
              <input
                type="radio"
                name="status"
                value={s}
                checked={query.status === s}
                onChange={() => onQuery({ ...query, status: s })}
              />
              {STATUS_LABELS[s]}
            </label>
          ))}
        </fieldset>
        <label for={id('metric')}>
          Metric{' '}
          <select
            id={id('metric')}
            value={query.metric}
            onChange={(e) => onQuery({ ...query, metric: (e.target as HTMLSelectElement).value })}
          >
            <option value="">any</option>
            {model.metrics.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label for={id('text')}>
          Search{' '}
          <input
            id={id('text')}
            type="search"
            placeholder="id, inputs, outputs, rationale…"
            value={text}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </label>
        <output class="count" aria-live="polite" data-testid="row-count">
          {positions.length} of {model.ev.rows.length} rows
        </output>
      </div>
      <VirtualRows model={model} positions={positions} cols={cols} onOpen={onOpen} />
    </section>
  )
}

function gridColumns(n: number): string {
  return `5.5em 6.5em minmax(8em, 14em) ${'minmax(6em, 9em) '.repeat(n)}minmax(12em, 1fr)`
}

function VirtualRows(props: {
  model: EvalModel
  positions: Int32Array
  cols: string[]
  onOpen: (position: number) => void
}) {
  const { model, positions, cols, onOpen } = props
  const scroller = useRef<HTMLDivElement>(null)
  const [top, setTop] = useState(0)
  const [focusK, setFocusK] = useState<number | null>(null)
  const n = positions.length
  // A new filter starts at the top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0
    setTop(0)
  }, [positions])
  useEffect(() => {
    if (focusK === null) return
    const el = scroller.current?.querySelector<HTMLElement>(`[data-k="${focusK}"]`)
    el?.focus({ preventScroll: true })
  }, [focusK, top])
  const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN)
  const last = Math.min(n, Math.ceil((top + VIEW_H) / ROW_H) + OVERSCAN)
  const moveTo = (k: number) => {
    const target = Math.max(0, Math.min(n - 1, k))
    const s = scroller.current
    if (s) {
      if (target * ROW_H < s.scrollTop) s.scrollTop = target * ROW_H
      else if ((target + 1) * ROW_H > s.scrollTop + s.clientHeight)
        s.scrollTop = (target + 1) * ROW_H - s.clientHeight
      setTop(s.scrollTop)
      // A row within the overscan is in the DOM already: focus it now; else after rendering.
      s.querySelector<HTMLElement>(`[data-k="${target}"]`)?.focus({ preventScroll: true })
    }
    setFocusK(target)
  }
  const onKey = (e: KeyboardEvent, k: number) => {
    const page = Math.max(1, Math.floor(VIEW_H / ROW_H) - 1)
    const moves: Record<string, number> = {
      ArrowDown: k + 1,
      ArrowUp: k - 1,
      PageDown: k + page,
      PageUp: k - page,
      Home: 0,
      End: n - 1,
    }
    const to = moves[e.key]
    if (to !== undefined) {
      e.preventDefault()
      moveTo(to)
    }
  }
  const columns = gridColumns(cols.length)
  const rows = []
  for (let k = first; k < last; k++) {
    const p = positions[k]!
    rows.push(
      <RowLine
        key={p}
        k={k}
        row={model.ev.rows[p]!}
        cols={cols}
        columns={columns}
        trials={model.ev.trials}
        flaky={model.flakyAny.has(model.ev.rows[p]!.index)}
        onOpen={() => onOpen(p)}
        onKey={(e) => onKey(e, k)}
      />,
    )
  }
  return (
    <div class="table">
      <div class="thead" aria-hidden="true" style={{ gridTemplateColumns: columns }}>
        <span>Result</span>
        <span>Row</span>
        <span>Id</span>
        {cols.map((c) => (
          <span key={c} title={c}>
            {c}
          </span>
        ))}
        <span>Output</span>
      </div>
      <div
        class="scroller"
        ref={scroller}
        style={{ height: `${Math.min(VIEW_H, Math.max(n, 1) * ROW_H + 2)}px` }}
        onScroll={(e) => setTop((e.target as HTMLDivElement).scrollTop)}
      >
        {n === 0 ? <p class="muted empty">No row matches these filters.</p> : null}
        <div class="spacer" style={{ height: `${n * ROW_H}px` }}>
          {rows}
        </div>
      </div>
    </div>
  )
}

function RowLine(props: {
  k: number
  row: Row
  cols: string[]
  columns: string
  trials: number
  flaky: boolean
  onOpen: () => void
  onKey: (e: KeyboardEvent) => void
}) {
  const { k, row, cols, columns, trials, flaky, onOpen, onKey } = props
  const status = rowStatus(row)
  // A button: focusable, and Enter or Space opens the row; its text is what a reader hears.
  return (
    <button
      type="button"
      class="tr"
      data-k={k}
      style={{ transform: `translateY(${k * ROW_H}px)`, gridTemplateColumns: columns }}
      onClick={onOpen}
      onKeyDown={onKey}
    >
      <span>
        <span class={`word word-${status.toLowerCase()}`}>{status}</span>
        {flaky ? (
          <span class="flaky-mark" title="flaky: its trials disagree">
            {' '}
            ~
          </span>
        ) : null}
      </span>
      <span>
        {row.index}
        {trials > 1 ? ` · t${row.trial + 1}` : ''}
      </span>
      <span class="ellipsis">{row.id === null ? '' : String(row.id)}</span>
      {cols.map((c) => (
        <span key={c} class="ellipsis">
          {cell(row, c)}
        </span>
      ))}
      <span class="ellipsis">{preview(row.outputs)}</span>
    </button>
  )
}

function cell(row: Row, metric: string): string {
  if (metric === LATENCY) return formatMetricValue(LATENCY, row.latencyMs)
  const f = feedbackOf(row, metric)
  if (f === undefined) return ''
  if (f.error) return 'ERROR'
  if (f.value === null) return 'skipped'
  const mark = f.passed === false ? ' ✗ fail' : f.passed ? ' ✓' : ''
  return `${feedbackValue(metric, f.value)}${mark}`
}
