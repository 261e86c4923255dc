// Writes dist/schema.json (`evalgate/schema.json`) from the BUILT reporter entry, so the shipped
// JSON Schema is generated from exactly the zod schema the shipped reporter validates against.
// Run by `npm run build` after tsup.
import { writeFileSync } from 'node:fs'
import { reportJsonSchema } from '../dist/reporter.js'

const target = new URL('../dist/schema.json', import.meta.url)
writeFileSync(target, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`)
console.log(`evalgate: wrote ${target.pathname}`)
