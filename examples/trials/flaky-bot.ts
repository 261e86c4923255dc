// The "application" under evaluation: a support bot that, like a model sampled at a temperature
// above 0, does not give the same answer every time. It is plain code so the example runs
// offline: each topic has the right answer, a plausible wrong one, and how often the bot gets it
// right. The randomness is seeded by the question and how many times it was asked, so
// `npm run example` prints the same table on every run (a real model would not).
const knowledge: Array<{ keywords: string[]; right: string; wrong: string; reliability: number }> =
  [
    {
      keywords: ['refund'],
      right: 'You can request a refund within 30 days of purchase.',
      wrong: 'Refunds are possible within 14 days of purchase.',
      reliability: 0.95,
    },
    {
      keywords: ['password'],
      right: 'Use "Forgot password" on the sign-in page to reset it.',
      wrong: 'Contact support to have your password reset.',
      reliability: 0.97,
    },
    {
      keywords: ['deliver', 'shipping'],
      right: 'Standard shipping takes 3 to 5 business days.',
      wrong: 'Standard shipping takes 1 to 2 business days.',
      reliability: 0.85,
    },
    {
      keywords: ['cancel'],
      right: 'Cancel your subscription under Settings > Billing.',
      wrong: 'Email us to cancel your subscription.',
      reliability: 0.85,
    },
    {
      keywords: ['invoice', 'receipt'],
      right: 'Invoices are emailed and listed under Settings > Billing.',
      wrong: 'Invoices are sent by post at the end of each month.',
      reliability: 0.9,
    },
    {
      keywords: ['warranty'],
      right: 'Every device has a 2-year warranty.',
      wrong: 'Every device has a 1-year warranty.',
      reliability: 0.8,
    },
  ]

/** mulberry32: a small seeded generator (uniform in [0, 1)), enough for a simulation. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a: a 32-bit hash of a string, the seed of one call. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** How many times each question was asked: the k-th ask of a question always draws the same. */
const asked = new Map<string, number>()

export async function flakyBot(question: string): Promise<string> {
  const call = asked.get(question) ?? 0
  asked.set(question, call + 1)
  const draw = mulberry32(hash(`${question}#${call}`))()
  const q = question.toLowerCase()
  const topic = knowledge.find((k) => k.keywords.some((w) => q.includes(w)))
  await new Promise((resolve) => setTimeout(resolve, 2 + (call % 5)))
  if (topic === undefined) return "I'm not sure. Let me connect you with a human agent."
  return draw < topic.reliability ? topic.right : topic.wrong
}
