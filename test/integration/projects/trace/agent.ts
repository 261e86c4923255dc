import { traced } from 'evalgate'

// A deterministic "agent": plain code whose tools and retrieval are traced.
const DOCS: Record<string, string> = {
  'refund-policy': 'Refunds are accepted within 30 days.',
  'shipping-times': 'Standard shipping takes 3 to 5 days.',
}

export const searchDocs = traced(
  'search_docs',
  async (query: string) => {
    await new Promise((resolve) => setTimeout(resolve, 2))
    return Object.entries(DOCS)
      .filter(([id]) => query.includes(id.split('-')[0]!))
      .map(([id, text]) => ({ id, text }))
  },
  { type: 'RETRIEVER' },
)

export const getOrder = traced(
  'get_order',
  async (args: { id: string }) => ({ id: args.id, status: 'delivered' }),
  { type: 'TOOL' },
)

// Returns a page far larger than the report's per-value cap.
export const fetchInvoice = traced(
  'fetch_invoice',
  (args: { id: string }) => ({ id: args.id, pdf: 'x'.repeat(50_000) }),
  { type: 'TOOL' },
)

export const agent = traced(
  'support_agent',
  async (question: string) => {
    const q = question.toLowerCase()
    const parts: string[] = []
    const order = /order (\d+)/.exec(q)?.[1]
    if (order !== undefined)
      parts.push(`Order ${order} is ${(await getOrder({ id: order })).status}.`)
    if (q.includes('invoice') && order !== undefined) fetchInvoice({ id: order })
    const docs = await searchDocs(q)
    parts.push(...docs.map((d) => d.text))
    return parts.join(' ') || 'Let me connect you with a human.'
  },
  { type: 'AGENT' },
)
