import { useMemo } from 'preact/hooks'
import type { EvalComparison } from '../../core/compare-schema.js'
import { Histogram } from './chart.js'
import {
  formatMetricValue,
  formatNumber,
  gateResult,
  gateTarget,
  MISSING,
  percent,
  usageLine,
} from './format.js'
import { type EvalModel, metricValues } from './model.js'

// One eval: its verdict, metric table with intervals, a chart per metric, the gates, the
// judges' agreement with human labels, and the comparison with a baseline.

type Metric = EvalModel['ev']['metrics'][string]

/** Fields of a metric that are not aggregations. */
const NOT_AGGREGATIONS = new Set([
  'count',
  'errors',
  'unscored',
  'skipped',
  'aggregationErrors',
  'stderr',
  'ci',
  'flaky',
])

export const statusWord = (s: string): string => s.toUpperCase()

function aggregations(metrics: Record<string, Metric>): string[] {
  const seen = new Set<string>()
  for (const m of Object.values(metrics)) {
    for (const k of Object.keys(m)) if (!NOT_AGGREGATIONS.has(k)) seen.add(k)
  }
  return [...seen]
}

function ciText(metric: string, m: Metric): string {
  if (!m.ci) return MISSING
  const { low, high, level, method } = m.ci
  return `[${formatMetricValue(metric, low)}, ${formatMetricValue(metric, high)}] ${percent(level)} ${method}`
}

function aggCell(name: string, m: Metric, a: string) {
  const v = m[a]
  return (
    <td class="num" key={a} title={m.aggregationErrors?.[a]}>
      {typeof v === 'number' ? formatMetricValue(name, v) : MISSING}
    </td>
  )
}

