// The application under test: it appends each row's id to RAN_FILE as it answers, so a test can
// tell whether any task ran.
import { appendFileSync } from 'node:fs'

export function answer(inputs: { question?: unknown }, id: string): string {
  appendFileSync(process.env.RAN_FILE ?? 'ran.txt', `${id}\n`)
  return `Thanks for asking "${String(inputs.question)}": our help centre has the steps.`
}
