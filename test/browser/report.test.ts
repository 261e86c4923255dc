import { statSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { compareReports } from '../../src/core/compare.js'
import { mergeReports } from '../../src/core/merge.js'
import type { EvalReport, Report } from '../../src/core/report.js'
import { readReportFile } from '../../src/core/report-file.js'
import { launch, openFile, openReport, screenshot, shownRowIds } from './browser.js'

// The HTML report of real runs (see setup.ts), opened from file:// in Debian's Chromium.

const { dir, examples, hostile } = inject('browserReports')
let browser: Browser

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

type Row = EvalReport['rows'][number]
const errored = (r: Row) => r.error !== null || r.feedback.some((f) => f.error !== null)
const failedOrErrored = (r: Row) => !r.passed || errored(r)
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

async function selectEval(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click()
  await page.waitForFunction(
    (n) => document.querySelector('#eval-title')?.textContent?.includes(n),
    name,
  )
}

async function showOnly(page: Page, label: string): Promise<void> {
  await page.getByRole('radio', { name: label, exact: true }).check()
}

const rowCount = (page: Page) => page.textContent('[data-testid=row-count]')

describe('the HTML report of the examples', () => {
  it('shows the run status, every eval and its gates as the artifact holds them, with no console error', async () => {
    const report = readReportFile(examples)
    const { page, problems } = await openReport(browser, dir, 'examples', report)
    console.log(`summary screenshot: ${await screenshot(page, 'summary')}`)
    expect(await page.textContent('[data-testid=run-status]')).toContain(
      report.status.toUpperCase(),
    )
    const evals = await page.$$eval('[data-testid=evals] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
    )
    expect(evals.map((r) => [r[0], r[1]])).toEqual(
      report.evals.map((e) => [e.name, e.status.toUpperCase()]),
    )
    for (const ev of report.evals) {
      await selectEval(page, ev.name)
      const gates = await page.$$eval('table.gates tbody tr', (trs) =>
        trs.map((tr) => [
          (tr as HTMLTableRowElement).cells[0]!.textContent,
          tr.querySelector('.word')?.textContent,
        ]),
      )
      expect(gates).toEqual(
        ev.thresholds.map((g) => [
          g.key,
          g.passed === null ? 'NOT EVALUATED' : g.passed ? 'PASS' : 'FAIL',
        ]),
      )
    }
    expect(problems).toEqual([])
  })

  it('filters to the failed rows: exactly those, in every eval', async () => {
    const report = readReportFile(examples)
    const { page, problems } = await openReport(browser, dir, 'examples', report)
    let checked = 0
    for (const ev of report.evals) {
      await selectEval(page, ev.name)
      await showOnly(page, 'Failed')
      const expected = ev.rows.filter(failedOrErrored)
      await page.waitForFunction(
        (n) =>
          document.querySelector('[data-testid=row-count]')?.textContent?.startsWith(`${n} of`),
        expected.length,
      )
      expect(await rowCount(page)).toBe(`${expected.length} of ${ev.rows.length} rows`)
      if (expected.length <= 10) {
        expect((await shownRowIds(page)).sort()).toEqual(expected.map((r) => String(r.id)).sort())
      }
      checked += expected.length
    }
    // The examples have failing rows (a judge says no, a re-scored trace has a tool error).
    expect(checked).toBeGreaterThan(0)
    expect(problems).toEqual([])
  })

  it('opens a row with its feedback rationales and its trace as a span tree, by keyboard too', async () => {
    const report = readReportFile(examples)
    const ev = report.evals.find((e) =>
      e.rows.some((r) => (r.trace as { spans?: unknown[] } | null)?.spans?.length),
    )!
    expect(ev).toBeDefined()
    const row = ev.rows.find((r) => (r.trace as { spans?: unknown[] } | null)?.spans?.length)!
    const spans = (row.trace as { spans: { name: string; type: string; inputs: unknown }[] }).spans
    const { page, problems } = await openReport(browser, dir, 'examples', report)
    await selectEval(page, ev.name)
    // Keyboard: focus the row, Enter opens it.
    const position = ev.rows.indexOf(row)
    await page.focus(`.scroller .tr[data-k="${position}"]`)
    await page.keyboard.press('Enter')
    const dialog = page.locator('dialog.detail[open]')
    await dialog.waitFor()
    for (const f of row.feedback) {
      if (f.rationale) expect(await dialog.textContent()).toContain(f.rationale)
    }
    const names = await dialog.locator('.span-name').allTextContents()
    expect(names).toHaveLength(spans.length)
    for (const s of spans) expect(names.some((n) => n.includes(s.name))).toBe(true)
    // Each span's inputs and outputs show when it is selected.
    const tool = spans.find((s) => s.type === 'TOOL') ?? spans[spans.length - 1]!
    await dialog.locator('.span-line', { hasText: tool.name }).first().click()
    const inputs =
      typeof tool.inputs === 'string' ? tool.inputs : JSON.stringify(tool.inputs, null, 2)
    expect(await dialog.locator('.span-detail pre').first().textContent()).toBe(inputs)
    console.log(`row-with-trace screenshot: ${await screenshot(page, 'row-with-trace')}`)
    // Esc closes it, and the focus is back on the row.
    await page.keyboard.press('Escape')
    await page.waitForSelector('dialog.detail', { state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-k'))).toBe(
      String(position),
    )
    // The arrow keys move between rows.
    await page.keyboard.press('ArrowDown')
    await page.waitForFunction(
      (k) => document.activeElement?.getAttribute('data-k') === k,
      String(position + 1),
    )
    expect(problems).toEqual([])
  })

  it('compared with a baseline: Δ per metric, and the rows that flipped', async () => {
    const candidate = readReportFile(examples)
    // The baseline: the same run, where the row that fails a metric now passed it, and a row
    // that passes now failed it.
    const ev = candidate.evals.find((e) => e.rows.some((r) => !r.passed && !errored(r)))!
    const failing = ev.rows.find((r) => !r.passed && !errored(r))!
    const metric = failing.feedback.find((f) => f.passed === false)!.name
    const passing = ev.rows.find(
      (r) => r.passed && r.feedback.some((f) => f.name === metric && f.passed === true),
    )!
    const baseline = clone(candidate)
    const bev = baseline.evals.find((e) => e.name === ev.name)!
    for (const [id, pass] of [
      [failing.id, true],
      [passing.id, false],
    ] as const) {
      const r = bev.rows.find((x) => x.id === id)!
      const f = r.feedback.find((x) => x.name === metric)!
      Object.assign(f, {
        value: pass,
        score: pass ? 1 : 0,
        passed: pass,
        rationale: `baseline: ${pass ? 'fine' : 'not fine'}`,
      })
      r.passed = r.feedback.every((x) => x.passed !== false && x.error === null)
    }
    const comparison = compareReports(
      { file: 'baseline.json', report: baseline },
      { file: 'candidate.json', report: candidate },
      { version: candidate.tool.version },
    )
    const { page, problems } = await openReport(browser, dir, 'compared', candidate, {
      comparison,
    })
    await selectEval(page, ev.name)
    const section = page.locator('section.comparison')
    await section.scrollIntoViewIfNeeded()
    const deltas = await section
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => (tr as HTMLTableRowElement).cells[0]!.textContent))
    expect(deltas).toEqual(
      comparison.evals.find((e) => e.name === ev.name)!.metrics.map((m) => m.name),
    )
    const flips = await page.locator('[data-testid=flipped-rows] li').allTextContents()
    expect(flips).toHaveLength(2)
    expect(flips.find((t) => t.includes(String(failing.id)))).toMatch(/^REGRESSED/)
    expect(flips.find((t) => t.includes(String(passing.id)))).toMatch(/^IMPROVED/)
    console.log(`comparison screenshot: ${await screenshot(page, 'comparison')}`)
    await showOnly(page, 'Flipped vs baseline')
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=row-count]')?.textContent?.startsWith('2 of'),
    )
    expect((await shownRowIds(page)).sort()).toEqual(
      [String(failing.id), String(passing.id)].sort(),
    )
    expect(problems).toEqual([])
  })
})

