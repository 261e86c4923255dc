import { formatMetricValue, formatNumber } from './format.js'
import { histogram } from './model.js'

// A metric's distribution as a small SVG histogram. A charting library would be larger than the
// whole page for a dozen bars: these are plain rects drawn by Preact, labelled with their
// counts so that they read without colour, with a <title> per bar for the exact range.

const W = 260
const H = 120
const PAD = { top: 14, bottom: 30, left: 6, right: 6 }

export function Histogram(props: { metric: string; values: readonly number[] }) {
  const { metric, values } = props
  const fmt = (n: number) => formatMetricValue(metric, n)
  const bins = histogram(values, fmt)
  if (bins.length === 0) {
    return (
      <figure class="chart">
        <figcaption>{metric}</figcaption>
        <p class="muted">no scored values</p>
      </figure>
    )
  }
  const top = Math.max(...bins.map((b) => b.count))
  const bw = (W - PAD.left - PAD.right) / bins.length
  const ph = H - PAD.top - PAD.bottom
  const label = `${metric}: distribution of ${values.length} values`
  return (
    <figure class="chart">
      <figcaption>
        {metric} <span class="muted">({values.length} values)</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
        {bins.map((b, i) => {
          const h = top === 0 ? 0 : (b.count / top) * ph
          const x = PAD.left + i * bw
          const y = PAD.top + ph - h
          return (
            <g key={b.label}>
              <title>{`${b.label}: ${b.count} of ${values.length}`}</title>
              <rect class="bar" x={x + 1} y={y} width={Math.max(1, bw - 2)} height={h} />
              {b.count > 0 && bins.length <= 12 ? (
                <text class="count" x={x + bw / 2} y={y - 3} text-anchor="middle">
                  {formatNumber(b.count)}
                </text>
              ) : null}
            </g>
          )
        })}
        <line
          class="axis"
          x1={PAD.left}
          x2={W - PAD.right}
          y1={H - PAD.bottom}
          y2={H - PAD.bottom}
        />
        {bins[0]!.low === bins[0]!.high
          ? bins.map((b, i) => (
              <text
                key={b.label}
                class="tick"
                x={PAD.left + (i + 0.5) * bw}
                y={H - PAD.bottom + 14}
                text-anchor="middle"
              >
                {b.label}
              </text>
            ))
          : [
              <text key="min" class="tick" x={PAD.left} y={H - PAD.bottom + 14}>
                {fmt(bins[0]!.low)}
              </text>,
              <text
                key="max"
                class="tick"
                x={W - PAD.right}
                y={H - PAD.bottom + 14}
                text-anchor="end"
              >
                {fmt(bins[bins.length - 1]!.high)}
              </text>,
            ]}
      </svg>
    </figure>
  )
}
