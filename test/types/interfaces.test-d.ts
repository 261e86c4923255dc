import { describe, expect, expectTypeOf, test } from 'vitest'
import {
  type DescribeEvalOptions,
  describeEval,
  type EvalTestOptions,
  evalTest,
  type Row,
  type Scorer,
  type ScorerContext,
  type ScorerMatcherOptions,
  scorer,
  type Task,
} from './subject.js'

// Interfaces, not type aliases. An interface has no implicit index signature, so a value typed
// with one is not assignable to Record<string, unknown> (issue 10: `describeEval<QaInputs,
// string>` said "does not satisfy the constraint 'Record<string, unknown>'"). Every use below
// compiles with type aliases; it must compile with interfaces too. The values are declared with
// the interface types on purpose: a fresh object literal would hide the difference.

interface QaInputs {
  question: string
}
interface QaExpectations {
  expected_response: string
}

const inputs: QaInputs = { question: 'Capital of France?' }
const expectations: QaExpectations = { expected_response: 'Paris' }
const rows: Row<QaInputs, QaExpectations>[] = [{ id: 'fr', inputs, expectations }]

const qaExact = scorer<QaInputs, string, QaExpectations>(
  'qa_exact',
  ({ inputs, outputs, expectations }) => {
    expectTypeOf(inputs).toEqualTypeOf<QaInputs>()
    expectTypeOf(outputs).toEqualTypeOf<string>()
    expectTypeOf(expectations).toEqualTypeOf<QaExpectations>()
    return outputs === expectations.expected_response
  },
)
const qaInferred = scorer(
  'qa_inferred',
  ({ inputs, outputs }: ScorerContext<QaInputs, string, QaExpectations>) =>
    outputs.includes(inputs.question),
)
/** A scorer written for any row (the defaults), as the built-in scorers and judges are. */
const nonEmpty = scorer('non_empty', ({ outputs }) => String(outputs).length > 0)
const answer: Task<QaInputs, string> = async (inputs, { signal }) => {
  signal.throwIfAborted()
  return inputs.question.length > 0 ? 'Paris' : ''
}

describe('scorer() and Scorer with interfaces', () => {
  test('scorer<I, O, E> and a ScorerContext annotation keep the interfaces', () => {
    expectTypeOf(qaExact).toEqualTypeOf<Scorer<QaInputs, string, QaExpectations>>()
    expectTypeOf(qaInferred).toEqualTypeOf<Scorer<QaInputs, string, QaExpectations>>()
    const byHand: Scorer<QaInputs, string, QaExpectations> = {
      name: 'by_hand',
      score: ({ inputs, outputs }) => outputs.startsWith(inputs.question),
    }
    void byHand
  })
})

describe('Row and Task with interfaces', () => {
  test('Row<I, E> and Task<I, O>', () => {
    expectTypeOf(rows[0]!.inputs).toEqualTypeOf<QaInputs>()
    expectTypeOf(rows[0]!.expectations).toEqualTypeOf<QaExpectations | undefined>()
    expectTypeOf(answer).parameters.toEqualTypeOf<[QaInputs, Parameters<Task>[1]]>()
    // @ts-expect-error a row's inputs are an object
    const bad: Row<string> = { inputs: 'Capital of France?' }
    void bad
  })
})

