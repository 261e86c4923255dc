// The import graph of src/ (DESIGN.md "The shape"): layers import downward only, and no two
// files import each other. Read from the sources themselves, so a new import that breaks the
// layering fails `npm test`.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src')

/**
 * Each folder's layer: a file may import its own folder and any folder of a lower layer, never
 * one of the same layer or above. `index.ts` at the top is the package's entry and may import
 * anything.
 */
const LAYER: Record<string, number> = {
  base: 0,
  stats: 1,
  trace: 1,
  core: 2,
  judges: 3,
  scorers: 3,
  matchers: 3,
  html: 3,
  otel: 4,
  vitest: 4,
  jest: 4,
  reporter: 4,
  cli: 5,
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return sources(p)
    return e.name.endsWith('.ts') ? [p] : []
  })
}

/** Every relative import (static, type-only, re-export or dynamic) of a file, resolved. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const out: string[] = []
  // Import and export statements (a line that starts one, or the `} from` that ends one) and
  // dynamic imports; never an example inside a comment.
  const statements =
    /^(?:import|export|\})[^\n]*?from\s*'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/gm
  for (const m of text.matchAll(statements)) {
    out.push(path.resolve(path.dirname(file), (m[1] ?? m[2])!).replace(/\.js$/, '.ts'))
  }
  return out
}

const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/')
const folder = (f: string) => rel(f).split('/')[0]!

const graph = new Map(sources(SRC).map((f) => [f, importsOf(f)]))

describe('the import graph of src/', () => {
  it('knows the layer of every folder', () => {
    const folders = new Set([...graph.keys()].map(folder).filter((f) => !f.endsWith('.ts')))
    expect([...folders].filter((f) => LAYER[f] === undefined)).toEqual([])
  })

  it('imports downward only: never a folder of the same layer or above', () => {
    const upward: string[] = []
    for (const [file, imports] of graph) {
      const from = folder(file)
      if (from.endsWith('.ts')) continue
      for (const target of imports) {
        const to = folder(target)
        if (to === from) continue
        if (to.endsWith('.ts') || LAYER[to]! >= LAYER[from]!) {
          upward.push(`${rel(file)} -> ${rel(target)}`)
        }
      }
    }
    expect(upward).toEqual([])
  })

  it('has no cycle: no two files import each other, directly or through others', () => {
    const cycles: string[] = []
    const state = new Map<string, 'visiting' | 'done'>()
    const stack: string[] = []
    const visit = (file: string): void => {
      state.set(file, 'visiting')
      stack.push(file)
      for (const next of graph.get(file) ?? []) {
        if (!graph.has(next)) continue
        const s = state.get(next)
        if (s === 'visiting')
          cycles.push([...stack.slice(stack.indexOf(next)), next].map(rel).join(' -> '))
        else if (s === undefined) visit(next)
      }
      stack.pop()
      state.set(file, 'done')
    }
    for (const file of graph.keys()) if (!state.has(file)) visit(file)
    expect(cycles).toEqual([])
  })
})
