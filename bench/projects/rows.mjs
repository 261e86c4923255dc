// The same rows and the same three checks for both bench projects.
export const N = Number(process.env.BENCH_ROWS ?? 10_000)

export function makeRows(n = N) {
  return Array.from({ length: n }, (_, i) => ({
    id: `row-${i}`,
    inputs: { question: `What is ${i} + ${i}?` },
    outputs: `The answer is ${2 * i}.`,
    expectations: { expected_response: `The answer is ${2 * i}.` },
  }))
}

export const checks = {
  exact_match: ({ outputs, expectations }) => outputs === expectations.expected_response,
  short: ({ outputs }) => String(outputs).length < 200,
  has_number: ({ outputs }) => /\d/.test(String(outputs)),
}
