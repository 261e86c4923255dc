// Which of an eval's tests Jest will run, read from jest-circus's state. The states here have
// the shape jest-circus 29 and 30 give them (build/state.js, build/utils.js makeDescribe /
// makeTest); the integration tests run the same code against the real thing.
import { afterEach, describe, expect, it } from 'vitest'
import { circusBlock, selectedTests } from '../../src/jest/circus.js'

type Node = {
  type: 'describeBlock' | 'test'
  name: string
  mode: string | undefined
  parent: Node | undefined
  children: Node[]
}

const installed: symbol[] = []
afterEach(() => {
  for (const s of installed.splice(0)) delete (globalThis as Record<symbol, unknown>)[s]
})

function block(name: string, parent?: Node, mode?: string): Node {
  const b: Node = { type: 'describeBlock', name, mode, parent, children: [] }
  parent?.children.push(b)
  return b
}
function tests(parent: Node, names: string[], mode?: string): void {
  for (const name of names) parent.children.push({ type: 'test', name, mode, parent, children: [] })
}

/** A jest-circus state defining `evalBlock` now, installed on the global as jest-circus does. */
function install(
  evalBlock: Node,
  state: { hasFocusedTests?: boolean; testNamePattern?: RegExp | null } = {},
) {
  const s = {
    currentDescribeBlock: evalBlock,
    hasFocusedTests: state.hasFocusedTests ?? false,
    testNamePattern: state.testNamePattern ?? null,
  }
  const symbol = Symbol('JEST_STATE_SYMBOL')
  ;(globalThis as Record<symbol, unknown>)[symbol] = s
  installed.push(symbol)
  return s
}

const ROWS = ['q1', 'q2', 'q3', 'thresholds']

describe('circusBlock and selectedTests', () => {
  it('without a jest-circus state there is no answer (rows then run lazily)', () => {
    expect(circusBlock('qa')).toBeUndefined()
  })

  it('selects every test of an eval when nothing filters', () => {
    const root = block('ROOT_DESCRIBE_BLOCK')
    const qa = block('qa', root)
    tests(qa, ROWS)
    install(qa)
    const handle = circusBlock('qa')!
    expect([...selectedTests(handle, 'q1')!]).toEqual(ROWS)
  })

  it('matches -t against the full test id, describe names included, as Jest does', () => {
    const root = block('ROOT_DESCRIBE_BLOCK')
    const outer = block('outer', root)
    const qa = block('qa', outer)
    tests(qa, ROWS)
    install(qa, { testNamePattern: /^outer qa q[13]$/i })
    const handle = circusBlock('qa')!
    expect([...selectedTests(handle, 'q3')!]).toEqual(['q1', 'q3'])
    // The test that asks must itself be selected, or the prediction is not trusted.
    expect(selectedTests(handle, 'q2')).toBeUndefined()
  })

  it('with focused tests elsewhere, only tests of mode "only" run', () => {
    const root = block('ROOT_DESCRIBE_BLOCK')
    const qa = block('qa', root, 'only')
    tests(qa, ROWS, 'only')
    const other = block('other', root)
    tests(other, ['x'])
    install(qa, { hasFocusedTests: true })
    expect([...selectedTests(circusBlock('qa')!, 'q1')!]).toEqual(ROWS)
  })

  it('an unfocused eval in a focused file selects nothing (and is not trusted to ask)', () => {
    const root = block('ROOT_DESCRIBE_BLOCK')
    const qa = block('qa', root)
    tests(qa, ROWS)
    install(qa, { hasFocusedTests: true })
    expect(selectedTests(circusBlock('qa')!, 'q1')).toBeUndefined()
  })

  it('a skipped block selects nothing (and is not trusted to ask)', () => {
    const root = block('ROOT_DESCRIBE_BLOCK')
    const skipped = block('skipped', root, 'skip')
    tests(skipped, ROWS, 'skip')
    install(skipped)
    expect(selectedTests(circusBlock('skipped')!, 'q1')).toBeUndefined()
  })

  it('tests of a mode whose rule is not known (todo, failing, ...) are left to run lazily', () => {
    const root = block('ROOT_DESCRIBE_BLOCK')
    const qa = block('qa', root)
    tests(qa, ['q1'])
    tests(qa, ['q2'], 'failing')
    tests(qa, ['q3'], 'todo')
    install(qa)
    expect([...selectedTests(circusBlock('qa')!, 'q1')!]).toEqual(['q1'])
  })

  it('two jest-circus states defining a block of that name: no answer', () => {
    const root = block('ROOT_DESCRIBE_BLOCK')
    const a = block('qa', root)
    tests(a, ROWS)
    const b = block('qa', root)
    tests(b, ROWS)
    install(a)
    install(b)
    expect(circusBlock('qa')).toBeUndefined()
  })

  it('a state whose fields are not as jest-circus 29/30 keep them: no answer', () => {
    const root = block('ROOT_DESCRIBE_BLOCK')
    const qa = block('qa', root)
    tests(qa, ROWS)
    const state = install(qa)
    ;(state as { hasFocusedTests: unknown }).hasFocusedTests = 'yes'
    expect(selectedTests(circusBlock('qa')!, 'q1')).toBeUndefined()
  })
})
