import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type TypeScript from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { type Compiled, compile } from '../types/program.js'
import { REPO, WORK_ROOT } from './harness.js'

// The matcher types as a user has them: small projects under WORK_ROOT import the BUILT package
// (`evalgate/vitest` resolves to dist/*.d.ts by self-reference, or under `npm run test:compat` to
// the packed copy in compat/node_modules, with Vitest 5) and are compiled with the TypeScript
// that WORK_ROOT resolves, one compiler program per case. Module augmentations may depend on the
// order in which the checker meets files (issue 10: `toPassScorer` vanished when a.eval.ts came
// before b.eval.ts), so every project is compiled in both orders of its files.

const requireFromWork = createRequire(path.join(WORK_ROOT, 'x.js'))
const ts = requireFromWork('typescript') as typeof TypeScript
const vitestVersion = (
  JSON.parse(readFileSync(requireFromWork.resolve('vitest/package.json'), 'utf8')) as {
    version: string
  }
).version
const UNDER = path.join(WORK_ROOT, 'matcher-types')

/** A test file body that needs the matcher types: usage, `.not`, result type, a wrong call. */
const USES_MATCHERS = `
const exact = scorer('exact', ({ outputs, expectations }) => outputs === expectations.expected_response)

test('matchers', async () => {
  await expect('Paris').toPassScorer(exact, { expectations: { expected_response: 'Paris' } })
  await expect('Lyon').not.toPassScorer(exact, { expectations: { expected_response: 'Paris' } })
  await expect('Paris').toPassScorers([exact], { threshold: 1 })
  const pending: Promise<void> = expect('Paris').not.toPassScorers([exact])
  await pending
  // @ts-expect-error a number is not a scorer
  await expect('Paris').toPassScorer(42)
})
`

/** The issue's project: one file defines an eval, the other uses the matchers. */
const ISSUE_FILES = {
  'a.eval.ts': `import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

const nonEmpty = scorer('non_empty', ({ outputs }) => String(outputs).length > 0)
describeEval('capitals', { data: [{ inputs: { question: 'Capital of France?' }, outputs: 'Paris' }], scorers: [nonEmpty] })
`,
  'b.eval.ts': `import 'evalgate/vitest'
import { scorer } from 'evalgate'
import { expect, test } from 'vitest'
${USES_MATCHERS}`,
}

/** The package files a program read for `evalgate/vitest`: dist/ or the packed copy's dist/. */
function evalgateDts(c: Compiled): string[] {
  return c.sourceFiles.filter((f) => /[/\\]dist[/\\]vitest\.d\.ts$/.test(f))
}

function expectCompiles(c: Compiled, roots: readonly string[]): void {
  expect(
    c.roots.map((r) => path.basename(r)),
    'the compiler met the roots in the order given',
  ).toEqual(roots)
  const dts = evalgateDts(c)
  expect(dts, `evalgate/vitest resolved to the built package\n${c.sourceFiles.join('\n')}`).toEqual(
    [expect.stringMatching(/[/\\]dist[/\\]vitest\.d\.ts$/)],
  )
  // Under the repo, self-reference (dist/ of this checkout); under compat, the packed copy.
  expect(dts[0]?.startsWith(path.join(REPO, 'dist')) || dts[0]?.includes('node_modules')).toBe(true)
  expect(c.errors, `tsc -p ${c.dir}`).toEqual([])
}