export function EvalSummary(props: {
  model: EvalModel
  onFlipped: (metric: string) => void
  onOpenRow: (index: number) => void
}) {
  const { model, onFlipped, onOpenRow } = props
  const { ev } = model
  const aggs = aggregations(ev.metrics)
  // The mean and the pass rate first, beside their interval; the other aggregations after.
  const lead = aggs.filter((a) => a === 'mean' || a === 'passRate')
  const rest = aggs.filter((a) => a !== 'mean' && a !== 'passRate')
  const anyFlaky = ev.trials > 1 && Object.values(ev.metrics).some((m) => m.flaky !== undefined)
  const anyBound = ev.thresholds.some((g) => g.bound !== undefined)
  const anyReason = ev.thresholds.some((g) => g.reason !== undefined)
  const anyStderr = Object.values(ev.metrics).some((m) => m.stderr !== undefined)
  const charts = useMemo(
    () => model.metrics.map((m) => ({ metric: m, values: metricValues(ev, m) })),
    [model],
  )
  return (
    <>
      {ev.failures.length > 0 ? (
        <section class="failures" aria-label="Why the eval failed">
          <h3>Why it failed</h3>
          <ul>
            {ev.failures.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {ev.status === 'partial' ? (
        <p class="note">
          PARTIAL: some rows of this eval did not run (-t, .only or a shard), so its gates were not
          evaluated.
        </p>
      ) : null}
      <section aria-label="Gates">
        <h3>Gates</h3>
        {ev.thresholds.length === 0 ? (
          <p class="muted">No gates.</p>
        ) : (
          <table class="gates">
            <thead>
              <tr>
                <th>Gate</th>
                <th>Target</th>
                <th class="num">Actual</th>
                {anyBound ? <th class="num">Bound</th> : null}
                <th>Result</th>
                {anyReason ? <th>Reason</th> : null}
              </tr>
            </thead>
            <tbody>
              {ev.thresholds.map((g) => {
                const metric = g.key.slice(0, Math.max(0, g.key.lastIndexOf('/'))) || g.key
                const r = gateResult(g)
                return (
                  <tr
                    key={g.key}
                    class={`gate-${r === 'PASS' ? 'pass' : r === 'FAIL' ? 'fail' : 'none'}`}
                  >
                    <td>
                      <code>{g.key}</code>
                    </td>
                    <td>{gateTarget(g)}</td>
                    <td class="num">{formatMetricValue(metric, g.actual)}</td>
                    {anyBound ? (
                      <td class="num">
                        {g.bound === undefined ? '' : formatMetricValue(metric, g.bound)}
                      </td>
                    ) : null}
                    <td>
                      <span
                        class={`word word-${r === 'PASS' ? 'pass' : r === 'FAIL' ? 'fail' : 'none'}`}
                      >
                        {r}
                      </span>
                    </td>
                    {anyReason ? <td class="reason">{g.reason ?? ''}</td> : null}
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="Metrics">
        <h3>Metrics</h3>
        <div class="scroll-x">
          <table class="metrics">
            <thead>
              <tr>
                <th>Metric</th>
                {lead.map((a) => (
                  <th class="num" key={a}>
                    {a}
                  </th>
                ))}
                <th>Confidence interval</th>
                {anyStderr ? <th class="num">Std. error</th> : null}
                {anyFlaky ? <th class="num">Flaky rows</th> : null}
                <th class="num">Count</th>
                <th class="num">Errors</th>
                <th class="num">Skipped</th>
                {rest.map((a) => (
                  <th class="num" key={a}>
                    {a}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {model.metrics.map((name) => {
                const m = ev.metrics[name]!
                return (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    {lead.map((a) => aggCell(name, m, a))}
                    <td class="nowrap">{ciText(name, m)}</td>
                    {anyStderr ? (
                      <td class="num">
                        {typeof m.stderr === 'number' ? formatMetricValue(name, m.stderr) : MISSING}
                      </td>
                    ) : null}
                    {anyFlaky ? <td class="num">{m.flaky ?? MISSING}</td> : null}
                    <td class="num">{m.count}</td>
                    <td class="num">{m.errors}</td>
                    <td class="num">{m.skipped}</td>
                    {rest.map((a) => aggCell(name, m, a))}
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
        <div class="charts">
          {charts.map((c) => (
            <Histogram key={c.metric} metric={c.metric} values={c.values} />
          ))}
        </div>
      </section>
      {ev.agreement && Object.keys(ev.agreement).length > 0 ? <Agreement model={model} /> : null}
      {model.comparison ? (
        <Comparison cmp={model.comparison} onFlipped={onFlipped} onOpenRow={onOpenRow} />
      ) : null}
      <p class="muted">
        {ev.rows.length} results of {ev.datasetRows} dataset rows
        {ev.trials > 1 ? ` × ${ev.trials} trials` : ''}, {ev.erroredRows} errored (at most{' '}
        {ev.maxErrors} allowed). Judges: {usageLine(ev.usage)}.
      </p>
    </>
  )
}

function Agreement({ model }: { model: EvalModel }) {
  const agreement = model.ev.agreement!
  return (
    <section aria-label="Agreement with human labels">
      <h3>Judge agreement with human labels</h3>
      <table>
        <thead>
          <tr>
            <th>Metric</th>
            <th class="num">n</th>
            <th class="num">Accuracy</th>
            <th class="num">Kappa</th>
            <th class="num">TPR</th>
            <th class="num">TNR</th>
            <th>Corrected pass rate</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(agreement).map(([name, a]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td class="num">{a.n}</td>
              <td class="num">{formatNumber(a.accuracy)}</td>
              <td class="num">{formatNumber(a.kappa)}</td>
              <td class="num">{formatNumber(a.tpr)}</td>
              <td class="num">{formatNumber(a.tnr)}</td>
              <td>
                {a.corrected.estimate === null
                  ? `${MISSING} (${a.corrected.reason})`
                  : `${formatNumber(a.corrected.estimate)} [${formatNumber(a.corrected.low)}, ${formatNumber(a.corrected.high)}] ${percent(a.corrected.level)}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** The verdict in words, and the class that colours it. */
const VERDICT: Record<EvalComparison['metrics'][number]['verdict'], [string, string]> = {
  regression: ['REGRESSION', 'fail'],
  improvement: ['IMPROVEMENT', 'pass'],
  'within margin': ['WITHIN MARGIN', 'none'],
  'no significant change': ['NO SIGNIFICANT CHANGE', 'none'],
  'not compared': ['NOT COMPARED', 'none'],
}

type Flip = EvalComparison['flips'][number]

const passes = (side: Flip['baseline']) =>
  `${side.passed ? 'PASS' : 'FAIL'}${side.trials > 1 ? ` (${side.passes} of ${side.trials} trials)` : ''}`

function Comparison(props: {
  cmp: EvalComparison
  onFlipped: (metric: string) => void
  onOpenRow: (index: number) => void
}) {
  const { cmp, onFlipped, onOpenRow } = props
  const regressed = cmp.flips.filter((f) => f.change === 'regressed').length
  return (
    <section class="comparison" aria-label="Comparison with the baseline">
      <h3>Compared with the baseline</h3>
      <p class="muted">
        {cmp.pairedRows} rows paired by {cmp.pairing === 'id' ? 'id' : 'position'}
        {cmp.added.length > 0 ? ` · ${cmp.added.length} only in this run` : ''}
        {cmp.removed.length > 0 ? ` · ${cmp.removed.length} only in the baseline` : ''}
        {cmp.baselineFile !== cmp.file ? ` · baseline file ${cmp.baselineFile}` : ''}
      </p>
      <div class="scroll-x">
        <table>
          <thead>
            <tr>
              <th>Metric</th>
              <th>Better</th>
              <th class="num">Baseline</th>
              <th class="num">Now</th>
              <th class="num">Δ</th>
              <th>Δ interval</th>
              <th class="num">p</th>
              <th>Verdict</th>
              <th>Flipped rows</th>
            </tr>
          </thead>
          <tbody>
            {cmp.metrics.map((d) => {
              const flips = cmp.flips.filter((f) => f.metric === d.name).length
              const sign = d.diff !== null && d.diff > 0 ? '+' : ''
              const [word, cls] = VERDICT[d.verdict]
              const fmt = (n: number | null) => formatMetricValue(d.name, n)
              return (
                <tr key={d.name}>
                  <th scope="row">{d.name}</th>
                  <td>{d.direction}</td>
                  <td class="num">{fmt(d.baseline)}</td>
                  <td class="num">{fmt(d.candidate)}</td>
                  <td class="num">
                    {d.diff === null ? MISSING : `${sign}${formatNumber(d.diff)}`}
                  </td>
                  <td class="nowrap">
                    {d.ci
                      ? `[${formatNumber(d.ci.low)}, ${formatNumber(d.ci.high)}] ${percent(d.ci.level)}`
                      : MISSING}
                  </td>
                  <td
                    class="num"
                    title={d.mcnemar ? `McNemar p = ${formatNumber(d.mcnemar.pValue)}` : undefined}
                  >
                    {formatNumber(d.pValue)}
                  </td>
                  <td title={d.reason}>
                    <span class={`word word-${cls}`}>{word}</span>
                  </td>
                  <td>
                    {flips === 0 ? (
                      '0'
                    ) : (
                      <button type="button" class="link" onClick={() => onFlipped(d.name)}>
                        {flips} flipped
                      </button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <h4>
        Rows that flipped: {cmp.flips.length} ({regressed} regressed, {cmp.flips.length - regressed}{' '}
        improved)
      </h4>
      {cmp.flips.length === 0 ? (
        <p class="muted">No row changed its result.</p>
      ) : (
        <ul class="flips" data-testid="flipped-rows">
          {cmp.flips.slice(0, 50).map((f) => (
            <li key={`${f.metric}/${f.candidateIndex}`}>
              <span class={`word word-${f.change === 'regressed' ? 'fail' : 'pass'}`}>
                {f.change.toUpperCase()}
              </span>{' '}
              <button type="button" class="link" onClick={() => onOpenRow(f.candidateIndex)}>
                {f.id === null ? `row #${f.candidateIndex}` : String(f.id)}
              </button>{' '}
              · {f.metric}: {passes(f.baseline)} → {passes(f.candidate)}
              {f.candidate.rationale ? <span class="muted"> — {f.candidate.rationale}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {cmp.flips.length > 50 ? (
        <p class="muted">
          The first 50 are listed; “Flipped vs baseline” in the rows below shows them all.
        </p>
      ) : null}
    </section>
  )
}
