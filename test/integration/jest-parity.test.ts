// The same eval files under Vitest and under Jest (Jest maps `evalgate/vitest` to
// `evalgate/jest`, so each file keeps its name): the artifacts are equal once what must differ
// is removed (timings, the host's name and version, and stack traces, which are the host's own
// frames), and so are the test names, their outcomes and the failure messages.
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../../src/core/report-schema.js'
import {
  copyProject,
  expectArtifactAgreesWithExit,
  readVitestJson,
  runVitest,
  type VitestJsonReport,
} from './harness.js'
import { type JestJsonReport, readJestJson, runJest } from './jest-harness.js'

/** Timings (run, rows, spans), the host, and stack traces removed. */
function comparable(report: Report): unknown {
  const drop = new Set(['startedAt', 'durationMs', 'latencyMs', 'startMs', 'endMs', 'stack'])
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v !== 'object' || v === null) return v
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) if (!drop.has(k)) out[k] = walk(x)
    return out
  }
  const r = walk(report) as Report
  const tool = r.tool as Record<string, unknown>
  delete tool['host']
  delete tool['hostVersion']
  for (const e of r.evals) {
    // latency_ms values are timings; the metric itself (and its count) must be there.
    const latency = e.metrics['latency_ms']
    if (latency !== undefined) e.metrics['latency_ms'] = { count: latency.count } as typeof latency
    for (const g of e.thresholds) {
      if (g.key.startsWith('latency_ms/')) {
        g.actual = null
        delete g.bound
      }
    }
  }
  return r
}

type Outcome = { file: string; name: string; status: string; message: string | undefined }

/** A failure message without its stack (the host's frames). */
function message(failure: string | undefined): string | undefined {
  if (failure === undefined) return undefined
  const at = failure.search(/\n\s+at /)
  return (at === -1 ? failure : failure.slice(0, at)).trimEnd()
}

function vitestOutcomes(json: VitestJsonReport): Outcome[] {
  return json.testResults.flatMap((f) =>
    f.assertionResults.map((t) => ({
      file: path.basename(f.name),
      name: [...t.ancestorTitles, t.title].join(' > '),
      status: t.status,
      message: message(t.failureMessages[0]),
    })),
  )
}

function jestOutcomes(json: JestJsonReport): Outcome[] {
  return json.testResults.flatMap((f) =>
    f.assertionResults.map((t) => ({
      file: path.basename(f.name),
      name: [...t.ancestorTitles, t.title].join(' > '),
      status: t.status,
      message: message(t.failureMessages[0]),
    })),
  )
}

const byName = (a: Outcome, b: Outcome) =>
  a.file.localeCompare(b.file) || a.name.localeCompare(b.name)

describe('parity: one eval body under Vitest and under Jest', () => {
  let dir: string
  let vitest: { report: Report; tests: Outcome[]; code: number | null }
  let jest: { report: Report; tests: Outcome[]; code: number | null }
  beforeAll(async () => {
    dir = copyProject('parity')
    const vReport = path.join(dir, 'vitest-report.json')
    const vJson = path.join(dir, 'vitest.json')
    const v = await runVitest(
      dir,
      [
        'run',
        '--reporter=default',
        '--reporter=evalgate/reporter',
        '--reporter=json',
        `--outputFile.json=${vJson}`,
      ],
      { EVALGATE_REPORT: vReport },
    )
    vitest = {
      report: expectArtifactAgreesWithExit(v, vReport),
      tests: vitestOutcomes(readVitestJson(vJson)).sort(byName),
      code: v.code,
    }
    const jReport = path.join(dir, 'jest-report.json')
    const jJson = path.join(dir, 'jest.json')
    const j = await runJest(
      dir,
      [
        '--reporters=default',
        '--reporters=evalgate/jest-reporter',
        '--json',
        `--outputFile=${jJson}`,
      ],
      { EVALGATE_REPORT: jReport },
    )
    jest = {
      report: expectArtifactAgreesWithExit(j, jReport),
      tests: jestOutcomes(readJestJson(jJson)).sort(byName),
      code: j.code,
    }
  })

  it('both fail (a gate and two rows fail), with the same exit code', () => {
    expect(vitest.code).toBe(1)
    expect(jest.code).toBe(1)
  })

  it('writes equal artifacts, timings, host and stacks aside', () => {
    expect(vitest.report.tool.host).toBe('vitest')
    expect(jest.report.tool.host).toBe('jest')
    // Not a vacuous comparison: every eval of the body, with its rows.
    expect(jest.report.evals.map((e) => [e.name, e.status, e.rows.length])).toEqual([
      ['parity gated', 'failed', 10],
      ['parity passing', 'passed', 4],
      ['parity csv', 'passed', 2],
      ['parity polite', 'passed', 1],
      ['parity rude', 'failed', 1],
      ['parity unit', 'failed', 3],
    ])
    expect(comparable(jest.report)).toEqual(comparable(vitest.report))
  })

  it('names the same tests, with the same outcomes and the same failure messages', () => {
    const status = (s: string) => (s === 'pending' ? 'skipped' : s)
    const j = jest.tests.map((t) => ({ ...t, status: status(t.status) }))
    expect(j.length).toBe(23)
    expect(j).toEqual(vitest.tests)
    expect(j.filter((t) => t.status === 'failed').map((t) => t.name)).toEqual([
      'parity gated > thresholds',
      'parity rude',
      'parity unit > off by three',
    ])
  })
})
