// The artifact's version alone, so that the report builder and the zod schema both read it
// without importing each other (the schema loads zod; the builder must not).

/**
 * The artifact's format version. It changes only when a reader of version 1 could misread a
 * new artifact (a field removed, renamed or retyped); new optional fields do not bump it.
 *
 * @example
 * ```ts
 * if (report.schemaVersion !== REPORT_SCHEMA_VERSION) throw new Error('unsupported report')
 * ```
 */
export const REPORT_SCHEMA_VERSION = 2
