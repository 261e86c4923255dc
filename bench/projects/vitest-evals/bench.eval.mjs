// vitest-evals (the reference peer) on the bench workload: the same rows as ../plain and
// ../evalgate, a synchronous task (the app: the row's stored answer, looked up by its question),
// three code scorers doing the same checks, and a threshold on their mean (vitest-evals gates
// each row on the mean of its scores). The scorer-first API (data/task/scorers/threshold) is
// vitest-evals' `legacy` entry since 0.16. JavaScript, not TypeScript, because vitest-evals is
// installed only by the bench (npm ci in bench/projects), so the repository's type-check must not
// need it.
import { describeEval } from 'vitest-evals/legacy'
import { checks, makeRows } from '../rows.ts'

const rows = makeRows()
const answers = new Map(rows.map((row) => [row.inputs.question, row.outputs]))
const ctx = (output, expected) => ({
  outputs: output,
  expectations: { expected_response: expected },
})
const score = (ok) => ({ score: ok ? 1 : 0 })

describeEval('bench', {
  data: async () =>
    rows.map((row) => ({
      name: row.id,
      input: row.inputs.question,
      expected: row.expectations.expected_response,
    })),
  task: (input) => answers.get(input),
  scorers: [
    function exact_match({ output, expected }) {
      return score(checks.exact_match(ctx(output, expected)))
    },
    function short({ output, expected }) {
      return score(checks.short(ctx(output, expected)))
    },
    function has_number({ output, expected }) {
      return score(checks.has_number(ctx(output, expected)))
    },
  ],
  threshold: 1,
})
