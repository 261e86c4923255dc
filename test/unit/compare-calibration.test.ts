// Does `evalgate compare` cry wolf, and does it find a real drop? 1,000 seeded pairs of runs
// through compareReports itself (pairing, row means, interval, verdict), as the stats-level
// simulation in stats-calibration.test.ts does for pairedDiff alone.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'
import { describe, expect, it } from 'vitest'
import { compareReports } from '../../src/core/compare.js'
import type { EvalReport, Report } from '../../src/core/report.js'
import { normalQuantile, tQuantile } from '../../src/stats/index.js'

function gaussian(rng: RandomGenerator): number {
  const u1 = 1 - uniformFloat64(rng)
  const u2 = uniformFloat64(rng)
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
}

/** A one-eval artifact of yes/no rows (only what compare reads is filled in). */
function artifact(passes: readonly number[]): Report {
  const rows = passes.map((p, i) => ({
    index: i,
    trial: 0,
    id: `r${i}`,
    inputs: {},
    outputs: null,
    expectations: null,
    metadata: null,
    latencyMs: null,
    feedback: [
      {
        name: 'correct',
        scorer: 'correct',
        value: p === 1,
        score: p,
        passed: p === 1,
        rationale: null,
        error: null,
        source: null,
        metadata: null,
      },
    ],
    error: null,
    passed: p === 1,
    trace: null,
  }))
  const e = {
    name: 'qa',
    file: 'qa.eval.ts',
    status: 'passed',
    trials: 1,
    rows,
    metrics: { correct: { count: rows.length, errors: 0, unscored: 0, skipped: 0 } },
    thresholds: [{ key: 'correct/mean', min: 0.5, actual: 0.8, passed: true }],
    maxErrors: 0,
    erroredRows: 0,
    datasetRows: rows.length,
    failures: [],
    usage: {
      requests: 0,
      cacheHits: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      judges: {},
    },
  } as unknown as EvalReport
  return {
    schemaVersion: 2,
    tool: { name: 'evalgate', version: '0.1.0', host: 'vitest', hostVersion: '4.1.12' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    status: 'passed',
    partial: false,
    evals: [e],
    errors: [],
    usage: e.usage,
  }
}

/** Welch's unpaired interval: is its upper end below 0? (what a compare that ignores pairing does) */
function unpairedRegression(a: number[], b: number[]): boolean {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length
  const ma = mean(a)
  const mb = mean(b)
  const va = a.reduce((s, v) => s + (v - ma) ** 2, 0) / (a.length - 1) / a.length
  const vb = b.reduce((s, v) => s + (v - mb) ** 2, 0) / (b.length - 1) / b.length
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1))
  return mb - ma + tQuantile(0.975, df) * Math.sqrt(va + vb) < 0
}

/**
 * 1,000 pairs of runs over 200 yes/no rows, a probit model: row difficulty u ~ N(0, σ²) shared
 * by both runs, fresh noise per run; the baseline passes 80% of rows, the candidate
 * `candidateRate`. σ = 1.5: reruns of one dataset (a row that passed passes again ~89% of the
 * time); σ = 0: independent runs.
 */
function simulate(sigma: number, candidateRate: number, seed: number) {
  const rng = xoroshiro128plus(seed)
  const rows = 200
  const runs = 1000
  const scale = Math.sqrt(1 + sigma * sigma)
  const muA = normalQuantile(0.8) * scale
  const muB = normalQuantile(candidateRate) * scale
  let regressions = 0
  let unpaired = 0
  let mcnemar = 0
  for (let k = 0; k < runs; k++) {
    const a: number[] = []
    const b: number[] = []
    for (let r = 0; r < rows; r++) {
      const u = sigma * gaussian(rng)
      a.push(muA + u + gaussian(rng) > 0 ? 1 : 0)
      b.push(muB + u + gaussian(rng) > 0 ? 1 : 0)
    }
    const c = compareReports(
      { file: 'a.json', report: artifact(a) },
      { file: 'b.json', report: artifact(b) },
      { version: '0.1.0' },
    )
    const m = c.evals[0]!.metrics[0]!
    if (m.verdict === 'regression') regressions++
    if (
      m.mcnemar !== null &&
      m.mcnemar.passToFail > m.mcnemar.failToPass &&
      m.mcnemar.pValue < 0.05
    ) {
      mcnemar++
    }
    if (unpairedRegression(a, b)) unpaired++
  }
  return { paired: regressions / runs, unpaired: unpaired / runs, mcnemar: mcnemar / runs }
}

describe('evalgate compare: 1,000 seeded pairs of runs over 200 yes/no rows', () => {
  it('no true difference: a false regression in <= 5% of pairs, correlated or independent', () => {
    const correlated = simulate(1.5, 0.8, 31)
    const independent = simulate(0, 0.8, 32)
    // Measured: correlated 0.026 (McNemar 0.017; Welch unpaired 0.005, too wide), independent 0.030.
    expect(correlated.paired).toBeLessThanOrEqual(0.05)
    expect(independent.paired).toBeLessThanOrEqual(0.05)
    expect(correlated.mcnemar).toBeLessThanOrEqual(0.05)
  })

  it('a true drop of 0.1 on correlated reruns is found in >= 80% of pairs; pairing is where the power comes from', () => {
    const correlated = simulate(1.5, 0.7, 33)
    const independent = simulate(0, 0.7, 34)
    // Measured: correlated paired 0.882, unpaired (Welch) 0.686, McNemar 0.852;
    // independent paired 0.630, unpaired 0.630 (McNemar 0.578): with nothing shared between
    // the runs, pairing gains nothing, and 200 rows are too few to find 0.1 reliably.
    expect(correlated.paired).toBeGreaterThanOrEqual(0.8)
    expect(correlated.unpaired).toBeLessThan(correlated.paired - 0.1)
    expect(Math.abs(independent.paired - independent.unpaired)).toBeLessThan(0.05)
  })
})
