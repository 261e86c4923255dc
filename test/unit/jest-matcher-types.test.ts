import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { compile } from '../types/program.js'

// The matcher types for Jest (src/jest/augment.ts), on Jest 29 and Jest 30, with the global
// `expect` of @types/jest and with `import { expect } from '@jest/globals'`, as a user has them:
// the augmentation as a .d.ts inside node_modules/evalgate (emitted from the sources here, as the
// package build emits it), next to one version of the Jest packages (links into this repo's
// node_modules: jest29's own for Jest 29). Each case is a small project on disk: a test file using
// the matchers (usage, `.not`, `.resolves`, the result type, and wrong arguments that must not
// compile) and a setup file importing the augmentation, as `setupFilesAfterEnv: ['evalgate/jest']`
// has it; compiled in both orders of the two files, one program per case.

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const NM = path.join(REPO, 'node_modules')
const JEST29_NM = path.join(NM, 'jest29/node_modules')

const ROOT = mkdtempSync(path.join(os.tmpdir(), 'evalgate-jest-types-'))
afterAll(() => rmSync(ROOT, { recursive: true, force: true }))

/** src/jest/augment.ts and what it imports, as .d.ts (what the build ships), into `outDir`. */
function emitAugmentation(outDir: string): void {
  const program = ts.createProgram({
    // The augmented module must be in the program for its augmentation to resolve (an
    // augmentation alone does not bring a module in), as it is in the repo's own build.
    rootNames: [path.join(REPO, 'src/jest/augment.ts'), path.join(NM, 'expect/build/index.d.ts')],
    options: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      strict: true,
      skipLibCheck: true,
      declaration: true,
      emitDeclarationOnly: true,
      rootDir: path.join(REPO, 'src'),
      outDir,
    },
  })
  const result = program.emit()
  const problems = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  )
  if (result.emitSkipped || problems.length > 0) {
    throw new Error(`cannot emit src/jest/augment.ts as .d.ts:\n${problems.join('\n')}`)
  }
}

const EMITTED = path.join(ROOT, 'emitted')
emitAugmentation(EMITTED)

/** Jest's packages of one version, as a project's node_modules has them (links). */
const JESTS = {
  'Jest 30': {
    expect: path.join(NM, 'expect'),
    '@jest/expect': path.join(NM, '@jest/expect'),
    '@jest/globals': path.join(NM, '@jest/globals'),
    '@types/jest': path.join(NM, '@types/jest'),
  },
  'Jest 29': {
    expect: path.join(JEST29_NM, 'expect'),
    '@jest/expect': path.join(JEST29_NM, '@jest/expect'),
    '@jest/globals': path.join(JEST29_NM, '@jest/globals'),
    '@types/jest': path.join(NM, '@types/jest29'),
  },
} as const

/** A directory whose node_modules holds evalgate's .d.ts and the given Jest packages. */
function projectRoot(name: string, packages: Record<string, string>): string {
  const dir = path.join(ROOT, name.replace(/\W+/g, '-'))
  const nm = path.join(dir, 'node_modules')
  cpSync(EMITTED, path.join(nm, 'evalgate'), { recursive: true })
  writeFileSync(
    path.join(nm, 'evalgate/package.json'),
    '{ "name": "evalgate", "version": "0.0.0", "type": "module" }\n',
  )
  mkdirSync(path.join(nm, '@jest'))
  mkdirSync(path.join(nm, '@types'))
  const links = {
    ...packages,
    '@types/node': path.join(NM, '@types/node'),
    zod: path.join(NM, 'zod'),
  }
  for (const [name, target] of Object.entries(links)) symlinkSync(target, path.join(nm, name))
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n')
  return dir
}

