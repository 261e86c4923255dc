import { useEffect, useRef } from 'preact/hooks'
import { feedbackValue, formatMs, showValue } from './format.js'
import { type EvalModel, type Feedback, rowStatus, trialsOf } from './model.js'
import { TraceView } from './trace.js'

// One row in a modal <dialog>: Esc closes it (the browser's own cancel), focus stays inside
// while it is open and returns to the row afterwards.

export function RowDetail(props: {
  model: EvalModel
  position: number
  onOpen: (position: number) => void
  onClose: () => void
}) {
  const { model, position, onOpen, onClose } = props
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  const row = model.ev.rows[position]!
  const status = rowStatus(row)
  const trials = model.ev.trials > 1 ? trialsOf(model.ev, row.index) : []
  const flips = model.comparison?.flips.filter((f) => f.candidateIndex === row.index)
  return (
    <dialog ref={ref} class="detail" aria-labelledby="detail-title" onClose={onClose}>
      <header class="detail-head">
        <h3 id="detail-title">
          <span class={`word word-${status.toLowerCase()}`}>{status}</span> Row{' '}
          {row.id === null ? `#${row.index}` : JSON.stringify(row.id)}
          {model.ev.trials > 1 ? `, trial ${row.trial + 1} of ${model.ev.trials}` : ''}
        </h3>
        <button type="button" class="close" onClick={() => ref.current?.close()}>
          Close (Esc)
        </button>
      </header>
      <p class="muted">
        Dataset row {row.index}
        {row.latencyMs === null ? '' : ` · latency ${formatMs(row.latencyMs)}`}
      </p>
      {row.error ? (
        <section class="error-box">
          <h4>Error: {row.error.code}</h4>
          <pre>{row.error.message}</pre>
          {row.error.stack ? <pre class="stack">{row.error.stack}</pre> : null}
        </section>
      ) : null}
      {trials.length > 1 ? (
        <section>
          <h4>Trials</h4>
          <ul class="trials">
            {trials.map((p) => {
              const t = model.ev.rows[p]!
              const s = rowStatus(t)
              return (
                <li key={p}>
                  <button
                    type="button"
                    aria-current={p === position}
                    onClick={() => onOpen(p)}
                    class={p === position ? 'trial current' : 'trial'}
                  >
                    Trial {t.trial + 1}: <span class={`word word-${s.toLowerCase()}`}>{s}</span>
                  </button>
                </li>
              )
            })}
          </ul>
        </section>
      ) : null}
      {flips && flips.length > 0 ? (
        <section>
          <h4>Against the baseline</h4>
          <ul>
            {flips.map((f) => (
              <li key={f.metric}>
                <span class={`word word-${f.change === 'regressed' ? 'fail' : 'pass'}`}>
                  {f.change.toUpperCase()}
                </span>{' '}
                {f.metric}: baseline {f.baseline.passed ? 'PASS' : 'FAIL'}, now{' '}
                {f.candidate.passed ? 'PASS' : 'FAIL'}
                {f.baseline.rationale ? (
                  <span class="muted"> — baseline rationale: {f.baseline.rationale}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section>
        <h4>Feedback</h4>
        {row.feedback.length === 0 ? <p class="muted">No feedback.</p> : null}
        {row.feedback.map((f) => (
          <FeedbackItem key={f.name} f={f} />
        ))}
      </section>
      <div class="values">
        <Value title="Inputs" value={row.inputs} />
        <Value title="Outputs" value={row.outputs} />
      </div>
      <section>
        <h4>Trace</h4>
        <TraceView trace={row.trace} />
      </section>
      <div class="values">
        <Value title="Expectations" value={row.expectations} />
        <Value title="Metadata" value={row.metadata} />
      </div>
    </dialog>
  )
}

function Value(props: { title: string; value: unknown }) {
  return (
    <section class="value">
      <h4>{props.title}</h4>
      {props.value === null || props.value === undefined ? (
        <p class="muted">none</p>
      ) : (
        <pre>{showValue(props.value)}</pre>
      )}
    </section>
  )
}

function FeedbackItem({ f }: { f: Feedback }) {
  const word = f.error ? 'ERROR' : f.passed === null ? 'NO PASS RULE' : f.passed ? 'PASS' : 'FAIL'
  const cls = f.error ? 'error' : f.passed === false ? 'fail' : f.passed ? 'pass' : 'none'
  const source = f.source ? `${f.source.type}${f.source.id ? ` ${f.source.id}` : ''}` : null
  return (
    <article class={`feedback fb-${cls}`}>
      <header>
        <span class={`word word-${cls}`}>{word}</span> <strong>{f.name}</strong>
        {f.value === null && f.error === null ? (
          <span class="muted"> skipped (the scorer abstained)</span>
        ) : (
          <span>
            {' '}
            = {feedbackValue(f.name, f.value)}
            {f.score !== null && typeof f.value !== 'number' ? ` (score ${f.score})` : ''}
          </span>
        )}
        {source ? <span class="muted"> · source {source}</span> : null}
        {f.scorer !== f.name ? <span class="muted"> · scorer {f.scorer}</span> : null}
      </header>
      {f.rationale ? <p class="rationale">{f.rationale}</p> : null}
      {f.error ? (
        <pre class="error-text">
          {f.error.code}: {f.error.message}
        </pre>
      ) : null}
      {f.metadata ? (
        <details>
          <summary>Metadata</summary>
          <pre>{showValue(f.metadata)}</pre>
        </details>
      ) : null}
    </article>
  )
}
