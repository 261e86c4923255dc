// Every row task appends its row id here (and, with RAN_PID=1, the pid of the process that ran
// it), so a test can check which rows ran, which never did, and where.
import { appendFileSync } from 'node:fs'

export function ran(id: string): void {
  const pid = process.env.RAN_PID === '1' ? ` ${process.pid}` : ''
  appendFileSync(process.env.RAN_FILE ?? 'ran.txt', `${id}${pid}\n`)
}
