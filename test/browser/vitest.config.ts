import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// `npm run test:browser`: the HTML report in a real Chromium (Debian's /usr/bin/chromium, or
// EVALGATE_CHROMIUM), driven by playwright-core. Separate from `npm test`'s projects: it needs
// a browser, and .ci/run installs one before running it.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export default defineConfig({
  root,
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/browser/project/**'],
    globalSetup: ['test/browser/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // One browser at a time on 2 cores: the load-time test measures, and must not share them.
    fileParallelism: false,
  },
})
