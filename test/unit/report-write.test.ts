import { spawn } from 'node:child_process'
import { once } from 'node:events'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Report, ReportSchema } from '../../src/core/report-schema.js'
import { appendMarkdown, markRowChecked, writeReportAtomic } from '../../src/reporter/write.js'

function report(): Report {
  return {
    schemaVersion: 2,
    tool: { name: 'evalgate', version: '0.1.0', host: 'vitest', hostVersion: '3.2.4' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 10,
    status: 'passed',
    partial: false,
    evals: [
      {
        name: 'qa',
        file: 'test/qa.eval.ts',
        status: 'passed',
        trials: 1,
        rows: [
          {
            index: 0,
            trial: 0,
            id: 'a',
            inputs: { q: 'x' },
            outputs: 'y',
            expectations: null,
            metadata: null,
            latencyMs: 3,
            feedback: [],
            error: null,
            passed: true,
            trace: null,
          },
        ],
        metrics: {
          latency_ms: { count: 1, errors: 0, unscored: 0, skipped: 0, mean: 3, passRate: null },
        },
        thresholds: [{ key: 'latency_ms/mean', max: 10, actual: 3, passed: true }],
        maxErrors: 0,
        erroredRows: 0,
        datasetRows: 1,
        failures: [],
        usage: {
          requests: 0,
          cacheHits: 0,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: null,
          judges: {},
        },
      },
    ],
    errors: [],
    usage: {
      requests: 0,
      cacheHits: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      judges: {},
    },
  }
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'evalgate-write-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('writeReportAtomic', () => {
  test('writes valid JSON that parses with ReportSchema, and leaves no temp file', async () => {
    const file = path.join(dir, 'out', 'evalgate-report.json')
    await writeReportAtomic(file, report())
    const text = readFileSync(file, 'utf8')
    expect(ReportSchema.parse(JSON.parse(text))).toEqual(report())
    expect(text.endsWith('}\n')).toBe(true)
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['evalgate-report.json'])
  })

  test('replaces an existing artifact', async () => {
    const file = path.join(dir, 'evalgate-report.json')
    writeFileSync(file, 'old')
    await writeReportAtomic(file, report())
    expect(JSON.parse(readFileSync(file, 'utf8')).tool.name).toBe('evalgate')
    expect(readdirSync(dir)).toEqual(['evalgate-report.json'])
  })

  test('refuses an invalid report, names the field, and leaves the previous file untouched', async () => {
    const file = path.join(dir, 'evalgate-report.json')
    writeFileSync(file, 'previous')
    const bad = report() as unknown as { evals: Array<{ rows: Array<Record<string, unknown>> }> }
    bad.evals[0]!.rows[0]!['latencyMs'] = 'slow'
    await expect(writeReportAtomic(file, bad as unknown as Report)).rejects.toThrow(
      /refusing to write an invalid report .*\n {2}evals\[0\]\.rows\[0\]\.latencyMs: .*expected number/,
    )
    expect(readFileSync(file, 'utf8')).toBe('previous')
    expect(readdirSync(dir)).toEqual(['evalgate-report.json'])
  })

  test('rows checked as they arrived are not checked again, and a row that was not still is', async () => {
    const file = path.join(dir, 'evalgate-report.json')
    const r = report()
    const good = r.evals[0]!.rows[0]!
    expect(markRowChecked(good)).toBe(true)
    const bad = { ...good, index: 1, latencyMs: 'slow' } as unknown as typeof good
    // A row the fast check refuses is never marked, so the write still checks it and names it.
    expect(markRowChecked(bad)).toBe(false)
    r.evals[0]!.rows.push(bad)
    await expect(writeReportAtomic(file, r)).rejects.toThrow(
      /refusing to write an invalid report .*\n {2}evals\[0\]\.rows\[1\]\.latencyMs: .*expected number/,
    )
    r.evals[0]!.rows.pop()
    await writeReportAtomic(file, r)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(r)
  })

  test('a row the fast check cannot vouch for is validated by zod: valid, it is written', async () => {
    const file = path.join(dir, 'evalgate-report.json')
    const r = report()
    // A prototype-less object is a valid record for zod, but not on the fast path.
    const inputs = Object.create(null) as Record<string, unknown>
    inputs['q'] = 'x'
    r.evals[0]!.rows[0]!.inputs = inputs
    await writeReportAtomic(file, r)
    expect(JSON.parse(readFileSync(file, 'utf8')).evals[0].rows[0].inputs).toEqual({ q: 'x' })
  })

  test('names the bad field of a row inside a feedback entry', async () => {
    const file = path.join(dir, 'evalgate-report.json')
    const bad = report()
    bad.evals[0]!.rows[0]!.feedback = [
      {
        name: 'm',
        scorer: 'm',
        value: true,
        score: 1,
        passed: 'yes' as unknown as boolean,
        rationale: null,
        error: null,
        source: null,
        metadata: null,
      },
    ]
    await expect(writeReportAtomic(file, bad)).rejects.toThrow(
      /evals\[0\]\.rows\[0\]\.feedback\[0\]\.passed: .*expected boolean/,
    )
  })

  test('the envelope is always validated', async () => {
    const file = path.join(dir, 'evalgate-report.json')
    const bad = { ...report(), status: 'green' } as unknown as Report
    await expect(writeReportAtomic(file, bad)).rejects.toThrow(/status: /)
  })

  test('a failed rename removes its temp file', async () => {
    // The target is a non-empty directory: the rename fails after the temp file was written.
    const target = path.join(dir, 'taken')
    writeFileSync(path.join(dir, 'keep'), '')
    mkdirSync(path.join(target, 'child'), { recursive: true })
    await expect(writeReportAtomic(target, report())).rejects.toThrow()
    expect(readdirSync(dir).sort()).toEqual(['keep', 'taken'])
  })
})

