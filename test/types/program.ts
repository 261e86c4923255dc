/**
 * Compiles a small multi-file TypeScript program from real files on disk, as a user's `tsc -p`
 * would, with the root files in an order the caller chooses: module augmentations can depend on
 * the order in which the checker meets files, so the type tests of the matchers compile the same
 * files in more than one order (see test/integration/matcher-types.test.ts and
 * test/unit/jest-matcher-types.test.ts). One compiler program per call.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type TypeScript from 'typescript'

/** A user's tsconfig.json for a TypeScript test project (Node ESM, strict). */
export const USER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    // Off, so that evalgate's own .d.ts is checked too: an augmentation that cannot merge with the
    // host's declaration (TS2428) is an error there, not in the user's files. (compile() asks for
    // the diagnostics of the project's files and evalgate's only: checking every .d.ts of Vitest
    // and Vite would take seconds and test nothing of ours.)
    skipLibCheck: false,
    noEmit: true,
  },
}

export interface CompileOptions {
  /** The directory the project is written under (a fresh directory is made in it). */
  under: string
  /** A name for the fresh directory, e.g. the case's name. */
  name: string
  /** File name (relative to the project) to contents. */
  files: Record<string, string>
  /** The root files, in the order the compiler meets them (relative names). */
  roots: readonly string[]
  /** Replaces compiler options of {@link USER_TSCONFIG} (tsconfig.json spelling). */
  compilerOptions?: Record<string, unknown>
  /**
   * Check every file, the hosts' .d.ts too (as `tsc -p` with skipLibCheck off does: seconds
   * more), so that an augmentation breaking a host's own declarations is seen as well.
   */
  checkAll?: boolean
}

export interface Compiled {
  dir: string
  /**
   * The program's diagnostics, formatted (`file(line,col): error TSnnnn: message`): options,
   * global and syntax errors, and the semantic errors of every file outside node_modules and of
   * evalgate's own files (dist/ here, or node_modules/evalgate/), or of every file (`checkAll`).
   */
  errors: string[]
  /** The program's source files, absolute paths in the order the checker meets them. */
  sourceFiles: string[]
  /** The root files the program was given, in order. */
  roots: readonly string[]
}

/**
 * Writes `files` and a tsconfig.json into a fresh directory under `under`, then compiles the
 * roots in the given order with `ts` (whichever TypeScript the caller resolved) and returns
 * every diagnostic. `tsc -p <dir>` reproduces the same program with the roots sorted by name.
 */
export function compile(ts: typeof TypeScript, options: CompileOptions): Compiled {
  mkdirSync(options.under, { recursive: true })
  const dir = mkdtempSync(path.join(options.under, `${options.name}-`))
  const tsconfig = {
    compilerOptions: { ...USER_TSCONFIG.compilerOptions, ...options.compilerOptions },
    files: [...options.roots],
  }
  writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)
  for (const [name, text] of Object.entries(options.files)) {
    const file = path.join(dir, name)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, text)
  }
  const configFile = path.join(dir, 'tsconfig.json')
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    },
  })
  if (parsed === undefined) throw new Error(`cannot read ${configFile}`)
  const roots = options.roots.map((r) => path.join(dir, r))
  const program = ts.createProgram({ rootNames: roots, options: parsed.options })
  const checked = program
    .getSourceFiles()
    .filter((f) => options.checkAll === true || isOurs(f.fileName))
  const diagnostics = [
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...checked.flatMap((f) => program.getSemanticDiagnostics(f)),
  ]
  const errors = diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (d.file === undefined || d.start === undefined) return `error TS${d.code}: ${message}`
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
    const where = path.relative(dir, d.file.fileName)
    return `${where}(${line + 1},${character + 1}): error TS${d.code}: ${message}`
  })
  return {
    dir,
    errors,
    sourceFiles: program.getSourceFiles().map((f) => f.fileName),
    roots: program.getRootFileNames(),
  }
}

/** The project's files, the repo's sources and dist/, and a packed evalgate's files. */
function isOurs(fileName: string): boolean {
  const parts = fileName.split(/[/\\]/)
  const nm = parts.lastIndexOf('node_modules')
  return nm === -1 || parts[nm + 1] === 'evalgate'
}