describe(`matcher types of evalgate/vitest, built, on Vitest ${vitestVersion}, in every file order`, () => {
  for (const roots of [
    ['a.eval.ts', 'b.eval.ts'],
    ['b.eval.ts', 'a.eval.ts'],
  ]) {
    it(`an eval file and a matcher file, compiled as ${roots.join(', ')}`, () => {
      const c = compile(ts, { under: UNDER, name: 'issue', files: ISSUE_FILES, roots })
      expectCompiles(c, roots)
    })
  }

  for (const [order, imports] of [
    [
      'evalgate/vitest before vitest',
      ["import 'evalgate/vitest'", "import { expect, test } from 'vitest'"],
    ],
    [
      'vitest before evalgate/vitest',
      ["import { expect, test } from 'vitest'", "import 'evalgate/vitest'"],
    ],
  ] as const) {
    it(`one file importing ${order}`, () => {
      const file = `${imports.join('\n')}\nimport { scorer } from 'evalgate'\n${USES_MATCHERS}`
      const c = compile(ts, {
        under: UNDER,
        name: 'one-file',
        files: { 'm.eval.ts': file },
        roots: ['m.eval.ts'],
      })
      expectCompiles(c, ['m.eval.ts'])
    })
  }

  // setupFiles: ['evalgate/vitest'] registers the matchers at run time; the types come from the
  // setup file being part of the program. The test file itself never imports evalgate/vitest.
  const SETUP_FILES = {
    'm.eval.ts': `import { scorer } from 'evalgate'
import { expect, test } from 'vitest'
${USES_MATCHERS}`,
    'vitest.setup.ts': `import 'evalgate/vitest'\n`,
  }
  for (const roots of [
    ['m.eval.ts', 'vitest.setup.ts'],
    ['vitest.setup.ts', 'm.eval.ts'],
  ]) {
    it(`a setup file importing evalgate/vitest and a test file, compiled as ${roots.join(', ')}`, () => {
      // Once with every .d.ts checked (skipLibCheck off, as tsc -p would): the augmentations must
      // not break the host's own declarations either.
      const checkAll = roots[0] === 'm.eval.ts'
      const c = compile(ts, { under: UNDER, name: 'setup', files: SETUP_FILES, roots, checkAll })
      expectCompiles(c, roots)
    })
  }

  // A strict layout (pnpm without hoisting, Yarn PnP): evalgate sees its peers only, so
  // `declare module '@vitest/expect'` in its .d.ts resolves to nothing (and is ignored), while
  // Vitest 4 itself still declares Assertion there. Outside the repo, so that nothing above it
  // has a node_modules; evalgate is a real copy of the package, its peers are links.
  describe('in a strict layout where evalgate cannot resolve @vitest/expect', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'evalgate-strict-'))
    afterAll(() => rmSync(root, { recursive: true, force: true }))
    const nm = path.join(root, 'node_modules')
    const pkg = path.dirname(requireFromWork.resolve('evalgate/package.json'))
    mkdirSync(path.join(nm, 'evalgate'), { recursive: true })
    cpSync(path.join(pkg, 'package.json'), path.join(nm, 'evalgate/package.json'))
    cpSync(path.join(pkg, 'dist'), path.join(nm, 'evalgate/dist'), { recursive: true })
    mkdirSync(path.join(nm, '@types'))
    for (const dep of ['vitest', 'zod', '@types/node']) {
      symlinkSync(path.dirname(requireFromWork.resolve(`${dep}/package.json`)), path.join(nm, dep))
    }
    const files = { ...ISSUE_FILES, 'package.json': '{ "type": "module" }\n' }

    it('the layout is strict: @vitest/expect is not resolvable from evalgate', () => {
      const fromEvalgate = ts.resolveModuleName(
        '@vitest/expect',
        path.join(nm, 'evalgate/dist/vitest.d.ts'),
        { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
        ts.sys,
      )
      expect(fromEvalgate.resolvedModule).toBeUndefined()
    })

    for (const roots of [
      ['a.eval.ts', 'b.eval.ts'],
      ['b.eval.ts', 'a.eval.ts'],
    ]) {
      it(`an eval file and a matcher file, compiled as ${roots.join(', ')}`, () => {
        const c = compile(ts, { under: root, name: 'strict', files, roots: [...roots] })
        expectCompiles(c, roots)
        expect(evalgateDts(c)[0]).toBe(path.join(nm, 'evalgate/dist/vitest.d.ts'))
      })
    }
  })
})
