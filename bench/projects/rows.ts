// The same rows and the same three checks for both bench projects.
export const N = Number(process.env.BENCH_ROWS ?? 10_000)

export interface BenchRow {
  id: string
  inputs: { question: string }
  outputs: string
  expectations: { expected_response: string }
}

interface Ctx {
  outputs: unknown
  expectations: Record<string, unknown>
}

export function makeRows(n = N): BenchRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `row-${i}`,
    inputs: { question: `What is ${i} + ${i}?` },
    outputs: `The answer is ${2 * i}.`,
    expectations: { expected_response: `The answer is ${2 * i}.` },
  }))
}

export const checks = {
  exact_match: ({ outputs, expectations }: Ctx) => outputs === expectations.expected_response,
  short: ({ outputs }: Ctx) => String(outputs).length < 200,
  has_number: ({ outputs }: Ctx) => /\d/.test(String(outputs)),
}