/** The test file's body: `expect` and `test` are in scope (global or imported). */
const USES_MATCHERS = `
interface QaInputs {
  question: string
}
const inputs: QaInputs = { question: 'Capital of France?' }
const exact = scorer('exact', ({ outputs, expectations }) => outputs === expectations.expected_response)
const typed = scorer<QaInputs, string, { expected_response: string }>('typed', ({ outputs, expectations }) =>
  outputs === expectations.expected_response)

test('matchers', async () => {
  await expect('Paris').toPassScorer(exact, { expectations: { expected_response: 'Paris' } })
  await expect('Lyon').not.toPassScorer(exact, { expectations: { expected_response: 'Paris' } })
  await expect('Paris').toPassScorers([exact, typed], { inputs, threshold: 1 })
  await expect('Lyon').not.toPassScorers([exact])
  await expect(Promise.resolve('Paris')).resolves.toPassScorer(exact, { inputs })
  await expect(Promise.resolve('Paris')).resolves.not.toPassScorer(typed, { inputs })
  const pending: Promise<void> = expect('Paris').toPassScorer(typed, { inputs })
  await pending
  // @ts-expect-error a scorer is required
  await expect('Paris').toPassScorer()
  // @ts-expect-error a number is not a scorer
  await expect('Paris').toPassScorer(42)
  // @ts-expect-error toPassScorers takes an array
  await expect('Paris').not.toPassScorers(exact)
  // @ts-expect-error threshold is a number
  await expect('Paris').toPassScorer(exact, { threshold: '0.7' })
  // @ts-expect-error the typed scorer's inputs are QaInputs
  await expect('Paris').toPassScorer(typed, { inputs: { prompt: 'Capital?' } })
  // @ts-expect-error an async matcher is not an asymmetric matcher
  expect.toPassScorer(exact)
})
`

const SETUP = `import 'evalgate/jest/augment.js'\n`
const SCORER = `import { scorer } from 'evalgate/core/scorer.js'`

const GLOBAL_EXPECT = {
  'm.test.ts': `${SCORER}\n${USES_MATCHERS}`,
  'setup.ts': SETUP,
}
// The project also has a matcher of its own, declared as Jest's documentation says (on the
// `expect` package's Matchers): evalgate's matchers must survive it in either order.
const JEST_GLOBALS = {
  'm.test.ts': `import { expect, test } from '@jest/globals'\n${SCORER}\n${USES_MATCHERS}
test('own matcher', () => {
  expect(3).toBeWithinRange(1, 5)
})
`,
  'setup.ts': `${SETUP}
declare module 'expect' {
  interface AsymmetricMatchers {
    toBeWithinRange(floor: number, ceiling: number): void
  }
  interface Matchers<R> {
    toBeWithinRange(floor: number, ceiling: number): R
  }
}
`,
}

for (const [jest, packages] of Object.entries(JESTS)) {
  describe(`matcher types on ${jest}`, () => {
    const under = projectRoot(jest, packages)
    for (const roots of [
      ['m.test.ts', 'setup.ts'],
      ['setup.ts', 'm.test.ts'],
    ]) {
      it(`the global expect (@types/jest), compiled as ${roots.join(', ')}`, () => {
        const c = compile(ts, {
          under,
          name: 'global',
          files: GLOBAL_EXPECT,
          roots,
          compilerOptions: { types: ['node', 'jest'] },
        })
        expect(c.sourceFiles).toContain(path.join(packages['@types/jest'], 'index.d.ts'))
        expect(c.sourceFiles).toContain(path.join(under, 'node_modules/evalgate/jest/augment.d.ts'))
        expect(c.errors, `tsc -p ${c.dir}`).toEqual([])
      })

      it(`expect from @jest/globals, compiled as ${roots.join(', ')}`, () => {
        const c = compile(ts, { under, name: 'globals', files: JEST_GLOBALS, roots })
        expect(c.sourceFiles).toContain(path.join(packages['@jest/globals'], 'build/index.d.ts'))
        expect(c.sourceFiles).toContain(path.join(packages.expect, 'build/index.d.ts'))
        expect(c.sourceFiles.filter((f) => f.includes('@types/jest'))).toEqual([])
        expect(c.errors, `tsc -p ${c.dir}`).toEqual([])
      })
    }
  })
}
