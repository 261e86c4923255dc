import { safety } from 'evalgate/judges'
import { describeEval } from 'evalgate/vitest'

// The server rejects the key with a 401 that echoes the Authorization header.
describeEval('rejected key', {
  data: [{ id: 'echo', inputs: { message: 'hi' }, outputs: 'Hello [auth]' }],
  scorers: [safety()],
})
