// Embedded at build time (tsup inlines the JSON), so it is right from dist/ in ESM and CJS alike
// without locating package.json at run time.
import pkg from '../../package.json' with { type: 'json' }

/**
 * evalgate's own version, as written to the artifact's `tool.version`.
 *
 * @example
 * ```ts
 * buildReport({ evals, startedAt, durationMs, version: VERSION })
 * ```
 */
export const VERSION: string = pkg.version
