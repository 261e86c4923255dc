import { scorer, traced } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Model output is untrusted: each row's "model" answers with a payload that would run script
// if the report put it into the page as HTML. The payloads also reach the rationale, the
// trace's spans, the metadata and an error message.
const PAYLOADS: Record<string, string> = {
  'script-tag': '<script>window.__pwned=1</script>',
  'img-onerror': '<img src=x onerror=window.__pwned=1>',
  'script-close': 'done </script><script>window.__pwned=1</script><!--',
  'svg-onload': '<svg onload="window.__pwned=1"></svg>',
  separators: 'line\u2028separator\u2029paragraph </SCRIPT > & <!-- -->',
  plain: 'Refunds are accepted within 30 days.',
}

const lookup = traced('lookup', async (q: string) => ({ hit: PAYLOADS[q] ?? null }), {
  type: 'TOOL',
})

const model = traced(
  'model',
  async (id: string) => {
    const { hit } = await lookup(id)
    return hit ?? ''
  },
  { type: 'CHAT_MODEL' },
)

// A row flips between trials: its first trial is polite, the next ones are not.
const seen = new Map<string, number>()

const polite = scorer('polite', ({ inputs, outputs }) => {
  const id = String(inputs['id'])
  const n = seen.get(id) ?? 0
  seen.set(id, n + 1)
  if (id === 'plain') return { value: n === 0, rationale: `trial ${n}: ${String(outputs)}` }
  return { value: false, rationale: `the answer was ${String(outputs)}` }
})

const noCrash = scorer('no_crash', ({ inputs }) => {
  if (inputs['id'] === 'svg-onload')
    throw new Error('scorer failed on <img src=x onerror=window.__pwned=1>')
  return true
})

describeEval('hostile </script> <b>outputs</b>', {
  data: Object.keys(PAYLOADS).map((id) => ({
    id: `${id} <i>`,
    inputs: { id },
    expectations: { answer: PAYLOADS[id] },
    metadata: { note: '<script>window.__pwned=1</script>' },
  })),
  task: async (inputs) => model(String(inputs['id'])),
  scorers: [polite, noCrash],
  trials: 2,
  maxErrors: 2,
  thresholds: { 'polite/mean': { min: 0.5 }, 'no_crash/mean': 0.5 },
})
