import { type Feedback, type Scorer, scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 2: results the scorer API lets through but the report schema refuses. Each must
// be a SCORER_ERROR Feedback for that row, naming the scorer and the field; the artifact stays.
// (The casts are the point: these are results a scorer may return at run time, typed or not.)

function cycle(): Record<string, unknown> {
  const o: Record<string, unknown> = { a: 1 }
  o.self = o
  return o
}
const refused = (name: string, result: () => unknown): Scorer =>
  scorer(name, () => result() as Feedback)

describeEval('refused results', {
  data: [
    { id: 'one', inputs: { q: 1 }, outputs: 'x' },
    { id: 'two', inputs: { q: 2 }, outputs: 'y' },
  ],
  scorers: [
    refused('bigint_value', () => ({ value: 1n })),
    refused('cycle_metadata', () => ({ value: true, metadata: { loop: cycle() } })),
    refused('function_metadata', () => ({ value: true, metadata: { fn: () => 1 } })),
    refused('numeric_source_id', () => ({ value: true, source: { type: 'CODE', id: 42 } })),
    refused('extra_error_key', () => ({ error: { code: 'E_MINE', message: 'mine', extra: 1 } })),
    refused('negative_cost', () => ({ value: true, metadata: { usage: { costUsd: -1 } } })),
    scorer('fine', () => true),
  ],
  // Every row errors (refused results): tolerated, so the run shows what the artifact holds.
  maxErrors: 2,
})
