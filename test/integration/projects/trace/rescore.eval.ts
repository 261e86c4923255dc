import { fromReport, scorer, type Trace } from 'evalgate'
import { toolCallTrajectory } from 'evalgate/scorers'
import { describeEval } from 'evalgate/vitest'

// A NEW scorer, run on the stored traces without re-running the agent.
const toolCount = scorer('tool_count', ({ trace }) => {
  const tools = (trace as Trace).searchSpans({ type: 'TOOL' })
  return { value: tools.length, rationale: tools.map((s) => s.name).join(', ') || 'no tools' }
})

describeEval('traced agent (re-scored)', {
  data: fromReport(process.env.FIXTURE_FROM ?? 'report.json', 'traced agent'),
  scorers: [toolCount, toolCallTrajectory({ mode: 'superset', name: 'calls_superset' })],
  thresholds: { 'tool_count/max': { max: 2 }, 'calls_superset/mean': 1 },
})
