import { scorer, type Trace } from 'evalgate'
import { retrievedDocumentRecall, toolCallTrajectory } from 'evalgate/scorers'
import { describeEval } from 'evalgate/vitest'
import { agent } from './agent.js'

// A scorer of our own that reads the trace: the agent searched before it answered.
const searched = scorer('searched', ({ trace }) => {
  const retrievals = (trace as Trace).searchSpans({ type: 'RETRIEVER' })
  return { value: retrievals.length > 0, rationale: `${retrievals.length} retrieval(s)` }
})

describeEval('traced agent', {
  data: [
    {
      id: 'refund',
      inputs: { question: 'Can I get a refund for order 42?' },
      expectations: { tool_calls: ['get_order'], relevant_document_ids: ['refund-policy'] },
    },
    {
      id: 'shipping',
      inputs: { question: 'What are shipping times?' },
      expectations: { tool_calls: [], relevant_document_ids: ['shipping-times'] },
    },
    {
      id: 'invoice',
      inputs: { question: 'Send the invoice for order 7' },
      expectations: {
        tool_calls: [{ name: 'get_order', args: { id: '7' } }, 'fetch_invoice'],
        relevant_document_ids: ['refund-policy'],
      },
    },
  ],
  task: async (inputs) => agent(String(inputs.question)),
  scorers: [toolCallTrajectory(), retrievedDocumentRecall(), searched],
  thresholds: {
    'tool_call_trajectory/mean': 1,
    'searched/mean': 1,
    // The invoice row retrieves nothing relevant: recall is 2/3 on average.
    'retrieved_document_recall/mean': { min: 0.6, max: 0.7 },
  },
})
