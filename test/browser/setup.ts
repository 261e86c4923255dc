import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

// Before the browser tests: build the page and the package (the runs import the built
// `evalgate`), then make the artifacts the tests open by REAL runs: the examples (as
// `npm run example` runs them, with the artifact written to a temp dir so that nothing else
// writing examples/evalgate-report.json meddles) and the hostile fixture project.

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const VITEST = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
)

declare module 'vitest' {
  export interface ProvidedContext {
    browserReports: { dir: string; examples: string; hostile: string }
  }
}

function sh(args: string[], cwd: string, env: Record<string, string> = {}, expect = [0]) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('EVALGATE_') && !k.startsWith('VITEST'),
    ),
  )
  const r = spawnSync(process.execPath, args, {
    cwd,
    env: { ...clean, NO_COLOR: '1', CI: 'true', ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (!expect.includes(r.status ?? -1)) {
    throw new Error(
      `browser test setup: ${args.join(' ')} in ${cwd} exited ${r.status}\n${r.stdout}\n${r.stderr}`,
    )
  }
}

export default function setup(project: TestProject): () => void {
  sh(['scripts/build-html-page.mjs'], REPO)
  sh(['scripts/build-if-stale.mjs'], REPO)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'evalgate-browser-'))
  const examples = path.join(dir, 'examples.json')
  const hostile = path.join(dir, 'hostile.json')
  // The tests read what the artifact says, so an example that fails (exit 1) is still shown
  // as it is; a run that wrote no artifact fails when the tests read it, naming the file.
  sh(
    [VITEST, 'run', '--config', 'test/browser/examples.config.ts'],
    REPO,
    { BROWSER_REPORT: examples },
    [0, 1],
  )
  // Its gate fails on purpose: exit 1, and the artifact says failed.
  sh([VITEST, 'run'], path.join(REPO, 'test/browser/project'), { BROWSER_REPORT: hostile }, [1])
  project.provide('browserReports', { dir, examples, hostile })
  // The reports go with the run (EVALGATE_KEEP_BROWSER_FILES=1 keeps them to look at); the
  // screenshots stay in SCREENS.
  return () => {
    if (process.env.EVALGATE_KEEP_BROWSER_FILES !== '1')
      rmSync(dir, { recursive: true, force: true })
  }
}