/** The pid of a process that has exited: certainly dead (pids are not reused this fast). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await once(child, 'exit')
  if (child.pid === undefined) throw new Error('the child process did not start')
  return child.pid
}

/** Sets a file's times two minutes back: older than any write in progress could be. */
function age(file: string): void {
  const then = new Date(Date.now() - 120_000)
  utimesSync(file, then, then)
}

describe('writeReportAtomic: temp files of killed runs', () => {
  test('a run killed (SIGKILL) while writing leaves its temp file; the next write removes it', async () => {
    const file = path.join(dir, 'evalgate-report.json')
    // A writer that names its temp file as writeReportAtomic does and is killed mid-write.
    const writer = `
      const fs = require('node:fs')
      const tmp = ${JSON.stringify(dir)} + '/.evalgate-report.json.' + process.pid + '.0a1b2c3d.tmp'
      const fd = fs.openSync(tmp, 'w')
      fs.writeSync(fd, '{"schemaVersion":')
      process.stdout.write('writing\\n')
      const chunk = Buffer.alloc(64 * 1024, 32)
      for (;;) fs.writeSync(fd, chunk)
    `
    const child = spawn(process.execPath, ['-e', writer], { stdio: ['ignore', 'pipe', 'inherit'] })
    await once(child.stdout, 'data')
    child.kill('SIGKILL')
    const [, signal] = await once(child, 'exit')
    expect(signal).toBe('SIGKILL')
    const left = path.join(dir, `.evalgate-report.json.${child.pid}.0a1b2c3d.tmp`)
    expect(existsSync(left)).toBe(true)
    age(left)
    await writeReportAtomic(file, report())
    expect(readdirSync(dir)).toEqual(['evalgate-report.json'])
  })

  test('removes temp files of dead processes, keeps those of live ones and of other targets', async () => {
    const file = path.join(dir, 'evalgate-report.json')
    const dead = await deadPid()
    const names = {
      dead: `.evalgate-report.json.${dead}.deadbeef.tmp`,
      live: `.evalgate-report.json.${process.pid}.0badf00d.tmp`,
      otherTarget: `.other-report.json.${dead}.deadbeef.tmp`,
      notOurs: `.evalgate-report.json.${dead}.tmp`,
    }
    for (const name of Object.values(names)) {
      writeFileSync(path.join(dir, name), 'partial')
      age(path.join(dir, name))
    }
    await writeReportAtomic(file, report())
    expect(readdirSync(dir).sort()).toEqual(
      [names.live, names.otherTarget, names.notOurs, 'evalgate-report.json'].sort(),
    )
  })

  test("keeps a dead process's temp file written in the last minute (a writer in another pid namespace)", async () => {
    const file = path.join(dir, 'evalgate-report.json')
    const fresh = `.evalgate-report.json.${await deadPid()}.deadbeef.tmp`
    writeFileSync(path.join(dir, fresh), 'partial')
    await writeReportAtomic(file, report())
    expect(readdirSync(dir).sort()).toEqual([fresh, 'evalgate-report.json'].sort())
  })
})

describe('appendMarkdown', () => {
  test('appends, separating blocks by a blank line, creating the file if needed', async () => {
    const file = path.join(dir, 'sub', 'summary.md')
    appendMarkdown(file, '## one\n')
    appendMarkdown(file, '## two')
    expect(readFileSync(file, 'utf8')).toBe('## one\n\n## two\n\n')
  })
})
