// The comparison's format version alone, so that compare.ts reads it without loading the zod
// schema (as report-version.ts does for the artifact).

/**
 * The version of the comparison's JSON format (`evalgate compare --json`).
 *
 * @example
 * ```ts
 * if (diff.schemaVersion !== COMPARISON_SCHEMA_VERSION) throw new Error('unsupported comparison')
 * ```
 */
export const COMPARISON_SCHEMA_VERSION = 1
