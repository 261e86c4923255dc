// Which of an eval's tests Jest will run. Jest gives a test no public way to know which tests of
// its describe block are selected (`-t`, `.only`, `.skip`), so the eval's rows would have to run
// one by one, each when its own test starts. jest-circus (the default runner of Jest 27 and up)
// keeps its state on the test environment's global under a symbol described 'JEST_STATE_SYMBOL';
// in Jest 29 and 30 (jest-circus/build/run.js resp. build/index.js, `_runTest`) a test is
// skipped exactly when:
//
//   parentSkipped                                  its describe block's mode is 'skip'
//   || test.mode === 'skip'
//   || (state.hasFocusedTests && test.mode === undefined)
//   || (state.testNamePattern && !state.testNamePattern.test(getTestID(test)))
//
// and a test of mode 'todo' does not run either. getTestID joins the names from the top describe
// block down, without the root block, with spaces. Reading that state is done with care: every
// field is checked, the eval's own block is the one found while its describe callback runs, and
// the test that asks must itself be predicted to run. When anything is not as expected, the
// answer is `undefined` and the host runs each row lazily when its test starts: correct, only
// sequential. A row is never predicted to run unless every rule above says so.

interface CircusTest {
  type: 'test'
  name: string
  mode: unknown
  parent: CircusBlock | undefined
}

interface CircusBlock {
  type: 'describeBlock'
  name: string
  mode: unknown
  children: unknown[]
  parent: CircusBlock | undefined
}

interface CircusState {
  currentDescribeBlock: unknown
  hasFocusedTests: unknown
  testNamePattern: unknown
}

function isBlock(value: unknown): value is CircusBlock {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<CircusBlock>
  return v.type === 'describeBlock' && typeof v.name === 'string' && Array.isArray(v.children)
}

function isTest(value: unknown): value is CircusTest {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<CircusTest>
  return v.type === 'test' && typeof v.name === 'string'
}

/** Every jest-circus state on the global (one per copy of jest-circus loaded in the file). */
function circusStates(): CircusState[] {
  const global = globalThis as unknown as Record<symbol, unknown>
  const out: CircusState[] = []
  for (const symbol of Object.getOwnPropertySymbols(globalThis)) {
    if (symbol.description !== 'JEST_STATE_SYMBOL') continue
    const state = global[symbol]
    if (typeof state === 'object' && state !== null && 'currentDescribeBlock' in state) {
      out.push(state as CircusState)
    }
  }
  return out
}

/** The full test id Jest matches `-t` against: names from the top block down, spaced. */
function testId(test: CircusTest): string {
  const names: string[] = []
  let node: CircusTest | CircusBlock | undefined = test
  while (node !== undefined) {
    names.unshift(node.name)
    node = node.parent
  }
  names.shift() // the root block
  return names.join(' ')
}

/**
 * The eval's describe block as jest-circus holds it, taken while its describe callback runs (the
 * block being defined is the state's `currentDescribeBlock`); `undefined` when there is no
 * jest-circus state, or not exactly one that is defining a block of this name.
 */
export function circusBlock(name: string): CircusHandle | undefined {
  const matches = circusStates().filter(
    (s) => isBlock(s.currentDescribeBlock) && s.currentDescribeBlock.name === name,
  )
  if (matches.length !== 1) return undefined
  const state = matches[0]!
  return { state, block: state.currentDescribeBlock as CircusBlock }
}

/** The state and eval block found by {@link circusBlock}. */
export interface CircusHandle {
  state: CircusState
  block: CircusBlock
}

/**
 * The names of the tests of the eval's block that Jest will run, or `undefined` when that
 * cannot be known for sure (the host then runs rows lazily). `current` is the test that asks
 * (it is running, so it must be among them, or the prediction is not trusted).
 */
export function selectedTests(handle: CircusHandle, current: string): Set<string> | undefined {
  const { state, block } = handle
  const focused = state.hasFocusedTests
  const pattern = state.testNamePattern
  if (typeof focused !== 'boolean') return undefined
  if (pattern !== null && pattern !== undefined && !(pattern instanceof RegExp)) {
    // A RegExp from another realm is still a RegExp to Jest; check by shape.
    if (typeof (pattern as { test?: unknown }).test !== 'function') return undefined
  }
  const matcher = pattern as RegExp | null | undefined
  const parentSkipped = block.mode === 'skip'
  const selected = new Set<string>()
  for (const child of block.children) {
    if (!isTest(child) || child.parent !== block) continue
    const mode = child.mode
    // Only the modes whose rule is known: anything else is left to run lazily.
    if (mode !== undefined && mode !== 'only') continue
    if (parentSkipped) continue
    if (focused && mode === undefined) continue
    if (matcher && !matcher.test(testId(child))) continue
    selected.add(child.name)
  }
  return selected.has(current) ? selected : undefined
}
