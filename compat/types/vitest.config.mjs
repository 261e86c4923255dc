import { defineConfig } from 'vitest/config'

// The type tests of test/types, copied next to this file by scripts/compat.sh: tsc only.
export default defineConfig({
  test: {
    include: ['**/*.test-d.ts'],
    typecheck: {
      enabled: true,
      only: true,
      include: ['**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
})
