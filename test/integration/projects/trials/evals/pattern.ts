import { scorer } from 'evalgate'

/**
 * A task whose answer changes from trial to trial, reproducibly: row `inputs.pattern` is a
 * string such as "yyn", and the k-th call for that row answers its k-th letter. Calls are
 * counted per row, so the answers a row gets do not depend on how rows interleave.
 */
export function patternTask(): (inputs: Record<string, unknown>) => Promise<string> {
  const calls = new Map<string, number>()
  return async (inputs) => {
    const pattern = String(inputs.pattern)
    const k = calls.get(pattern + String(inputs.n)) ?? 0
    calls.set(pattern + String(inputs.n), k + 1)
    await new Promise((resolve) => setTimeout(resolve, 1))
    return pattern[k % pattern.length] ?? '?'
  }
}

/** Rows whose trials pass as `patterns` say (`y` pass, `n` fail), ids r0, r1, ... */
export function rows(patterns: readonly string[]) {
  return patterns.map((pattern, n) => ({ id: `r${n}`, inputs: { pattern, n } }))
}

/** `y` passes. */
export const ok = scorer('ok', ({ outputs }) => outputs === 'y')
