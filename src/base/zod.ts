import type * as Zod from 'zod'

// zod takes ~65 ms to load, in every test worker and every isolated test file. evalgate's own
// schemas (the dataset row, the stored trace, the artifact, the comparison) are needed only when
// a value is not on a fast path (see core/fast-check.ts) or when a user validates with them, so
// they are built on first use, and zod is loaded then.

let loaded: typeof Zod | undefined

/**
 * This module's CommonJS `require`: native in the CommonJS build, made from the module's URL by
 * the ESM build's banner (tsup.config.ts). Declared here rather than taken from @types/node, so
 * that the HTML page's type check (which reads the artifact's types) needs no Node types.
 */
declare const require: (id: string) => unknown

/** What {@link loadZod} uses of `process` when there is no `require`. */
interface NodeProcess {
  cwd(): string
  getBuiltinModule?(id: string): unknown
}

/**
 * zod, loaded on first use (synchronously, with `require`: its CommonJS build).
 *
 * @example
 * ```ts
 * const { z } = loadZod()
 * z.string().parse('hi')
 * ```
 */
export function loadZod(): typeof Zod {
  if (loaded === undefined) {
    try {
      // zod resolved from evalgate's own folder.
      loaded = require('zod') as typeof Zod
    } catch (error) {
      // Source run by a tool's module loader (tests, the build's own config) has no `require`:
      // zod resolved from the working directory.
      const proc = (globalThis as { process?: NodeProcess }).process
      const nodeModule = proc?.getBuiltinModule?.('node:module') as
        | { createRequire(file: string): (id: string) => unknown }
        | undefined
      if (proc === undefined || nodeModule === undefined) throw error
      loaded = nodeModule.createRequire(`${proc.cwd()}/index.js`)('zod') as typeof Zod
    }
  }
  return loaded
}

/**
 * A value built on first use, memoised: `once(build)()` calls `build` the first time only.
 *
 * @example
 * ```ts
 * const schemas = once(() => ({ Row: loadZod().z.object({}) }))
 * schemas().Row === schemas().Row // true
 * ```
 */
export function once<T>(build: () => T): () => T {
  let value: T | undefined
  let built = false
  return () => {
    if (!built) {
      value = build()
      built = true
    }
    return value as T
  }
}

/**
 * A zod schema that is built (and zod loaded) the first time anything reads it: a stand-in that
 * forwards every property, method call (bound to the real schema), `in`, key listing and
 * prototype to it. Importing a module that exports one costs nothing until it is used.
 *
 * @example
 * ```ts
 * export const RowSchema = lazySchema(() => loadZod().z.strictObject({ inputs: loadZod().z.record(loadZod().z.string(), loadZod().z.unknown()) }))
 * RowSchema.safeParse({ inputs: {} }).success // true (zod loads here)
 * ```
 */
export function lazySchema<T extends object>(build: () => T): T {
  const real = once(build)
  return new Proxy({} as T, {
    get(_, key) {
      const target = real()
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
    set(_, key, value) {
      return Reflect.set(real(), key, value)
    },
    has(_, key) {
      return Reflect.has(real(), key)
    },
    ownKeys() {
      return Reflect.ownKeys(real())
    },
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key)
      // A proxy may not report a property as non-configurable that its own target lacks.
      if (descriptor !== undefined) descriptor.configurable = true
      return descriptor
    },
    getPrototypeOf() {
      return Reflect.getPrototypeOf(real())
    },
  })
}
