import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // The fixture projects are run by the integration tests as real Vitest processes.
          exclude: ['**/node_modules/**', 'test/integration/projects/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Each test spawns Vitest processes: on 2 cores, one file at a time is fastest.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'types',
          include: ['test/types/**/*.test-d.ts'],
          // Type tests only: tsc checks them, nothing runs.
          typecheck: {
            enabled: true,
            only: true,
            include: ['test/types/**/*.test-d.ts'],
            tsconfig: './test/types/tsconfig.json',
          },
        },
      },
    ],
  },
})
