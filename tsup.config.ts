import { writeFileSync } from 'node:fs'
import { defineConfig } from 'tsup'
import { comparisonJsonSchema } from './src/core/compare-schema.js'

// One entry per public entry point of API.md that exists; nothing exported that does not work.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    vitest: 'src/vitest/index.ts',
    reporter: 'src/reporter/index.ts',
    judges: 'src/judges/index.ts',
    scorers: 'src/scorers/index.ts',
    otel: 'src/otel/index.ts',
    jest: 'src/jest/index.ts',
    'jest-reporter': 'src/reporter/jest.ts',
    // The `evalgate` executable (package.json "bin"): run, never imported.
    cli: 'src/cli/bin.ts',
    // Its worker thread (compare and merge read big artifacts on both cores): run, never imported.
    'cli-worker': 'src/cli/worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  sourcemap: false,
  splitting: true,
  external: [
    'vitest',
    'vitest/node',
    'vitest/suite',
    '@jest/globals',
    'zod',
    'csv-parse',
    'openai',
    /^@opentelemetry\//,
  ],
  // p-limit is ESM-only; bundling it keeps the CJS build loadable on every Node >= 20.
  // The @stdlib distributions and pure-rand are bundled too: @stdlib's functions are ~230 tiny
  // CommonJS modules, whose loading cost every test worker ~100 ms and users 27 MB of installs.
  noExternal: ['p-limit', 'yocto-queue', /^@stdlib\//, 'pure-rand'],
  // Bundled CommonJS code may `require` Node's built-ins: give the ESM build a `require`.
  banner: (ctx) =>
    ctx.format === 'esm'
      ? {
          js: "import { createRequire as __evalgateRequire } from 'node:module'; const require = __evalgateRequire(import.meta.url);",
        }
      : {},
  // evalgate/compare-schema.json, from the zod schema `evalgate compare --json` validates
  // against (the artifact's schema.json is written by scripts/write-schema.mjs).
  onSuccess: async () => {
    writeFileSync(
      'dist/compare-schema.json',
      `${JSON.stringify(comparisonJsonSchema(), null, 2)}\n`,
    )
  },
})
