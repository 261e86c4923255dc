import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['**/*.eval.ts'],
    // Registers the matchers for every file; pass.eval.ts also imports it (registration is once).
    setupFiles: ['evalgate/vitest'],
  },
})
