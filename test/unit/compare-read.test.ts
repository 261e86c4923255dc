// An artifact read for a comparison (core/compare-read.ts), a megabyte of rows at a time or
// whole: the same summary, the same flipped-row details, the same errors as readReportFile.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readArtifactBytes } from '../../src/core/artifact-read.js'
import { readSideInBatches, readSideSummary } from '../../src/core/compare-read.js'
import { flipDetails, summarizeSide } from '../../src/core/compare-side.js'
import type { Report } from '../../src/core/report.js'
import { readReportFile } from '../../src/core/report-file.js'
import { scorer } from '../../src/core/scorer.js'
import { artifactOf, type EvalDef, runAll } from './cli-artifacts.js'

const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-compare-read-'))

const judged = scorer('correct', ({ outputs }) => ({
  value: outputs === 'yes',
  rationale: `said "${String(outputs)}" \\ é`,
}))
const length = scorer('length', ({ outputs }) => String(outputs).length / 10)

/**
 * An eval whose inputs hold what the batch cuts look for (the writer's start of a row, and
 * `],"metrics":`), so a cut there would fall inside a row, and long texts, so there are many
 * batches.
 */
function def(name: string, rows: number, trials = 1, fakes = 6): EvalDef {
  const fake = Array.from({ length: fakes }, (_, k) => ({ index: k, trial: 0, id: 'fake' }))
  return {
    name,
    file: `evals/${name}.eval.ts`,
    data: Array.from({ length: rows }, (_, i) => ({
      id: `q${i}`,
      inputs: { i, list: i % 7 === 0 ? fake : [], text: 'x'.repeat(i % 3 === 0 ? 1500 : 20) },
      outputs: ['yes', 'no', 'maybe'][i % 3],
    })),
    scorers: [judged, length],
    trials,
  }
}

let cached: Report | undefined
async function artifact(): Promise<Report> {
  if (cached !== undefined) return structuredClone(cached)
  const a = def('qa', 3_000)
  const b = def('trials', 40, 3)
  cached = artifactOf([
    { def: a, rows: await runAll(a) },
    { def: b, rows: await runAll(b) },
  ])
  return structuredClone(cached)
}

function write(name: string, text: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

/** The summary and the details of every Feedback a flip may show, as read whole. */
function wholeRead(file: string) {
  const report = readReportFile(file)
  const summary = summarizeSide(file, report)
  const refs = summary.evals.flatMap((e, ei) =>
    [...e.columns.values()].flatMap((c) =>
      [...c.firstPassRow, ...c.firstFailRow].flatMap((row, k) => {
        if (row === -1) return []
        const n = c.firstPassRow.length
        const feedback = k < n ? c.firstPassFeedback[k]! : c.firstFailFeedback[k - n]!
        return [{ eval: ei, row, feedback }]
      }),
    ),
  )
  return { summary, refs, details: flipDetails(report, refs) }
}

describe('readSideSummary', () => {
  it('as written, pretty-printed or with rows out of order: the summary and details of the artifact read whole', async () => {
    const report = await artifact()
    expect(JSON.stringify(report).length).toBeGreaterThan(3 << 20)
    const shuffled = await artifact()
    shuffled.evals[1]!.rows.reverse()
    for (const [name, text] of [
      ['written.json', JSON.stringify(report)],
      ['pretty.json', JSON.stringify(report, null, 2)],
      ['shuffled.json', JSON.stringify(shuffled)],
    ] as const) {
      const file = write(name, text)
      const expected = wholeRead(file)
      expect(expected.refs.length).toBeGreaterThan(3_000)
      const read = await readSideSummary(readArtifactBytes(file), file)
      expect(read.summary, name).toEqual(expected.summary)
      expect(read.details(expected.refs), name).toEqual(expected.details)
    }
  })

  it('in batches: an artifact as written is read so; cut anywhere, never read otherwise than whole', async () => {
    const clean = def('clean', 2_000, 1, 2)
    const plain = JSON.stringify(artifactOf([{ def: clean, rows: await runAll(clean) }]))
    const plainFile = write('plain.json', plain)
    const plainRead = wholeRead(plainFile)
    const read = readSideInBatches(plain, plainFile, 50_000)
    expect(read?.summary).toEqual(plainRead.summary)
    expect(read?.details(plainRead.refs)).toEqual(plainRead.details)
    const text = JSON.stringify(await artifact())
    const file = write('batches.json', text)
    const expected = wholeRead(file)
    const check = (read: ReturnType<typeof readSideInBatches>) => {
      expect(read?.summary).toEqual(expected.summary)
      expect(read?.details(expected.refs)).toEqual(expected.details)
    }
    // Small batches: some cuts land on the inputs' fake rows, inside a row. A reading that cannot
    // get past them gives up (undefined); any other is the whole reading.
    let whole = 0
    let given = 0
    for (let batch = 97; batch < 40_000; batch = Math.ceil(batch * 1.7)) {
      const read = readSideInBatches(text, file, batch)
      if (read === undefined) {
        whole++
        continue
      }
      given++
      check(read)
    }
    expect(whole).toBeGreaterThan(0)
    expect(given).toBeGreaterThan(0)
    expect(readSideInBatches(JSON.stringify(JSON.parse(text), null, 2), file)).toBeUndefined()
    const inputs = text.replace('"inputs":{"i":5,', '"inputs":{"a":[1],"metrics":1,"i":5,')
    expect(inputs).not.toBe(text)
    expect(readSideInBatches(inputs, file)).toBeUndefined()
  })

  it('rejects as readReportFile throws: bad JSON in the envelope or a row, a bad field, a newer version', async () => {
    const text = JSON.stringify(await artifact())
    const last = text.lastIndexOf('"passed":true')
    const cases = [
      text.replace('"status":"', '"status":'),
      text.replace('"latencyMs":', '"latencyMs":-'),
      `${text.slice(0, last)}"passed":"yes"${text.slice(last + '"passed":true'.length)}`,
      text.replace('{"index":2000,', '{"index":2000,,'),
      text.replace('"schemaVersion":2', '"schemaVersion":3'),
      text.slice(0, -2),
      '',
    ]
    for (const [k, changed] of cases.entries()) {
      expect(changed).not.toBe(text)
      const file = write(`bad-${k}.json`, changed)
      const thrown = (() => {
        try {
          readReportFile(file)
          return undefined
        } catch (error) {
          return error
        }
      })()
      expect(thrown, changed.slice(0, 60)).toBeInstanceOf(Error)
      await expect(readSideSummary(readArtifactBytes(file), file)).rejects.toThrow(
        (thrown as Error).message,
      )
    }
  })
})
