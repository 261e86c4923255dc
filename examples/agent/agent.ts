// The application under evaluation: a small support agent with tools and retrieval. It is plain,
// deterministic code so the example runs offline; in a real project the routing would be a model
// call (instrumentOpenAI(client) records those as CHAT_MODEL spans). Every step is wrapped with
// `traced`, so each describeEval row records what the agent did.
import { traced } from 'evalgate'

export interface Doc {
  id: string
  text: string
}

const KNOWLEDGE_BASE: Doc[] = [
  { id: 'kb-refunds', text: 'Refunds are accepted within 30 days of delivery.' },
  { id: 'kb-shipping', text: 'Standard shipping takes 3 to 5 business days.' },
  { id: 'kb-damaged', text: 'Damaged items are replaced free of charge.' },
  { id: 'kb-invoices', text: 'Invoices are listed under Settings > Billing.' },
]

const ORDERS: Record<string, { status: string; deliveredDaysAgo: number | null; total: number }> = {
  '1001': { status: 'delivered', deliveredDaysAgo: 12, total: 49 },
  '1002': { status: 'in transit', deliveredDaysAgo: null, total: 120 },
  '1003': { status: 'delivered', deliveredDaysAgo: 45, total: 15 },
}

/** Retrieval: the knowledge-base articles sharing a keyword with the question. */
export const searchKnowledgeBase = traced(
  'search_kb',
  async (query: string): Promise<Doc[]> => {
    await new Promise((resolve) => setTimeout(resolve, 3))
    const words = new Set(query.toLowerCase().match(/[a-z]{4,}/g) ?? [])
    const stems = [...words].map((w) => w.slice(0, 5))
    return KNOWLEDGE_BASE.filter((d) => stems.some((s) => d.text.toLowerCase().includes(s)))
  },
  { type: 'RETRIEVER' },
)

/** Tool: look an order up. */
export const getOrder = traced(
  'get_order',
  async (args: { orderId: string }) => {
    await new Promise((resolve) => setTimeout(resolve, 2))
    const order = ORDERS[args.orderId]
    if (order === undefined) throw new Error(`order ${args.orderId} not found`)
    return { orderId: args.orderId, ...order }
  },
  { type: 'TOOL' },
)

/** Tool: refund an order (only within the 30-day window). */
export const refundOrder = traced(
  'refund_order',
  async (args: { orderId: string; amount: number }) => ({ ...args, refunded: true }),
  { type: 'TOOL' },
)

/** The "model": decides which tools to use. Deterministic here. */
const route = traced(
  'route',
  (question: string) => {
    const q = question.toLowerCase()
    return {
      orderId: /\b(\d{4})\b/.exec(q)?.[1],
      wantsRefund: /refund|money back/.test(q),
    }
  },
  { type: 'CHAIN' },
)

/** The agent: route, use tools, retrieve policy, answer. */
export const supportAgent = traced(
  'support_agent',
  async (question: string): Promise<string> => {
    const plan = route(question)
    const parts: string[] = []
    if (plan.orderId !== undefined) {
      try {
        const order = await getOrder({ orderId: plan.orderId })
        parts.push(`Order ${order.orderId} is ${order.status}.`)
        const inWindow = order.deliveredDaysAgo !== null && order.deliveredDaysAgo <= 30
        if (plan.wantsRefund && inWindow) {
          await refundOrder({ orderId: order.orderId, amount: order.total })
          parts.push(`I refunded $${order.total}.`)
        } else if (plan.wantsRefund) {
          parts.push('It is outside the refund window.')
        }
      } catch {
        parts.push(`I could not find order ${plan.orderId}.`)
      }
    }
    const docs = await searchKnowledgeBase(question)
    parts.push(...docs.map((d) => d.text))
    return parts.length > 0 ? parts.join(' ') : 'Let me connect you with a human agent.'
  },
  { type: 'AGENT' },
)
