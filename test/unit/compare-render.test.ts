import { describe, expect, it } from 'vitest'
import { compareReports } from '../../src/core/compare.js'
import { scorer } from '../../src/core/scorer.js'
import {
  formatP,
  renderComparison,
  renderComparisonMarkdown,
  renderEvalComparison,
} from '../../src/reporter/compare-render.js'
import { artifactOf, type EvalDef, runAll } from './cli-artifacts.js'

const hostile = scorer('safe', ({ outputs }) => ({
  value: outputs === 'ok',
  rationale:
    outputs === 'ok' ? 'fine' : `said <script>alert(1)</script> | ${'x'.repeat(400)}\nsecond line`,
}))

function def(outputs: string[]): EvalDef {
  return {
    name: 'bot <b>',
    file: 'evals/bot.eval.ts',
    data: outputs.map((o, i) => ({ id: `r|${i}`, inputs: { i }, outputs: o })),
    scorers: [hostile],
  }
}

async function comparison(a: string[], b: string[]) {
  const ra = artifactOf([{ def: def(a), rows: await runAll(def(a)) }])
  const rb = artifactOf([{ def: def(b), rows: await runAll(def(b)) }])
  return compareReports(
    { file: 'main.json', report: ra },
    { file: 'pr.json', report: rb },
    { version: '0.1.0' },
  )
}

const before = Array.from({ length: 30 }, () => 'ok')
const after = before.map((o, i) => (i < 14 ? 'bad' : o))

describe('compare rendering', () => {
  it('formats p-values', () => {
    expect(formatP(0.0004)).toBe('<0.001')
    expect(formatP(0.0123)).toBe('0.012')
    expect(formatP(1)).toBe('1')
    expect(formatP(null)).toBe('–')
  })

  it('terminal: the table, the reason, McNemar, the first 10 flips cut to the width, plain without colour', async () => {
    const c = await comparison(before, after)
    const text = renderComparison(c, { color: false, width: 80 })
    expect(text).not.toContain('\u001b[')
    expect(text).toContain(
      'evalgate compare: main.json → pr.json (95% intervals of candidate − baseline)',
    )
    expect(text).toMatch(
      /safe\s+1\s+0\.533\s+-0\.467\s+\[-0\.\d+, -0\.\d+\]\s+<0\.001\s+REGRESSION/,
    )
    expect(text).toContain('safe: McNemar exact p <0.001 (0 row(s) fail → pass, 14 pass → fail)')
    expect(text).toContain('flipped rows (14), regressions first:')
    expect(text).toContain('... and 4 more (see evalgate compare --json)')
    for (const line of text.split('\n')) {
      if (line.startsWith('      candidate:')) expect([...line].length).toBeLessThanOrEqual(80)
    }
    expect(renderEvalComparison(c.evals[0]!, 0.95, { color: true })).toContain(
      '\u001b[31mREGRESSION\u001b[39m',
    )
  })

  it('Markdown: escapes HTML, pipes and line breaks from the data; flips folded away', async () => {
    const c = await comparison(before, after)
    const md = renderComparisonMarkdown(c)
    expect(md).toMatch(/^## evalgate compare: ❌ 1 regression\(s\)\n/)
    expect(md).toContain('### ❌ bot &lt;b&gt;')
    expect(md).not.toContain('<script>')
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\|')
    expect(md).toContain('<details><summary>Rows that flipped (14), regressions first</summary>')
    for (const line of md.split('\n').filter((l) => l.startsWith('| "r'))) {
      expect(line.split(' | ')).toHaveLength(5)
    }
    const same = renderComparisonMarkdown(await comparison(before, before))
    expect(same).toMatch(/^## evalgate compare: ✅ no regression\n/)
    expect(same).not.toContain('<details>')
  })
})
