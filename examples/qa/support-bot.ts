// The "application" under evaluation: a tiny retrieval-based support bot. It is plain code so
// the example runs offline; in a real project this calls your model.
const knowledge: Array<{ keywords: string[]; answer: string }> = [
  {
    keywords: ['refund', 'money back'],
    answer: 'You can request a refund within 30 days of purchase.',
  },
  {
    keywords: ['password', 'reset'],
    answer: 'Use "Forgot password" on the sign-in page to reset it.',
  },
  { keywords: ['shipping', 'deliver'], answer: 'Standard shipping takes 3 to 5 business days.' },
  {
    keywords: ['cancel', 'subscription'],
    answer: 'Cancel your subscription under Settings > Billing.',
  },
  {
    keywords: ['invoice', 'receipt'],
    answer: 'Invoices are emailed and listed under Settings > Billing.',
  },
]

export async function supportBot(question: string): Promise<string> {
  const q = question.toLowerCase()
  const hit = knowledge.find((k) => k.keywords.some((w) => q.includes(w)))
  await new Promise((resolve) => setTimeout(resolve, 5 + (q.length % 7)))
  return hit?.answer ?? "I'm not sure. Let me connect you with a human agent."
}