describe('describeEval with interfaces', () => {
  test('explicit type arguments: describeEval<QaInputs, string>', () => {
    describeEval<QaInputs, string>('qa', {
      data: rows,
      task: async (inputs) => {
        expectTypeOf(inputs).toEqualTypeOf<QaInputs>()
        return inputs.question
      },
      scorers: [qaExact, qaInferred, nonEmpty],
      thresholds: { 'qa_exact/mean': 0.9 },
    })
    describeEval.skip<QaInputs, string>('qa', { data: rows, task: answer, scorers: [qaExact] })
    describeEval.only<QaInputs, string>('qa', { data: rows, task: answer, scorers: [qaExact] })
  })

  test('inferred from the data and the task', () => {
    describeEval('qa', { data: rows, task: answer, scorers: [qaExact, nonEmpty] })
    describeEval('qa', {
      data: rows,
      task: async (inputs) => {
        expectTypeOf(inputs).toEqualTypeOf<QaInputs>()
        return 'Paris'
      },
      scorers: [qaExact],
    })
    describeEval('qa', {
      data: async () => rows,
      task: async (inputs) => {
        expectTypeOf(inputs).toEqualTypeOf<QaInputs>()
        return 'Paris'
      },
      scorers: [qaExact],
    })
    // Stored outputs, no task.
    describeEval('qa', { data: [{ inputs, expectations, outputs: 'Paris' }], scorers: [qaExact] })
  })

  test('DescribeEvalOptions<QaInputs, string>', () => {
    const options: DescribeEvalOptions<QaInputs, string> = {
      data: rows,
      task: answer,
      scorers: [qaExact, nonEmpty],
    }
    describeEval('qa', options)
  })

  test('still rejects rows, tasks and scorer lists that do not fit', () => {
    describeEval<QaInputs, string>('qa', {
      // @ts-expect-error question is a string
      data: [{ inputs: { question: 1 } }],
      scorers: [qaExact],
    })
    describeEval<QaInputs, string>('qa', {
      data: rows,
      // @ts-expect-error the task must take QaInputs
      task: async (inputs: { prompt: string }) => inputs.prompt,
      scorers: [qaExact],
    })
    // @ts-expect-error a row's inputs are an object
    describeEval<string>('qa', { data: [{ inputs: 'Capital of France?' }], scorers: [nonEmpty] })
    // @ts-expect-error a scorer factory is not a Scorer: call it
    describeEval<QaInputs, string>('qa', { data: rows, scorers: [() => nonEmpty] })
  })
})

describe('evalTest with interfaces', () => {
  test('explicit and inferred type arguments', () => {
    evalTest<QaInputs, string>('paris', {
      inputs,
      expectations,
      task: async (inputs) => {
        expectTypeOf(inputs).toEqualTypeOf<QaInputs>()
        return 'Paris'
      },
      scorers: [qaExact, nonEmpty],
    })
    evalTest('paris', { inputs, expectations, outputs: 'Paris', scorers: [qaExact, nonEmpty] })
    evalTest('paris', { inputs, task: answer, scorers: [qaInferred] })
    const options: EvalTestOptions<QaInputs, string> = {
      inputs,
      expectations,
      outputs: 'Paris',
      scorers: [qaExact],
    }
    evalTest('paris', options)
  })

  test('still rejects inputs and tasks that do not fit', () => {
    // @ts-expect-error inputs are an object (and the task takes QaInputs)
    evalTest('paris', { inputs: 'Capital?', task: answer, scorers: [qaExact] })
    // @ts-expect-error outputs or task, not both
    evalTest('paris', { inputs, outputs: 'Paris', task: answer, scorers: [qaExact] })
  })
})

describe('toPassScorer / toPassScorers options with interfaces', () => {
  test('typed and untyped scorers take interface-typed inputs and expectations', () => {
    expectTypeOf(expect('Paris').toPassScorer(qaExact, { inputs, expectations })).toEqualTypeOf<
      Promise<void>
    >()
    expectTypeOf(expect('Paris').toPassScorer(nonEmpty, { inputs, expectations })).toEqualTypeOf<
      Promise<void>
    >()
    expectTypeOf(
      expect('Paris').not.toPassScorers([qaExact, qaInferred, nonEmpty], { inputs, expectations }),
    ).toEqualTypeOf<Promise<void>>()
    const options: ScorerMatcherOptions<QaInputs, QaExpectations> = { inputs, expectations }
    expectTypeOf(expect('Paris').toPassScorer(qaExact, options)).toEqualTypeOf<Promise<void>>()
  })

  test("a typed scorer's options are still checked against its types", () => {
    // @ts-expect-error qa_exact's inputs are QaInputs
    void expect('Paris').toPassScorer(qaExact, { inputs: { prompt: 'Capital?' } })
    // @ts-expect-error qa_exact's expectations are QaExpectations
    void expect('Paris').toPassScorer(qaExact, { expectations: { expected: 'Paris' } })
    // @ts-expect-error inputs are an object
    void expect('Paris').toPassScorer(nonEmpty, { inputs: 'Capital?' })
    // @ts-expect-error inputs are an object
    void expect('Paris').toPassScorers([nonEmpty], { inputs: 'Capital?' })
  })
})
