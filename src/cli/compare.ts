import { writeFileSync } from 'node:fs'
import { EvalgateError } from '../base/errors.js'
import type { CompareOptions, Comparison } from '../core/compare.js'
import { parseDirections, parseMargins } from '../core/compare-options.js'
import { VERSION } from '../reporter/version.js'
import { type CliIO, EXIT } from './io.js'
import { readSide, type SideReader } from './parallel.js'

/**
 * What the comparison and its output need, loaded while the artifacts are read (the worker
 * threads start first; statistics and rendering are not needed before they answer).
 */
function load() {
  return Promise.all([
    import('../core/compare.js'),
    import('../reporter/compare-render.js'),
    import('../reporter/write.js'),
  ])
}

/** `--confidence`: a number strictly between 0 and 1. */
function level(text: string): number {
  const value = Number(text)
  if (text.trim() === '' || !(value > 0 && value < 1)) {
    throw new EvalgateError(
      `--confidence: expected a level strictly between 0 and 1 (e.g. 0.95), received ${JSON.stringify(text)}`,
    )
  }
  return value
}

/**
 * A comparison with one of each of its parts, checked against the schema while the artifacts
 * are read: zod builds and compiles the schema's checks then, off the command's path, and the
 * real comparison (tens of thousands of flipped rows) is checked by code already warm.
 */
const SAMPLE: Comparison = {
  schemaVersion: 1,
  tool: { name: 'evalgate', version: '0.0.0' },
  confidence: 0.95,
  baseline: {
    file: 'a.json',
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'passed',
    version: '0',
  },
  candidate: {
    file: 'b.json',
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'failed',
    version: '0',
  },
  regression: true,
  evals: [
    {
      name: 'e',
      file: 'e.eval.ts',
      baselineFile: 'e.eval.ts',
      pairing: 'id',
      pairedRows: 2,
      added: [{ index: 2, id: 'c' }],
      removed: [{ index: 3, id: null }],
      metrics: [
        {
          name: 'm',
          direction: 'higher',
          directionSource: 'default',
          binary: true,
          margin: null,
          pairs: 2,
          baseline: 1,
          candidate: 0.5,
          diff: -0.5,
          stderr: 0.5,
          ci: { level: 0.95, low: -6.85, high: 5.85 },
          df: 1,
          pValue: 0.5,
          mcnemar: { failToPass: 0, passToFail: 1, pValue: 1 },
          rows: { improved: 0, regressed: 1, unchanged: 1 },
          verdict: 'regression',
          reason: 'sample',
        },
      ],
      flips: [
        {
          metric: 'm',
          change: 'regressed',
          id: 'a',
          baselineIndex: 0,
          candidateIndex: 0,
          baseline: { passed: true, trials: 1, passes: 1, value: true, rationale: 'yes' },
          candidate: { passed: false, trials: 1, passes: 0, value: false, rationale: null },
        },
      ],
      regression: true,
    },
  ],
  addedEvals: [],
  removedEvals: [],
}

/** The comparison's schema, its checks compiled on {@link SAMPLE}. */
async function warmSchema(): Promise<
  typeof import('../core/compare-schema.js')['ComparisonSchema']
> {
  const { ComparisonSchema } = await import('../core/compare-schema.js')
  ComparisonSchema.safeParse(SAMPLE)
  return ComparisonSchema
}

/** The value of a settled read, or its error (the baseline's first, whichever came first). */
async function both<T>(a: Promise<T>, b: Promise<T>): Promise<[T, T]> {
  const [x, y] = await Promise.allSettled([a, b])
  if (x.status === 'rejected') throw x.reason
  if (y.status === 'rejected') throw y.reason
  return [x.value, y.value]
}

/**
 * The two artifacts compared, each read and summarized in a thread of its own (only the
 * columns the comparison reads come back, then what the flipped rows show).
 */
async function compareFiles(
  baselineFile: string,
  candidateFile: string,
  options: CompareOptions,
  modules: ReturnType<typeof load>,
  check: ((draft: Comparison) => Promise<void>) | undefined,
): Promise<Comparison> {
  const sides: SideReader[] = []
  try {
    sides.push(readSide(baselineFile), readSide(candidateFile))
    const [baseline, candidate] = sides as [SideReader, SideReader]
    const [{ compareSides }] = await modules
    const pending = compareSides(...(await both(baseline.summary, candidate.summary)), options)
    const details = both(
      baseline.details(pending.baselineRefs),
      candidate.details(pending.candidateRefs),
    )
    // While the worker threads look up what the flipped rows show: the rest is checked now.
    // What they send fits the schema as it is (a Feedback's value is any JSON, its rationale a
    // string or null, as the artifacts' own schema holds them).
    await check?.(pending.draft)
    return pending.complete(...(await details))
  } finally {
    for (const side of sides) side.close()
  }
}

/**
 * `evalgate compare <baseline> <candidate>`: the comparison in the terminal (or Markdown on
 * stdout with a bare `--markdown`), Markdown to a file and to `$GITHUB_STEP_SUMMARY` when set,
 * JSON with `--json`. Exits 1 on a regression with `--fail-on-regression`, else 0.
 */
export async function compareCommand(
  baselineFile: string,
  candidateFile: string,
  options: {
    eval?: string
    confidence: string
    margin?: string[] | undefined
    direction?: string[] | undefined
    markdown?: string | true
    json?: string
    failOnRegression?: boolean
  },
  io: CliIO,
): Promise<number> {
  const confidence = level(options.confidence)
  const margins = parseMargins(options.margin ?? [])
  const directions = parseDirections(options.direction ?? [])
  const modules = load()
  const schema = options.json === undefined ? undefined : warmSchema()
  // Awaited only once the comparison is made; not an unhandled rejection if that fails first.
  schema?.catch(() => {})
  const comparison = await compareFiles(
    baselineFile,
    candidateFile,
    { version: VERSION, confidence, margins, directions, eval: options.eval },
    modules,
    // Checked against the schema it is published with, so the two never disagree.
    schema === undefined
      ? undefined
      : async (draft) => {
          ;(await schema).parse(draft)
        },
  )
  const [, { renderComparison, renderComparisonMarkdown }, { appendMarkdown }] = await modules
  const markdown = renderComparisonMarkdown(comparison)
  if (options.markdown === true) io.out(markdown)
  else io.out(`${renderComparison(comparison, { color: io.color, width: io.width })}\n`)
  if (typeof options.markdown === 'string') writeFileSync(options.markdown, markdown)
  const summary = io.env['GITHUB_STEP_SUMMARY']
  if (summary) appendMarkdown(summary, markdown)
  if (options.json !== undefined) {
    writeFileSync(options.json, `${JSON.stringify(comparison, null, 2)}\n`)
  }
  return options.failOnRegression === true && comparison.regression ? EXIT.failed : EXIT.ok
}
