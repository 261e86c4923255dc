import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

const words = scorer('words', ({ outputs }) => String(outputs).split(/\s+/).length, {
  threshold: 3,
})
const polite = scorer('polite', ({ outputs }) => /please|thanks/i.test(String(outputs)))

// No task: stored outputs are scored as they are (no latency_ms metric).
describeEval('stored answers', {
  data: [
    { inputs: { q: 'a' }, outputs: 'Thanks, here it is' },
    { inputs: { q: 'b' }, outputs: 'Please see the docs' },
    { inputs: { q: 'c' }, outputs: 'No' },
  ],
  scorers: [words, polite],
  thresholds: { 'words/passRate': { min: 0.6 }, 'polite/mean': { min: 0.5, max: 1 } },
})

// Unit-test mode (no thresholds): every row must pass every metric.
describeEval('greetings', {
  data: [
    { id: 'hi', inputs: { q: 'hi' }, outputs: 'thanks' },
    { id: 'yo', inputs: { q: 'yo' }, outputs: 'please' },
  ],
  scorers: [polite],
})
