import { useState } from 'preact/hooks'
import { formatMs, showValue } from './format.js'

// A row's trace as a span tree with timing bars. The trace in the artifact is whatever the row
// stored: its shape is checked here, span by span, before anything is drawn.

interface Span {
  spanId: string
  parentId: string | null
  name: string
  type: string
  startMs: number
  endMs: number | null
  inputs: unknown
  outputs: unknown
  attributes: unknown
  status: { code: string; message: string | null } | null
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** The spans of a stored trace, or null when it is not one. */
export function spansOf(trace: unknown): Span[] | null {
  if (!isObj(trace) || !Array.isArray(trace['spans'])) return null
  const out: Span[] = []
  for (const s of trace['spans'] as unknown[]) {
    if (!isObj(s) || typeof s['spanId'] !== 'string' || typeof s['startMs'] !== 'number') continue
    const status = isObj(s['status']) ? s['status'] : null
    out.push({
      spanId: s['spanId'],
      parentId: typeof s['parentId'] === 'string' ? s['parentId'] : null,
      name: String(s['name'] ?? ''),
      type: String(s['type'] ?? 'UNKNOWN'),
      startMs: s['startMs'],
      endMs: typeof s['endMs'] === 'number' ? s['endMs'] : null,
      inputs: s['inputs'],
      outputs: s['outputs'],
      attributes: s['attributes'],
      status: status
        ? {
            code: String(status['code']),
            message: typeof status['message'] === 'string' ? status['message'] : null,
          }
        : null,
    })
  }
  return out
}

interface Line {
  span: Span
  depth: number
}

/** Depth-first, children in recording order; spans whose parent is missing are roots. */
function tree(spans: Span[]): Line[] {
  const ids = new Set(spans.map((s) => s.spanId))
  const children = new Map<string | null, Span[]>()
  for (const s of spans) {
    const parent = s.parentId !== null && ids.has(s.parentId) ? s.parentId : null
    const list = children.get(parent)
    if (list) list.push(s)
    else children.set(parent, [s])
  }
  const out: Line[] = []
  const seen = new Set<string>()
  const walk = (parent: string | null, depth: number) => {
    for (const s of children.get(parent) ?? []) {
      if (seen.has(s.spanId)) continue
      seen.add(s.spanId)
      out.push({ span: s, depth })
      walk(s.spanId, depth + 1)
    }
  }
  walk(null, 0)
  return out
}

export function TraceView(props: { trace: unknown }) {
  const spans = spansOf(props.trace)
  const [open, setOpen] = useState<string | null>(null)
  if (spans === null || spans.length === 0) return <p class="muted">No trace.</p>
  const lines = tree(spans)
  const t0 = Math.min(...spans.map((s) => s.startMs))
  const t1 = Math.max(...spans.map((s) => s.endMs ?? s.startMs))
  const total = Math.max(t1 - t0, 1e-9)
  return (
    <div class="trace">
      <p class="muted">
        {spans.length} spans over {formatMs(t1 - t0)}. Select a span to see its inputs and outputs.
      </p>
      <ul class="spans">
        {lines.map(({ span, depth }) => {
          const dur = span.endMs === null ? null : span.endMs - span.startMs
          const left = ((span.startMs - t0) / total) * 100
          const width = dur === null ? 100 - left : Math.max((dur / total) * 100, 0.3)
          const expanded = open === span.spanId
          const error = span.status?.code === 'ERROR'
          return (
            <li key={span.spanId} class={error ? 'span error' : 'span'}>
              <button
                type="button"
                class="span-line"
                aria-expanded={expanded}
                onClick={() => setOpen(expanded ? null : span.spanId)}
              >
                <span class="span-name" style={{ paddingLeft: `${depth * 16}px` }}>
                  <span class="span-type">{span.type}</span> {span.name}
                  {error ? <strong class="word-fail"> ERROR</strong> : null}
                </span>
                <span class="span-time">{dur === null ? 'unfinished' : formatMs(dur)}</span>
                <span class="span-track" aria-hidden="true">
                  <span class="span-bar" style={{ left: `${left}%`, width: `${width}%` }} />
                </span>
              </button>
              {expanded ? <SpanDetail span={span} /> : null}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

function SpanDetail({ span }: { span: Span }) {
  const attrs = isObj(span.attributes) && Object.keys(span.attributes).length > 0
  return (
    <div class="span-detail">
      {span.status?.message ? (
        <p>
          <strong>Status {span.status.code}:</strong> {span.status.message}
        </p>
      ) : null}
      <h5>Inputs</h5>
      <pre>{showValue(span.inputs)}</pre>
      <h5>Outputs</h5>
      <pre>{showValue(span.outputs)}</pre>
      {attrs ? (
        <>
          <h5>Attributes</h5>
          <pre>{showValue(span.attributes)}</pre>
        </>
      ) : null}
    </div>
  )
}
