/**
 * Merges the leak reporter's JSON summaries (one per `jest --shard=i/n` run, each written by the
 * reporter's `outputFile`) into one summary with the totals of the whole suite, prints it, and
 * exits non-zero when any test leaked: the gate for a suite spread over several CI machines.
 *
 * Usage: npx bytebuf-leak-tests merge-jest [--output merged.json] <part.json>...
 * (scripts/cli.ts is the entry; this module is the merge).
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { HarnessError } from '../../harness';
import { formatLeakSummary, mergeLeakSummaries, parseLeakSummary, type LeakRunSummary } from '../../harness/jest';
import { describeWriteError, writeReportFile } from '../lib/report-file';

/** Exit codes of the merge. */
export enum ExitCode {
  /** Merged; no test leaked. */
  Clean = 0,
  /** Merged; at least one test leaked. */
  Leaks = 1,
  /** Bad arguments, an unreadable part, or an `--output` file that could not be written. */
  Error = 2,
}

/** Parsed command line. */
export interface MergeArgs {
  output: string | undefined;
  inputs: string[];
  /** `--help`/`-h`: print the usage and exit 0. */
  help: boolean;
}

const USAGE = 'Usage: npx bytebuf-leak-tests merge-jest [--output merged.json] <part.json>...\n';

/** A bad command line, worded "Expected ..., got ...". */
export class UsageError extends HarnessError {
  override readonly name = 'UsageError';
  readonly code = 'ERR_USAGE';
}

/** Parses `[--output file] part...`. */
export function parseArgs(argv: readonly string[]): MergeArgs {
  let output: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { output, inputs, help: true };
    if (arg === '--output' || arg === '-o') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) throw new UsageError(`Expected a file name after \`${arg}\`, got ${value === undefined ? 'nothing' : `\`${value}\``}`);
      output = value;
    } else if (arg.startsWith('--output=')) {
      output = arg.slice('--output='.length);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`Expected options among --output, got \`${arg}\``);
    } else {
      inputs.push(arg);
    }
  }
  if (inputs.length === 0) throw new UsageError('Expected at least one summary file to merge, got none');
  return { output, inputs, help: false };
}

/** Reads and merges the parts. Throws `LeakSummaryFormatError` for a part that is not a summary. */
export function mergeFiles(inputs: readonly string[]): LeakRunSummary {
  return mergeLeakSummaries(inputs.map((file) => parseLeakSummary(readFileSync(file, 'utf8'), file)));
}

/** Writes the merged summary to `file` atomically; returns why it could not (one line), or null. */
function writeOutput(file: string, merged: LeakRunSummary): string | null {
  try {
    writeReportFile(file, `${JSON.stringify(merged, null, 2)}\n`);
    return null;
  } catch (error) {
    return `Cannot write the \`--output\` file \`${file}\`: ${describeWriteError(error)}`;
  }
}

/** Runs the merge; returns the exit code (printing goes to `out` and `err`). */
export function main(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(t),
  err: (text: string) => void = (t) => process.stderr.write(t),
): ExitCode {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      out(USAGE);
      return ExitCode.Clean;
    }
    const merged = mergeFiles(args.inputs);
    const failure = args.output === undefined ? null : writeOutput(args.output, merged);
    // The verdict first; an output file that could not be written is told after it.
    out(`${formatLeakSummary(merged)}\n`);
    if (failure !== null) {
      err(`merge-jest-leak-reports: ${failure}\n`);
      return ExitCode.Error;
    }
    return merged.testsLeaked > 0 ? ExitCode.Leaks : ExitCode.Clean;
  } catch (error) {
    err(`merge-jest-leak-reports: ${(error as Error).message}\n`);
    err(USAGE);
    return ExitCode.Error;
  }
}

