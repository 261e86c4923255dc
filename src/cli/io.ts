// What the command reads and writes besides files: its output streams and environment. Passed
// in, so the unit tests run the real command in-process and read what it printed.

/**
 * The command's output and environment.
 *
 * @example
 * ```ts
 * const io: CliIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env, color: false, width: 80 }
 * ```
 */
export interface CliIO {
  /** Writes to standard output (text as given, no newline added). */
  out: (text: string) => void
  /** Writes to standard error. */
  err: (text: string) => void
  env: Readonly<Record<string, string | undefined>>
  /** ANSI colours in terminal output. */
  color: boolean
  /** The terminal's width in columns. */
  width: number
}

/**
 * The exit codes of `evalgate`: 0 fine, 1 a gate or a regression failed, 2 bad usage or input.
 *
 * @example
 * ```ts
 * process.exitCode = EXIT.usage
 * ```
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const
