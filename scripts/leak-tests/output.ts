/**
 * The outputs of a finished run (or of a merge): the report on stdout, the `--json` and `--junit`
 * files, GitHub's annotations and step summary. The verdict is never lost to a file: report files
 * are written atomically, and one that cannot be written is told after the report, in one line,
 * with exit code 2.
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { describeWriteError, writeReportFile } from '../lib/report-file';
import type { LeakTestsOptions } from './args';
import { ExitCode } from './exit-code';
import { formatJsonReport } from './format-json';
import { formatTextReport } from './format-text';
import { annotations, stepSummary } from './github';
import { formatJUnit } from './junit';
import type { ProgressStream } from './progress';
import { closingLine, exitCodeOf, formatLoadError, type LeakTestsReport } from './report';

/** The outside world of one CLI run. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
}

/** The options that choose the outputs. */
export type OutputOptions = Pick<LeakTestsOptions, 'format' | 'jsonFile' | 'junitFile' | 'verbose'>;

/**
 * Writes the report to every output the options and the environment ask for, and returns the
 * report files that could not be written, one line each (without the command's name).
 */
export function writeOutputs(report: LeakTestsReport, options: OutputOptions, io: CliIo): string[] {
  const json = options.format === 'json' || options.jsonFile !== undefined ? formatJsonReport(report) : '';
  const failures: string[] = [];
  const writeFile = (option: string, file: string | undefined, text: () => string): void => {
    if (file === undefined) return;
    try {
      writeReportFile(file, text());
    } catch (error) {
      failures.push(`Cannot write the \`${option}\` file \`${file}\`: ${describeWriteError(error)}`);
    }
  };
  writeFile('--json', options.jsonFile, () => json);
  writeFile('--junit', options.junitFile, () => formatJUnit(report));
  // With JSON on stdout, everything else goes to stderr so stdout stays one JSON document.
  const side = options.format === 'json' ? io.stderr : io.stdout;
  if (io.env['GITHUB_ACTIONS'] === 'true') {
    const summaryFile = io.env['GITHUB_STEP_SUMMARY'];
    const hasSummary = summaryFile !== undefined && summaryFile !== '';
    for (const line of annotations(report, hasSummary)) side.write(`${line}\n`);
    if (hasSummary) {
      try {
        writeFileSync(summaryFile, stepSummary(report), { flag: 'a' });
      } catch (error) {
        io.stderr.write(`leak-tests: cannot append to $GITHUB_STEP_SUMMARY (${summaryFile}): ${(error as Error).message}\n`);
      }
    }
  }
  if (options.format === 'json') {
    io.stdout.write(json);
    for (const e of report.loadErrors) io.stderr.write(`${formatLoadError(e)}\n`);
    io.stderr.write(`${closingLine(report.totals)}\n`);
  } else {
    io.stdout.write(formatTextReport(report, options.verbose));
  }
  return failures;
}

/**
 * Prints the outputs (see {@link writeOutputs}), then one line `<command>: Cannot write ...` on
 * stderr per report file that could not be written, and returns the exit code: the report's,
 * or {@link ExitCode.Usage} when a file is missing.
 */
export function printReport(command: string, report: LeakTestsReport, options: OutputOptions, io: CliIo): ExitCode {
  const failures = writeOutputs(report, options, io);
  for (const failure of failures) io.stderr.write(`${command}: ${failure}\n`);
  return failures.length > 0 ? ExitCode.Usage : exitCodeOf(report);
}
