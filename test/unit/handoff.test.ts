// The run-scoped hand-off from a host's workers to its reporter (core/handoff.ts), on real files.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EvalgateError } from '../../src/base/errors.js'
import { handoffSlot, RUN_DIR_ENV, readHandoff } from '../../src/core/handoff.js'
import type { EvalSuiteMeta } from '../../src/core/meta.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})
function runDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'evalgate-handoff-'))
  dirs.push(d)
  return d
}

const meta = (name: string): EvalSuiteMeta => ({
  kind: 'eval',
  name,
  file: 'qa.eval.ts',
  hasTask: false,
  metrics: ['ok'],
  gates: [],
  maxErrors: 0,
  datasetRows: 2,
  trials: 1,
  summary: null,
})

describe('the hand-off directory', () => {
  it('collects nothing when no reporter named a directory', () => {
    expect(handoffSlot({})).toBeUndefined()
    expect(handoffSlot({ [RUN_DIR_ENV]: '' })).toBeUndefined()
  })

  it('keeps each eval as its last write, and one file per eval', () => {
    const dir = runDir()
    const a = handoffSlot({ [RUN_DIR_ENV]: dir })!
    const b = handoffSlot({ [RUN_DIR_ENV]: dir })!
    a.write({ meta: meta('a'), rows: [] })
    b.write({ meta: meta('b'), rows: [] })
    a.write({ meta: { ...meta('a'), datasetRows: 3 }, rows: [] })
    const read = readHandoff(dir)
    expect(read.map((e) => [e.meta.name, e.meta.datasetRows]).sort()).toEqual([
      ['a', 3],
      ['b', 2],
    ])
    // Written by rename: no temporary file is left behind.
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('a directory that is gone (its run is over) is neither written nor an error', () => {
    const dir = path.join(runDir(), 'gone')
    expect(() =>
      handoffSlot({ [RUN_DIR_ENV]: dir })!.write({ meta: meta('a'), rows: [] }),
    ).not.toThrow()
    expect(readHandoff(dir)).toEqual([])
  })

  it('ignores files that are not eval records by name, and refuses one that is not by content', () => {
    const dir = runDir()
    fs.writeFileSync(path.join(dir, 'x.eval.json.123.tmp'), '{')
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello')
    expect(readHandoff(dir)).toEqual([])
    fs.writeFileSync(path.join(dir, 'bad.eval.json'), '{"meta":{"kind":"row"},"rows":[]}')
    expect(() => readHandoff(dir)).toThrow(EvalgateError)
    expect(() => readHandoff(dir)).toThrow(
      /bad\.eval\.json: expected an eval's results \{ meta, rows \}/,
    )
  })
})
