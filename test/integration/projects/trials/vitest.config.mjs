import { defineConfig } from 'vitest/config'

// Each integration test picks its eval files on the command line. globalSetup starts the local
// OpenAI-wire server (the judged eval reaches it through OPENAI_BASE_URL, set in setup.ts);
// OPENAI_API_KEY, EVALGATE_CACHE and EVALGATE_CACHE_DIR come from the test.
export default defineConfig({
  test: {
    include: ['evals/**/*.eval.ts'],
    globalSetup: ['./global-setup.mjs'],
    setupFiles: ['./setup.ts'],
    // Vitest's own JSON report beside evalgate's, so a test can read which row tests passed.
    reporters: [
      'default',
      ['evalgate/reporter', { outputFile: 'out/report.json' }],
      ['json', { outputFile: 'out/vitest.json' }],
    ],
  },
})
