// Every row task appends its row id here, so a test can check which rows ran (and which never did).
import { appendFileSync } from 'node:fs'

export function ran(id: string): void {
  appendFileSync(process.env.RAN_FILE ?? 'ran.txt', `${id}\n`)
}