describe('a partial run', () => {
  it('is marked PARTIAL, and its gates NOT EVALUATED', async () => {
    // As a shard writes it: rows left out, gates not evaluated.
    const report = clone(readReportFile(examples))
    report.partial = true
    const ev = report.evals[0]!
    ev.status = 'partial'
    ev.rows = ev.rows.slice(0, 1)
    for (const g of ev.thresholds) {
      g.passed = null
      g.reason = `not evaluated (partial run: 1 of ${ev.datasetRows} rows)`
    }
    const { page, problems } = await openReport(browser, dir, 'partial', report)
    expect(await page.textContent('[data-testid=run-status]')).toContain('PARTIAL')
    await selectEval(page, ev.name)
    expect(await page.textContent('.eval .note')).toContain('PARTIAL')
    expect(await page.locator('table.gates tbody .word').allTextContents()).toEqual(
      ev.thresholds.map(() => 'NOT EVALUATED'),
    )
    expect(problems).toEqual([])
  })
})

describe('untrusted data in the HTML report', () => {
  it('shows model output, rationales, traces and names with HTML in them as text, and runs none of it', async () => {
    const report = readReportFile(hostile)
    const title = '</title><script>window.__pwned=1</script>'
    const { page, problems, file } = await openReport(browser, dir, 'hostile', report, { title })
    expect(await page.title()).toBe(title)
    expect(await page.textContent('[data-testid=run-status]')).toContain('FAILED')
    const ev = report.evals[0]!
    expect(await page.textContent('#eval-title')).toContain(ev.name)
    // Open every row, and every span of its trace.
    for (let k = 0; k < ev.rows.length; k++) {
      const row = ev.rows[k]!
      await page.click(`.scroller .tr[data-k="${k}"]`)
      const dialog = page.locator('dialog.detail[open]')
      await dialog.waitFor()
      const values = await dialog.locator('.values pre').allTextContents()
      expect(values[1]).toBe(row.outputs)
      for (const line of await dialog.locator('.span-line').all()) await line.click()
      await page.keyboard.press('Escape')
      await page.waitForSelector('dialog.detail', { state: 'detached' })
    }
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    // Nothing from the data became an element: only the page's two scripts, no image, no handler.
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(2)
    expect(await page.evaluate(() => document.querySelectorAll('img, iframe, object').length)).toBe(
      0,
    )
    expect(await page.evaluate(() => document.querySelectorAll('[onerror], [onload]').length)).toBe(
      0,
    )
    // The embedded data is the artifact, exactly.
    const base64 = await page.evaluate(() => document.getElementById('evalgate-data')!.textContent!)
    expect(base64).toMatch(/^[A-Za-z0-9+/=]+$/)
    const embedded = JSON.parse(gunzipSync(Buffer.from(base64, 'base64')).toString('utf8'))
    expect(embedded).toEqual({ report, comparison: null, title })
    expect(problems).toEqual([])
    // Opened again from disk by a fresh page: still nothing ran.
    const again = await openFile(browser, file)
    expect(
      await again.page.evaluate(() => (window as { __pwned?: unknown }).__pwned),
    ).toBeUndefined()
    expect(again.problems).toEqual([])
  })

  it('filters errored, flaky and by text over the same rows', async () => {
    const report = readReportFile(hostile)
    const ev = report.evals[0]!
    const { page, problems } = await openReport(browser, dir, 'hostile', report)
    await showOnly(page, 'Errored')
    expect((await shownRowIds(page)).sort()).toEqual(
      ev.rows
        .filter(errored)
        .map((r) => String(r.id))
        .sort(),
    )
    await showOnly(page, 'Flaky')
    expect(await shownRowIds(page)).toEqual(['plain <i>', 'plain <i>'])
    await showOnly(page, 'All rows')
    await page.fill('input[type=search]', 'SEPARATOR')
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=row-count]')?.textContent?.startsWith('2 of'),
    )
    expect(await shownRowIds(page)).toEqual(['separators <i>', 'separators <i>'])
    expect(problems).toEqual([])
  })
})

