// Writes dist/schema.json (`evalgate/schema.json`) from the BUILT core entry, whose zod schema is
// the very module the shipped reporter loads to validate, so the two never disagree.
// Run by `npm run build` after tsup.
import { writeFileSync } from 'node:fs'
import { reportJsonSchema } from '../dist/index.js'

const target = new URL('../dist/schema.json', import.meta.url)
writeFileSync(target, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`)
console.log(`evalgate: wrote ${target.pathname}`)
