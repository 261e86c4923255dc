import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = path.dirname(fileURLToPath(import.meta.url))
// fixtures/judge-cache/record.mjs sets this to re-record the judge responses.
const record = process.env.EVALGATE_RECORD_FIXTURES === '1'

// `npm run example` runs every eval here, offline, and prints evalgate's table.
export default defineConfig({
  test: {
    include: ['**/*.eval.ts'],
    reporters: ['default', ['evalgate/reporter', { outputFile: 'evalgate-report.json' }]],
    // The judge example replays recorded judge responses: no API key, no network. The model is
    // pinned because it is part of each response's cache key.
    env: {
      EVALGATE_CACHE: record ? 'record' : 'replay',
      EVALGATE_CACHE_DIR: path.join(here, '../fixtures/judge-cache/examples'),
      EVALGATE_JUDGE_MODEL: 'gpt-4.1-mini',
    },
  },
})