describe('a 100,000-row report', () => {
  it('becomes interactive within 3 s', async () => {
    const source = readReportFile(examples)
    // Rows shaped as the support bot's (code scorers and latency: what a 100,000-row dataset
    // is scored with), every 7th failing its first metric with a rationale.
    const base = source.evals.find((e) => e.name === 'support bot') ?? source.evals[0]!
    const N = 100_000
    const shard = (from: number, to: number): Report => {
      const rows: Row[] = []
      for (let i = from; i < to; i++) {
        const src = base.rows[i % base.rows.length]!
        const row = clone(src)
        row.index = i
        row.id = `${src.id}-${i}`
        row.outputs = `${String(src.outputs)} (#${i})`
        if (i % 7 === 3) {
          Object.assign(row.feedback[0]!, {
            value: 0,
            score: 0,
            passed: false,
            rationale: `missing: the fact of row ${i}`,
          })
          row.passed = false
        }
        rows.push(row)
      }
      return {
        ...source,
        partial: true,
        evals: [{ ...base, rows, status: 'partial', datasetRows: N }],
      }
    }
    // Two shards merged by core: metrics, intervals and gates recomputed over the 100,000 rows.
    const report = mergeReports([
      { file: 'a.json', report: shard(0, N / 2) },
      { file: 'b.json', report: shard(N / 2, N) },
    ])
    const ev = report.evals[0]!
    expect(ev.rows).toHaveLength(N)
    const failed = ev.rows.filter(failedOrErrored).length
    const { writeHtmlReport } = await import('../../src/html/index.js')
    const file = writeHtmlReport(report, `${dir}/big.html`)
    const mb = statSync(file).size / 1024 / 1024
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))
    const t0 = performance.now()
    await page.goto(`file://${file}`)
    await page.waitForSelector('body[data-ready="1"]')
    const ready = performance.now() - t0
    await showOnly(page, 'Failed')
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=row-count]')?.textContent?.startsWith(`${n} of`),
      failed,
    )
    const interactive = performance.now() - t0
    console.log(
      `100,000-row report: ${mb.toFixed(1)} MiB; rendered in ${Math.round(ready)} ms, failed rows filtered by ${Math.round(interactive)} ms`,
    )
    expect(interactive).toBeLessThan(3000)
    // The end of the list is reachable by keyboard, and its last row opens.
    await showOnly(page, 'All rows')
    await page.focus('.scroller .tr[data-k="0"]')
    await page.keyboard.press('End')
    await page.waitForFunction(
      (k) => document.activeElement?.getAttribute('data-k') === k,
      String(N - 1),
    )
    await page.keyboard.press('Enter')
    await page.locator('dialog.detail[open]').waitFor()
    expect(await page.textContent('#detail-title')).toContain(`-${N - 1}`)
    expect(problems).toEqual([])
  })
})
