import { defineConfig } from 'vitest/config'

// The same eval file as under Jest (jest.config.cjs): parity.test.ts compares the artifacts.
export default defineConfig({ test: { include: ['**/*.eval.ts'] } })
