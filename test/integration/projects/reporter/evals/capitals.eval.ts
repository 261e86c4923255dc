import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

const CAPITALS: Record<string, string> = { France: 'Paris', Italy: 'Rome', Spain: 'Madrid' }

const exactMatch = scorer(
  'exact_match',
  ({ outputs, expectations }) => outputs === expectations.expected_response,
)

// 3 of 4 right: exact_match/mean 0.75 fails its 0.9 gate. The '|' tests Markdown escaping.
describeEval('capitals | EU', {
  data: [
    { id: 'fr', inputs: { country: 'France' }, expectations: { expected_response: 'Paris' } },
    { id: 'it', inputs: { country: 'Italy' }, expectations: { expected_response: 'Rome' } },
    { id: 'es', inputs: { country: 'Spain' }, expectations: { expected_response: 'Madrid' } },
    { id: 'pt', inputs: { country: 'Portugal' }, expectations: { expected_response: 'Lisbon' } },
  ],
  task: (inputs) => CAPITALS[String(inputs.country)] ?? 'unknown',
  scorers: [exactMatch],
  thresholds: { 'exact_match/mean': 0.9, 'latency_ms/p90': { max: 5000 } },
})
