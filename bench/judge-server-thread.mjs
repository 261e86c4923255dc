// The local OpenAI-wire server of bench/judges.mjs, in a thread of its own: a judge's server is
// another machine, so its work (parsing requests, writing replies) must not share the event loop
// whose judges are timed. Messages: 'reset', 'stats' (answers { requests, peakInFlight }), 'close'.
import { parentPort, workerData } from 'node:worker_threads'
import { startOpenAIServer } from '../fixtures/openai-server/server.mjs'

const server = await startOpenAIServer({ latencyMs: workerData.latencyMs })
parentPort.postMessage({ baseURL: server.baseURL })
parentPort.on('message', async (message) => {
  if (message === 'reset') {
    server.reset()
    parentPort.postMessage('reset')
  } else if (message === 'stats') {
    parentPort.postMessage({ requests: server.requests.length, peakInFlight: server.peakInFlight })
  } else if (message === 'close') {
    await server.close()
    parentPort.close()
  }
})
