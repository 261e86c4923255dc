import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'

describeEval('timeouts', {
  data: [
    { id: 'fast', inputs: { ms: 1 } },
    { id: 'hangs', inputs: { ms: 60_000 } },
  ],
  task: (inputs, { signal }) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => resolve('done'), Number(inputs.ms))
      signal.addEventListener('abort', () => {
        clearTimeout(t)
        reject(signal.reason)
      })
    }),
  scorers: [scorer('ok', () => true)],
  timeout: 300,
  maxErrors: Number(process.env.FIXTURE_MAX_ERRORS ?? 0),
})
