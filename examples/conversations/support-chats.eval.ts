import { conversationCompleteness, makeJudge, userFrustration } from 'evalgate/judges'
import { describeEval } from 'evalgate/vitest'
import { z } from 'zod'

// Judging whole conversations, after MLflow's session-level judges. Each row of
// support-chats.jsonl is a support chat: `inputs.messages` holds the turns so far
// ({ role, content }[]) and `outputs` the assistant's last reply, which the judges read as the
// conversation's final turn. Give the eval a `task` that calls your bot with the messages and it
// judges fresh replies instead.
//
// `npm run example` replays judge responses recorded in fixtures/judge-cache/examples
// (EVALGATE_CACHE=replay), offline, with no API key. They were recorded from evalgate's local
// OpenAI-wire test server with a rule-based responder, not from a real model: a request counts as
// addressed when a later assistant turn repeats most of its words, the user ends frustrated when
// they complained and the last reply neither apologises nor says what was done, and "as I said"
// is impolite. See fixtures/judge-cache/record.mjs. With OPENAI_API_KEY and EVALGATE_CACHE=auto,
// the same file asks a real model.

/** A conversation judge of your own: `{{ conversation }}` is the chat plus the reply. */
const polite = makeJudge({
  name: 'assistant_polite',
  instructions:
    'Decide whether the assistant stays polite and respectful in every one of its turns of {{ conversation }}, even when the user is frustrated.',
  value: z.enum(['yes', 'no']),
})

describeEval('support chats (conversation judges)', {
  data: 'conversations/support-chats.jsonl',
  scorers: [conversationCompleteness(), userFrustration(), polite],
  thresholds: {
    // Every user request addressed by the end, in most chats.
    'conversation_completeness/mean': 0.6,
    // "yes" is a user who ends free of frustration.
    'user_frustration/mean': 0.8,
    'assistant_polite/mean': 0.8,
  },
})
