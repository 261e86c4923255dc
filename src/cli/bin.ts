#!/usr/bin/env node
// The `evalgate` executable: the real streams and environment, then the exit code.
import { terminalWidth } from '../reporter/table.js'
import { runCli } from './main.js'

const color = process.stdout.isTTY === true && !process.env['NO_COLOR']
runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  color,
  width: terminalWidth(process.stdout, process.env),
}).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(
      `evalgate: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
    )
    process.exitCode = 2
  },
)
