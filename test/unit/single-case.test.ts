// core/single-case.ts: evalTest's case, shared by the Vitest and Jest hosts.
import { describe, expect, it } from 'vitest'
import { scorer } from '../../src/core/scorer.js'
import { runSingleCase } from '../../src/core/single-case.js'

const polite = scorer('polite', ({ outputs }) => String(outputs).includes('please'))

describe('runSingleCase', () => {
  it('runs every trial and decides by trialPassRate; the one-row eval records them', async () => {
    let k = 0
    const task = () => (k++ % 3 === 0 ? 'no' : 'yes please')
    const run = await runSingleCase(
      'asks nicely',
      { inputs: { q: 1 }, task, scorers: [polite], trials: 3, trialPassRate: 0.6 },
      'case.eval.ts',
    )
    expect(run.rows.map((r) => r.trial)).toEqual([0, 1, 2])
    expect(run.failure).toBeUndefined()
    expect(run.eval).toMatchObject({
      name: 'asks nicely',
      file: 'case.eval.ts',
      trials: 3,
      trialPassRate: 0.6,
    })
    expect(run.eval.summary?.passed).toBe(true)
    const strict = await runSingleCase(
      'asks nicely',
      { inputs: {}, task, scorers: [polite], trials: 3 },
      'f',
    )
    expect(strict.failure).toContain('polite passed 2 of 3 trials, below trialPassRate 1')
  })

  it('a case judged by nothing fails, and bad options are errors naming the case', async () => {
    const abstains = scorer('maybe', () => null)
    const run = await runSingleCase(
      'nothing',
      { inputs: {}, outputs: 'x', scorers: [abstains] },
      'f',
    )
    expect(run.failure).toContain('no scored value')
    await expect(
      runSingleCase(
        'both',
        { inputs: {}, outputs: 'x', task: () => 'y', scorers: [polite] } as never,
        'f',
      ),
    ).rejects.toThrow(
      'evalTest "both": give exactly one of "outputs" (to score) or "task" (to run)',
    )
  })
})
