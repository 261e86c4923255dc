import { scorer, type Trace } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Issue 9 item 19: MLflow parity.

// A scorer may abstain with null: the row is `skipped` for that metric, never an error or a
// failure.
const evenOnly = scorer('even_only', ({ inputs }) =>
  Number(inputs.n) % 2 === 0 ? Number(inputs.n) > 0 : null,
)
describeEval('abstain', {
  data: [2, 3, 4].map((n) => ({ id: `a${n}`, inputs: { n }, outputs: n })),
  scorers: [evenOnly],
})

// A static row (stored outputs, no trace) gets a minimal trace whose root span holds its inputs
// and outputs, so a trace-reading scorer works on it.
const rootOutput = scorer(
  'root_output',
  ({ trace }) => (trace as Trace).rootSpan?.outputs === 'stored answer',
)
const rootInput = scorer('root_input', ({ trace }) => {
  const inputs = (trace as Trace).rootSpan?.inputs as Record<string, unknown> | undefined
  return inputs?.question === 'asked'
})
describeEval('static trace', {
  data: [{ id: 'static', inputs: { question: 'asked' }, outputs: 'stored answer' }],
  scorers: [rootOutput, rootInput],
})

// A row with only a stored trace (no inputs, no outputs field) is scored from its root span.
const fromTrace = scorer(
  'from_trace',
  ({ inputs, outputs }) => inputs.question === 'capital of France?' && outputs === 'Paris',
)
describeEval('stored trace', {
  data: 'data/stored-trace.jsonl',
  scorers: [fromTrace],
})

// A Feedback explicitly named "feedback" takes the scorer's name, as in MLflow.
const judgeLike = scorer('judge_like', () => ({ name: 'feedback', value: 'yes', rationale: 'ok' }))
describeEval('feedback name', {
  data: [{ id: 'f1', inputs: { q: 1 }, outputs: 'x' }],
  scorers: [judgeLike],
})
