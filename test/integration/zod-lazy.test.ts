// Importing the built evalgate (ESM and CommonJS, by self-reference) loads no zod: a test worker
// pays for zod only when a value needs one of evalgate's schemas (issue 15: ~65 ms a worker).
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Whether zod is in the CommonJS module cache (where evalgate's lazy loader puts it). */
const ZOD_LOADED =
  "Object.keys(require('node:module').createRequire(process.cwd() + '/').cache).some((k) => /[\\\\/]zod[\\\\/]/.test(k))"

function run(code: string, type: 'module' | 'commonjs'): string {
  return execFileSync(process.execPath, ['--input-type', type, '-e', code], {
    cwd: root,
    encoding: 'utf8',
  }).trim()
}

describe('evalgate loads zod only when a schema is used', () => {
  it('ESM: import, then use RowSchema', () => {
    const out = run(
      `import { createRequire } from 'node:module'
       const require = createRequire(process.cwd() + '/')
       const zod = () => ${ZOD_LOADED}
       const { RowSchema, scorer } = await import('evalgate')
       await import('evalgate/reporter')
       const before = zod()
       const ok = RowSchema.safeParse({ inputs: { q: 1 } }).success
       console.log(JSON.stringify({ before, ok, after: zod(), scorer: typeof scorer }))`,
      'module',
    )
    expect(JSON.parse(out)).toEqual({ before: false, ok: true, after: true, scorer: 'function' })
  })

  it('CommonJS: require, then use ReportSchema', () => {
    const out = run(
      `const zod = () => ${ZOD_LOADED}
       const { ReportSchema } = require('evalgate')
       const before = zod()
       const ok = ReportSchema.safeParse({}).success
       console.log(JSON.stringify({ before, ok, after: zod() }))`,
      'commonjs',
    )
    expect(JSON.parse(out)).toEqual({ before: false, ok: false, after: true })
  })
})
