import { defineConfig } from 'vitest/config'

// Only the skipped eval (judges-offline.test.ts, "describeEval.skip").
export default defineConfig({ test: { include: ['vitest-skipped/**/*.eval.ts'] } })
