import { defineConfig } from 'vitest/config'

// The local OpenAI-wire server starts in globalSetup; setup.ts points the judges at it through
// OPENAI_BASE_URL. OPENAI_API_KEY, EVALGATE_CACHE and EVALGATE_CACHE_DIR come from the test.
export default defineConfig({
  test: {
    include: ['**/*.eval.ts'],
    globalSetup: ['./global-setup.mjs'],
    setupFiles: ['./setup.ts'],
  },
})
