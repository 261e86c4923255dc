import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/**
 * A judge that does not always agree with itself, as a model sampled above temperature 0: every
 * third request it receives is answered "no", the others "yes". Which (row, trial) gets which
 * answer depends on the order requests arrive, so only a cache keyed per trial replays a run.
 */
function respond(helpers) {
  let n = 0
  return () => {
    n++
    const no = n % 3 === 0
    return helpers.verdict(no ? 'no' : 'yes', `answer ${n}`, {
      promptTokens: 100,
      completionTokens: 10,
    })
  }
}

export default async function setup(project) {
  const helpers = await import(pathToFileURL(process.env.JUDGE_SERVER_MODULE).href)
  const server = await helpers.startOpenAIServer({ respond: respond(helpers) })
  project.provide('judgeBaseURL', server.baseURL)
  return async () => {
    if (process.env.JUDGE_REQUESTS_OUT) {
      const seen = server.requests.map((r) => ({ body: r.body }))
      writeFileSync(process.env.JUDGE_REQUESTS_OUT, JSON.stringify(seen))
    }
    await server.close()
  }
}
