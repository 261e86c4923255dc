import { describeValue, EvalgateError } from '../base/errors.js'
import { type Feedback, type Scorer, scorer } from '../core/scorer.js'
import { type BaseScorerOptions, checkOptions, show } from './shared.js'

/**
 * Whether the outputs are a string of valid JSON (boolean, metric `is_json`). Outputs that are
 * not a string fail, with a rationale saying what they are (use {@link matchesSchema} to check
 * structured outputs).
 *
 * @example
 * ```ts
 * import { isJson } from 'evalgate/scorers'
 * const scorers = [isJson()]
 * // fail rationale: outputs are not valid JSON: Unexpected token 'h', "hello" is not valid JSON
 * ```
 */
export function isJson(options?: BaseScorerOptions): Scorer {
  const o = checkOptions('isJson', options, ['name'])
  const name = (o.name as string | undefined) ?? 'is_json'
  return scorer(name, ({ outputs }): Feedback => {
    if (typeof outputs !== 'string') {
      return {
        value: false,
        rationale: `outputs are ${describeValue(outputs)}, not a string of JSON text`,
      }
    }
    try {
      JSON.parse(outputs)
      return { value: true, rationale: 'outputs parse as JSON' }
    } catch (error) {
      return {
        value: false,
        rationale: `outputs are not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      }
    }
  })
}

// The Standard Schema v1 result types (https://standardschema.dev), as far as we read them.
type Issue = {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
}
type Result =
  | { readonly value: unknown; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<Issue> }

/**
 * A schema implementing the Standard Schema interface (`~standard.validate`): zod (v3.24+ and
 * v4), valibot, arktype and others.
 *
 * @example
 * ```ts
 * const schema: StandardSchema = z.object({ answer: z.string() })
 * ```
 */
export interface StandardSchema {
  readonly '~standard': {
    readonly validate: (value: unknown) => Result | Promise<Result>
  }
}

/**
 * Whether the outputs match a schema (boolean, metric `matches_schema`). The outputs are
 * validated as they are; when that fails and they are a string of JSON, the parsed JSON is
 * validated instead (so an LLM's JSON text and an already-parsed object both work). The
 * rationale lists the schema's issues with their paths.
 *
 * @example
 * ```ts
 * import { z } from 'zod'
 * import { matchesSchema } from 'evalgate/scorers'
 * matchesSchema(z.object({ answer: z.string(), sources: z.array(z.string()).min(1) }))
 * // fail rationale: 1 issue: "sources": Too small: expected array to have >=1 items
 * ```
 */
export function matchesSchema(schema: StandardSchema, options?: BaseScorerOptions): Scorer {
  const validate = (schema as Partial<StandardSchema> | null)?.['~standard']?.validate
  if (typeof validate !== 'function') {
    throw new EvalgateError(
      `matchesSchema(): expected a schema with "~standard.validate" (zod, valibot, arktype, ...), received ${describeValue(schema)}`,
    )
  }
  const o = checkOptions('matchesSchema', options, ['name'])
  const name = (o.name as string | undefined) ?? 'matches_schema'
  const run = (value: unknown) => schema['~standard'].validate(value)
  return scorer(name, async ({ outputs }): Promise<Feedback> => {
    const direct = await run(outputs)
    if (direct.issues === undefined) return { value: true, rationale: 'outputs match the schema' }
    if (typeof outputs === 'string') {
      let parsed: unknown
      let isJsonText = true
      try {
        parsed = JSON.parse(outputs)
      } catch {
        isJsonText = false
      }
      if (isJsonText) {
        const fromJson = await run(parsed)
        if (fromJson.issues === undefined) {
          return { value: true, rationale: 'outputs (parsed as JSON) match the schema' }
        }
        return {
          value: false,
          rationale: `outputs parsed as JSON: ${describeIssues(fromJson.issues)}`,
        }
      }
    }
    return { value: false, rationale: `outputs ${show(outputs)}: ${describeIssues(direct.issues)}` }
  })
}

function describeIssues(issues: ReadonlyArray<Issue>): string {
  const shown = issues.slice(0, 5).map((issue) => {
    const path = (issue.path ?? [])
      .map((p) => (typeof p === 'object' && p !== null ? p.key : p))
      .map(String)
      .join('.')
    return path === '' ? issue.message : `"${path}": ${issue.message}`
  })
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : ''
  return `${issues.length} issue${issues.length === 1 ? '' : 's'}: ${shown.join('; ')}${more}`
}
