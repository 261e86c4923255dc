import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 1: values that JSON cannot carry, in every place a row holds values. Each must be
// stored in the artifact as a JSON-safe copy; no row, no eval and no artifact may be lost.

function cycle(): Record<string, unknown> {
  const o: Record<string, unknown> = { a: 1 }
  o.self = o
  return o
}
function namedFn() {
  return 1
}

const ran = scorer('ran', () => true)

describeEval('unsafe task outputs', {
  data: [
    { id: 'bigint', inputs: { kind: 'bigint' } },
    { id: 'cycle', inputs: { kind: 'cycle' } },
    { id: 'function', inputs: { kind: 'function' } },
    { id: 'symbol', inputs: { kind: 'symbol' } },
  ],
  task: (inputs): unknown => {
    switch (inputs.kind) {
      case 'bigint':
        return 123n
      case 'cycle':
        return cycle()
      case 'function':
        return namedFn
      default:
        return Symbol('x')
    }
  },
  scorers: [ran],
})

describeEval('unsafe row fields', {
  data: [
    {
      id: 'bigint-fields',
      inputs: { n: 123n },
      outputs: 'ok',
      expectations: { e: 5n },
      metadata: { m: 7n },
    },
    {
      id: 'cycle-fields',
      inputs: { c: cycle() },
      outputs: 'ok',
      expectations: { c: cycle() },
      metadata: { c: cycle() },
    },
    {
      id: 'function-fields',
      inputs: { f: namedFn },
      outputs: 'ok',
      expectations: { f: namedFn },
      metadata: { f: namedFn },
    },
    {
      id: 'symbol-fields',
      inputs: { s: Symbol('x'), keep: 1 },
      outputs: 'ok',
      expectations: { s: Symbol('x'), keep: 2 },
      metadata: { s: Symbol('x'), keep: 3 },
    },
  ],
  scorers: [ran],
})
