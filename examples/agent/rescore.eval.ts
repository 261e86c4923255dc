import { fromReport, type Span, scorer, type Trace } from 'evalgate'
import { describeEval } from 'evalgate/vitest'

// Re-scores the agent's STORED traces with new scorers, without re-running the agent: the seed
// workflow for iterating on scorers. The traces come from agent/stored-report.json, a committed
// copy of the artifact agent.eval.ts wrote (so this eval works on a clean checkout, in any test
// order). To regenerate it after changing the agent:
//
//   npm run build && npx vitest run --root examples agent/agent.eval.ts \
//     && cp examples/evalgate-report.json examples/agent/stored-report.json \
//     && npx biome format --write examples/agent/stored-report.json

/** No tool call failed (a failed call is a TOOL span with status ERROR). */
const noToolErrors = scorer('no_tool_errors', ({ trace }) => {
  const failed = (trace as Trace)
    .searchSpans({ type: 'TOOL' })
    .filter((s) => s.status.code === 'ERROR')
  return {
    value: failed.length === 0,
    rationale:
      failed.length === 0
        ? 'every tool call succeeded'
        : failed.map((s) => `${s.name} failed: ${s.status.message}`).join('; '),
  }
})

/** A refund is only issued for an order the agent looked up and found within 30 days. */
const refundPolicy = scorer('refund_policy_followed', ({ trace }) => {
  const t = trace as Trace
  const refunds = t.searchSpans({ type: 'TOOL', name: 'refund_order' })
  const lookups = t.searchSpans({ type: 'TOOL', name: 'get_order' })
  if (refunds.length === 0) return { value: true, rationale: 'no refund issued' }
  const problems = refunds.flatMap((refund: Span) => {
    const { orderId } = refund.inputs as { orderId: string }
    const lookup = lookups.find(
      (l) =>
        (l.outputs as { orderId?: string } | null)?.orderId === orderId &&
        l.startMs < refund.startMs,
    )
    const days = (lookup?.outputs as { deliveredDaysAgo?: number | null } | undefined)
      ?.deliveredDaysAgo
    if (lookup === undefined) return [`refunded ${orderId} without looking it up`]
    if (days === null || days === undefined || days > 30)
      return [`refunded ${orderId}, delivered ${days ?? 'never'} days ago`]
    return []
  })
  return {
    value: problems.length === 0,
    rationale:
      problems.length === 0
        ? `${refunds.length} refund(s), each within 30 days`
        : problems.join('; '),
  }
})

describeEval('support agent (re-scored)', {
  data: fromReport('agent/stored-report.json', 'support agent'),
  scorers: [noToolErrors, refundPolicy],
  thresholds: {
    'refund_policy_followed/mean': 1,
    // The unknown-order row's lookup fails on purpose: 5 of 6 rows.
    'no_tool_errors/passRate': { min: 0.8 },
  },
})
