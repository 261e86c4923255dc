import { defineConfig } from 'vitest/config'

// No OpenAI key, no server: the judges can only answer from the cache (EVALGATE_CACHE_DIR, set
// by the test).
export default defineConfig({ test: { include: ['vitest/**/*.eval.ts'] } })
