import { scorer } from 'evalgate'
import { evalTest } from 'evalgate/jest'

const polite = scorer('polite', ({ outputs }) => ({
  value: /please|thank/i.test(String(outputs)),
  rationale: 'looks for please/thank',
}))

evalTest('polite reply', {
  inputs: { message: 'hi' },
  outputs: 'Thank you for asking!',
  scorers: [polite],
})
evalTest('rude reply', {
  inputs: { message: 'hi' },
  task: async () => 'Go away.',
  scorers: [polite],
})
