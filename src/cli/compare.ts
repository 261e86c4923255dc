import { writeFileSync } from 'node:fs'
import { EvalgateError } from '../base/errors.js'
import { type CompareOptions, type Comparison, compareSides } from '../core/compare.js'
import { parseDirections, parseMargins } from '../core/compare-options.js'
import { renderComparison, renderComparisonMarkdown } from '../reporter/compare-render.js'
import { VERSION } from '../reporter/version.js'
import { appendMarkdown } from '../reporter/write.js'
import { type CliIO, EXIT } from './io.js'
import { readSide, type SideReader } from './parallel.js'

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
): Promise<Comparison> {
  const sides: SideReader[] = []
  try {
    sides.push(readSide(baselineFile), readSide(candidateFile))
    const [baseline, candidate] = sides as [SideReader, SideReader]
    const pending = compareSides(...(await both(baseline.summary, candidate.summary)), options)
    return pending.complete(
      ...(await both(
        baseline.details(pending.baselineRefs),
        candidate.details(pending.candidateRefs),
      )),
    )
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
  const comparison = await compareFiles(baselineFile, candidateFile, {
    version: VERSION,
    confidence,
    margins,
    directions,
    eval: options.eval,
  })
  const markdown = renderComparisonMarkdown(comparison)
  if (options.markdown === true) io.out(markdown)
  else io.out(`${renderComparison(comparison, { color: io.color, width: io.width })}\n`)
  if (typeof options.markdown === 'string') writeFileSync(options.markdown, markdown)
  const summary = io.env['GITHUB_STEP_SUMMARY']
  if (summary) appendMarkdown(summary, markdown)
  if (options.json !== undefined) {
    // Checked against the schema it is published with, so the two never disagree.
    const { ComparisonSchema } = await import('../core/compare-schema.js')
    ComparisonSchema.parse(comparison)
    writeFileSync(options.json, `${JSON.stringify(comparison, null, 2)}\n`)
  }
  return options.failOnRegression === true && comparison.regression ? EXIT.failed : EXIT.ok
}
