import { useEffect, useMemo, useState } from 'preact/hooks'
import type { Report } from '../../core/report-schema.js'
import { RowDetail } from './detail.js'
import { EvalSummary, statusWord } from './eval-view.js'
import { formatMs, usageLine } from './format.js'
import { buildModel, type PageData, type RowQuery } from './model.js'
import { RowsExplorer } from './rows.js'

const NO_QUERY: RowQuery = { status: 'all', metric: '', text: '' }

/** The eval to show first: the first that failed, else the first. */
function firstEval(report: Report): number {
  const failed = report.evals.findIndex((e) => e.status === 'failed')
  return failed === -1 ? 0 : failed
}

function gatesText(ev: Report['evals'][number]): string {
  const n = ev.thresholds.length
  if (n === 0) return 'no gates'
  const failed = ev.thresholds.filter((g) => g.passed === false).length
  const unevaluated = ev.thresholds.filter((g) => g.passed === null).length
  if (unevaluated === n) return `${n} not evaluated`
  return failed > 0 ? `${failed} of ${n} FAILED` : `${n - unevaluated} of ${n} passed`
}

export function App({ data }: { data: PageData }) {
  const { report, comparison } = data
  const [selected, setSelected] = useState(() => firstEval(report))
  const [query, setQuery] = useState<RowQuery>(NO_QUERY)
  const [open, setOpen] = useState<number | null>(null)
  const ev = report.evals[selected]
  const model = useMemo(() => (ev ? buildModel(ev, comparison) : null), [ev])
  useEffect(() => {
    document.body.dataset['ready'] = '1'
  }, [])
  const select = (i: number) => {
    setSelected(i)
    setQuery(NO_QUERY)
    setOpen(null)
  }
  const openRow = (index: number) => {
    const p = ev?.rows.findIndex((r) => r.index === index) ?? -1
    if (p !== -1) setOpen(p)
  }
  const runStatus = report.status.toUpperCase()
  return (
    <>
      <header class="top">
        <h1>{data.title}</h1>
        <p class="run-status" data-testid="run-status">
          Run{' '}
          <span class={`word word-${report.status === 'passed' ? 'pass' : 'fail'}`}>
            {runStatus}
          </span>
          {report.partial ? (
            <span class="word word-none">PARTIAL: some rows were left out</span>
          ) : null}
        </p>
        <p class="muted">
          Started {report.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} · took{' '}
          {formatMs(report.durationMs)} · {report.tool.host} {report.tool.hostVersion} · evalgate{' '}
          {report.tool.version}
        </p>
        <p>Judges: {usageLine(report.usage)}</p>
        {comparison ? (
          <p data-testid="baseline">
            Compared with the baseline <code>{comparison.baseline.file}</code> (run{' '}
            {comparison.baseline.status.toUpperCase()}, started {comparison.baseline.startedAt}):{' '}
            {comparison.regression ? (
              <span class="word word-fail">REGRESSION</span>
            ) : (
              <span class="word word-pass">NO REGRESSION</span>
            )}
            {comparison.addedEvals.length > 0
              ? ` · evals new in this run: ${comparison.addedEvals.join(', ')}`
              : ''}
            {comparison.removedEvals.length > 0
              ? ` · evals only in the baseline: ${comparison.removedEvals.join(', ')}`
              : ''}
          </p>
        ) : null}
      </header>
      <main>
        {report.errors.length > 0 ? (
          <section class="failures" aria-label="Errors outside the rows">
            <h2>Test files that failed outside their rows</h2>
            <ul>
              {report.errors.map((e) => (
                <li key={e.file}>
                  <code>{e.file}</code>: <pre class="inline">{e.message}</pre>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-label="Evals">
          <h2>Evals</h2>
          {report.evals.length === 0 ? <p class="muted">No eval ran.</p> : null}
          <table class="evals" data-testid="evals">
            <thead>
              <tr>
                <th>Eval</th>
                <th>Status</th>
                <th>Gates</th>
                <th class="num">Rows</th>
                <th class="num">Errored</th>
                <th>File</th>
              </tr>
            </thead>
            <tbody>
              {report.evals.map((e, i) => (
                <tr key={`${e.file}/${e.name}`} aria-current={i === selected}>
                  <td>
                    <button type="button" class="link" onClick={() => select(i)}>
                      {e.name}
                    </button>
                  </td>
                  <td>
                    <span
                      class={`word word-${e.status === 'passed' ? 'pass' : e.status === 'failed' ? 'fail' : 'none'}`}
                    >
                      {statusWord(e.status)}
                    </span>
                  </td>
                  <td>{gatesText(e)}</td>
                  <td class="num">
                    {e.datasetRows}
                    {e.trials > 1 ? ` × ${e.trials}` : ''}
                  </td>
                  <td class="num">{e.erroredRows}</td>
                  <td>
                    <code>{e.file}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {ev && model ? (
          <section class="eval" aria-labelledby="eval-title" key={selected}>
            <h2 id="eval-title">
              <span
                class={`word word-${ev.status === 'passed' ? 'pass' : ev.status === 'failed' ? 'fail' : 'none'}`}
              >
                {statusWord(ev.status)}
              </span>{' '}
              {ev.name} <span class="muted">{ev.file}</span>
            </h2>
            <EvalSummary
              model={model}
              onOpenRow={openRow}
              onFlipped={(metric) => {
                setQuery({ status: 'flipped', metric, text: '' })
                document.querySelector('.rows')?.scrollIntoView()
              }}
            />
            <RowsExplorer model={model} query={query} onQuery={setQuery} onOpen={setOpen} />
            {open !== null ? (
              <RowDetail
                model={model}
                position={open}
                onOpen={setOpen}
                onClose={() => setOpen(null)}
              />
            ) : null}
          </section>
        ) : null}
      </main>
    </>
  )
}
