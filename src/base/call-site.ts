/**
 * Where the user called a host's `describeEval` or `evalTest`: a stack whose first frame is the
 * user's eval file, so a failing row or gate points there, not into evalgate's own code. `fn` is
 * the function the user called; its frame and those above it are left out.
 *
 * @example
 * ```ts
 * export function describeEval(name: string, options: DescribeEvalOptions): void {
 *   const site = callSite(describeEval) // '    at Object.<anonymous> (/app/qa.eval.ts:5:1)\n...'
 * }
 * ```
 */
export function callSite(fn: (...args: never[]) => unknown): string {
  const holder: { stack?: string } = {}
  Error.captureStackTrace(holder, fn)
  const stack = holder.stack ?? ''
  const nl = stack.indexOf('\n')
  return nl === -1 ? '' : stack.slice(nl + 1)
}

/**
 * Gives `error` the stack `site` (a {@link callSite}), so the host points at the eval file;
 * an empty site leaves the error as it is.
 *
 * @example
 * ```ts
 * throw atSite(new EvalThresholdError(verdict.message), site)
 * ```
 */
export function atSite<E extends Error>(error: E, site: string): E {
  if (site !== '') error.stack = `${error.name}: ${error.message}\n${site}`
  return error
}
