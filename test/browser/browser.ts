import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import type { Report } from '../../src/core/report.js'
import { type HtmlReportOptions, writeHtmlReport } from '../../src/html/index.js'

/** Debian's Chromium (`apt-get install -y chromium`); playwright's own download is not used. */
export const CHROMIUM = process.env.EVALGATE_CHROMIUM ?? '/usr/bin/chromium'

/** Where the tests leave their screenshots: outside the repository. */
export const SCREENS = path.join(os.tmpdir(), 'evalgate-browser-screens')

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface OpenedReport {
  page: Page
  /** Console errors and warnings, uncaught page errors, and requests the page made. */
  problems: string[]
  file: string
}

/** Writes the HTML report of `report` into `dir` and opens it from file:// at 1280×800. */
export async function openReport(
  browser: Browser,
  dir: string,
  name: string,
  report: Report,
  options: HtmlReportOptions = {},
): Promise<OpenedReport> {
  const file = writeHtmlReport(report, path.join(dir, `${name}.html`), options)
  return openFile(browser, file)
}

export async function openFile(browser: Browser, file: string): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      problems.push(`console ${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('request', (r) => {
    if (r.url() !== pathToFileURL(file).href) problems.push(`request: ${r.url()}`)
  })
  await page.goto(pathToFileURL(file).href)
  await page.waitForSelector('body[data-ready="1"]')
  return { page, problems, file }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS, { recursive: true })
  const file = path.join(SCREENS, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}

/** The ids of the rows the rows table shows now (the table is virtualised: those in view). */
export function shownRowIds(page: Page): Promise<string[]> {
  return page.$$eval('.scroller .tr', (rows) =>
    rows.map((r) => r.querySelectorAll(':scope > span')[2]?.textContent ?? ''),
  )
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value))
}
