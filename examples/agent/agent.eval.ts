import { latency, retrievedDocumentRecall, toolCallTrajectory } from 'evalgate/scorers'
import { describeEval } from 'evalgate/vitest'
import { supportAgent } from './agent.js'

// Each row runs the agent in its own trace; the trace scorers read its TOOL and RETRIEVER spans
// and compare them with the row's expectations (tool_calls, relevant_document_ids). The traces
// ride in examples/evalgate-report.json; rescore.eval.ts re-scores a stored copy of them.
describeEval('support agent', {
  data: 'agent/agent.jsonl',
  task: async (inputs) => supportAgent(String(inputs.question)),
  scorers: [
    toolCallTrajectory({ mode: 'strict' }),
    retrievedDocumentRecall({ threshold: 1 }),
    latency({ name: 'agent_latency', span: { type: 'AGENT' }, maxMs: 250 }),
  ],
  thresholds: {
    'tool_call_trajectory/mean': 1,
    'retrieved_document_recall/mean': 0.9,
    'latency_ms/p90': { max: 500 },
  },
})
