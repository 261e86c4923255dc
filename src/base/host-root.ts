// The root directory of the host running the evals (the Vitest root, Jest's rootDir), set by the
// host as it collects an eval, so that every relative path evalgate resolves (datasets, the
// report, the judge cache) resolves against the same directory.

/** The global the root is kept on, shared by every copy of evalgate in the process. */
const HOST_ROOT: unique symbol = Symbol.for('evalgate.root') as never

/**
 * Records the host's root directory for this process (a test worker).
 *
 * @example
 * ```ts
 * setHostRoot(config.rootDir)
 * ```
 */
export function setHostRoot(root: string): void {
  ;(globalThis as { [HOST_ROOT]?: string })[HOST_ROOT] = root
}

/**
 * The host's root directory when a host set one, else `undefined`.
 *
 * @example
 * ```ts
 * const root = hostRootOf() ?? process.cwd()
 * ```
 */
export function hostRootOf(): string | undefined {
  const set = (globalThis as { [HOST_ROOT]?: unknown })[HOST_ROOT]
  return typeof set === 'string' && set !== '' ? set : undefined
}
