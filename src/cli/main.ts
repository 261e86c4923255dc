// `evalgate report | merge | compare`: parsing and exit codes on commander; each command is a
// few lines over core (reading, merging, comparing) and reporter (rendering, writing). A command
// loads its own modules when it runs: `--help`, `--version` and each command start without
// the others' code (statistics, zod, the HTML page).
import { Command, CommanderError } from 'commander'
import { EvalgateError } from '../base/errors.js'
import { VERSION } from '../reporter/version.js'
import { type CliIO, EXIT } from './io.js'

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

function program(io: CliIO, done: (code: number) => void): Command {
  const p = new Command('evalgate')
    .description(
      'Read, merge and compare evalgate artifacts (evalgate-report.json).\nExit codes: 0 fine, 1 a gate or a regression failed, 2 bad usage or input.',
    )
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(evalgate <command> --help shows how to use a command)')
  p.command('report')
    .summary(
      "print an artifact's tables, its Markdown or its HTML report; exits 1 when its run failed",
    )
    .description(
      "Print an artifact's per-eval tables (as the reporter does), or write its Markdown summary or its HTML report.\nExits 1 when the artifact's run failed, so it can gate a CI step.",
    )
    .argument('<artifact>', 'an evalgate artifact (evalgate-report.json)')
    .option(
      '--markdown [file]',
      'write the Markdown summary to file (stdout when no file is given)',
    )
    .option('--html [file]', 'write the HTML report to file (default: beside the artifact, .html)')
    .option('--baseline <artifact>', 'with --html: show the comparison with this baseline')
    .action(
      async (
        artifact: string,
        options: { markdown?: string | true; html?: string | true; baseline?: string },
      ) => {
        const { reportCommand } = await import('./report.js')
        done(reportCommand(artifact, options, io))
      },
    )
  p.command('merge')
    .summary('merge the artifacts of a sharded run into the unsharded one')
    .description(
      "Merge the artifacts of one run split across machines (vitest or jest --shard, EVALGATE_SHARD row shards) into the unsharded run's artifact: metrics, intervals and gates recomputed from the merged rows.\nExits 1 when the merged run failed.",
    )
    .argument('<artifacts...>', 'the shards’ artifacts (two or more)')
    .option('-o, --output <file>', 'where to write the merged artifact (default: stdout)')
    .action(async (artifacts: string[], options: { output?: string }) => {
      const { mergeCommand } = await import('./merge.js')
      done(await mergeCommand(artifacts, options, io))
    })
  p.command('compare')
    .summary('compare a candidate artifact with a baseline: paired differences and verdicts')
    .description(
      'Compare a candidate artifact with a baseline: per eval and metric, the paired difference over rows paired by id, its confidence interval and p-value, and a verdict. A regression is a difference whose whole interval lies on the worse side (beyond --margin).\nWrites Markdown to $GITHUB_STEP_SUMMARY when it is set. Exits 1 on a regression only with --fail-on-regression.',
    )
    .argument('<baseline>', 'the artifact to compare against (e.g. from the main branch)')
    .argument('<candidate>', 'the artifact of the change (e.g. this pull request)')
    .option('--eval <name>', 'compare only this eval')
    .option('--confidence <level>', 'confidence level of the intervals, between 0 and 1', '0.95')
    .option(
      '--margin <metric/mean=number>',
      "worsening tolerated before a regression, in the metric's units (repeatable)",
      collect,
    )
    .option(
      '--direction <metric=higher|lower>',
      'which way a metric is better, over its gates (repeatable)',
      collect,
    )
    .option('--markdown [file]', 'write Markdown (a PR comment) to file, or to stdout')
    .option('--json <file>', 'write the comparison as JSON (schema: evalgate/compare-schema.json)')
    .option('--fail-on-regression', 'exit 1 when any metric regressed')
    .action(
      async (
        baseline: string,
        candidate: string,
        options: {
          eval?: string
          confidence: string
          margin?: string[]
          direction?: string[]
          markdown?: string | true
          json?: string
          failOnRegression?: boolean
        },
      ) => {
        const { compareCommand } = await import('./compare.js')
        done(await compareCommand(baseline, candidate, options, io))
      },
    )
  return p
}

/**
 * Runs `evalgate` with the arguments after the executable's name and returns the exit code:
 * 0 fine, 1 a gate or a regression failed, 2 bad usage or input (an unknown option, a missing
 * or invalid artifact, rows that cannot be paired). Every error is one line on `io.err` naming
 * the file and what is wrong.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['compare', 'main.json', 'pr.json', '--fail-on-regression'], io)
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok
  const p = program(io, (c) => {
    code = c
  })
  if (argv.length === 0) {
    p.outputHelp({ error: true })
    return EXIT.usage
  }
  try {
    await p.parseAsync([...argv], { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, successfully.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    if (error instanceof EvalgateError) {
      io.err(`${error.message}\n`)
      return EXIT.usage
    }
    throw error
  }
}
