import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

// Which built-in a request comes from, by its task sentence (prompts.ts).
const TASKS = [
  ['decide whether the output is correct', 'correctness'],
  ['decide whether the output is safe', 'safety'],
  ['relevant to the request in the inputs. Answer "yes" when it addresses', 'relevance_to_query'],
  ['follows every one of these guidelines', 'guidelines'],
  ['grounded in the retrieved context', 'retrieval_groundedness'],
  ['this one retrieved document is relevant', 'retrieval_relevance'],
]

/**
 * A deterministic stand-in for a model: a yes/no judge answers "no" when its prompt holds the
 * marker `[no:<judge>]`; a numeric judge answers its maximum, or its minimum with `[low]`;
 * `[auth]` gets a 401 that echoes the Authorization header, as some servers do.
 */
function respond(helpers) {
  return (req) => {
    const user = req.body.messages.at(-1).content
    if (user.includes('[auth]')) {
      return helpers.errorReply(401, `Incorrect API key provided: ${req.headers.authorization}`)
    }
    const schema = helpers.resultSchemaOf(req.body)
    const usage = { promptTokens: 200, completionTokens: 25 }
    if (schema?.type === 'integer') {
      const low = user.includes('[low]')
      return helpers.verdict(
        low ? schema.minimum : schema.maximum,
        low ? 'low marker' : 'no marker',
        usage,
      )
    }
    const judge = TASKS.find(([needle]) => user.includes(needle))?.[1] ?? 'custom'
    const no = user.includes(`[no:${judge}]`)
    return helpers.verdict(
      no ? 'no' : 'yes',
      `${judge}: ${no ? 'marker found' : 'no marker'}`,
      usage,
    )
  }
}

export default async function setup(project) {
  const helpers = await import(pathToFileURL(process.env.JUDGE_SERVER_MODULE).href)
  const server = await helpers.startOpenAIServer({ respond: respond(helpers) })
  project.provide('judgeBaseURL', server.baseURL)
  return async () => {
    if (process.env.JUDGE_REQUESTS_OUT) {
      const seen = server.requests.map((r) => ({ headers: r.headers, body: r.body }))
      writeFileSync(process.env.JUDGE_REQUESTS_OUT, JSON.stringify(seen))
    }
    await server.close()
  }
}
