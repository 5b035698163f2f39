/**
 * Merging the JSON parts of a sharded run (`--shard i/n --json part-i.json` on each machine) into
 * one report: results are concatenated (in plan order), totals summed; the parts must come from
 * the same plan and cover every shard exactly once, or the merge refuses (exit 2): a green merged
 * report must never hide a machine that did not report.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { OutputFormat } from './args';
import { ReportMergeError, UsageError } from './errors';
import { ExitCode } from './exit-code';
import { parseJsonReport } from './format-json';
import { printReport, type CliIo, type OutputOptions } from './output';
import { computeTotals, type LeakTestsReport } from './report';
import { formatShard, type Shard } from './shard';

/** A parsed part and where it came from (for messages). */
export interface ReportPart {
  source: string;
  report: LeakTestsReport;
}

const planKey = (r: LeakTestsReport): string =>
  JSON.stringify({ level: r.level, plannedRuns: r.plannedRuns, rows: r.rows.map((row) => [row.file, row.versions]) });

/** Merges shard reports into one. Throws a {@link ReportMergeError} when they do not fit together. */
export function mergeReports(parts: readonly ReportPart[]): LeakTestsReport {
  const first = parts[0];
  if (first === undefined) throw new ReportMergeError('Expected at least one report file');
  const key = planKey(first.report);
  for (const p of parts.slice(1)) {
    if (planKey(p.report) !== key) {
      throw new ReportMergeError(
        `${p.source}: its plan (level ${p.report.level}, ${p.report.plannedRuns} runs of ${p.report.rows.length} scenarios) differs from ${first.source}'s (level ${first.report.level}, ${first.report.plannedRuns} runs of ${first.report.rows.length} scenarios): merge parts of the same run only`,
      );
    }
  }
  if (parts.length === 1 && first.report.shards === null) return first.report;
  const shards: Shard[] = [];
  const shardSource = new Map<number, string>();
  for (const p of parts) {
    if (p.report.shards === null) throw new ReportMergeError(`${p.source}: an unsharded report cannot be merged with others`);
    for (const s of p.report.shards) {
      const count = shards[0]?.count ?? s.count;
      if (s.count !== count) throw new ReportMergeError(`${p.source}: shard ${formatShard(s)} does not fit shards of ${count}`);
      const seen = shardSource.get(s.index);
      if (seen !== undefined) throw new ReportMergeError(`Shard ${formatShard(s)} appears twice: in ${seen} and ${p.source}`);
      shardSource.set(s.index, p.source);
      shards.push(s);
    }
  }
  const count = shards[0]!.count;
  const missing: string[] = [];
  for (let i = 1; i <= count; i++) if (!shardSource.has(i)) missing.push(`${i}/${count}`);
  if (missing.length > 0) throw new ReportMergeError(`Missing shard(s) ${missing.join(', ')}: every shard's report is needed`);
  const results = parts.flatMap((p) => p.report.results).sort((a, b) => a.index - b.index);
  // Every shard loads the same corpus, so each reports the same malformed files: keep one of each.
  const loadErrors = [...new Map(parts.flatMap((p) => p.report.loadErrors).map((e) => [JSON.stringify(e), e])).values()];
  const versions = first.report.versions;
  return {
    ...first.report,
    versions,
    shards: shards.sort((a, b) => a.index - b.index),
    totals: computeTotals(results, loadErrors),
    results,
    loadErrors,
    durationMs: Math.max(...parts.map((p) => p.report.durationMs)),
  };
}

/** The merge script's options. */
export interface MergeOptions {
  files: string[];
  format: OutputFormat;
  jsonFile?: string;
  junitFile?: string;
  verbose: boolean;
}

/** The merge script's usage text. */
export const MERGE_HELP = `Usage: npx bytebuf-leak-tests merge [options] <part.json>...

Merges the JSON reports of a sharded leak-tests run (--shard i/n --json part.json on each machine)
into one: results concatenated in plan order, totals summed. Every shard must be present once.
Prints the merged report and exits like leak-tests: 0 all passed, 1 a run failed, 2 bad input.

Options:
  --format <format>  stdout format: text (default) or json
  --json <file>      write the merged JSON report to <file>
  --junit <file>     write a JUnit XML report of the merged runs to <file>
  --verbose          also print the leak report of runs that leaked as expected
  -h, --help         print this text
`;

/** Parses the merge script's arguments (pure). */
export function parseMergeArgs(argv: readonly string[]): { command: 'help' } | { command: 'merge'; options: MergeOptions } {
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  const options: MergeOptions = { files: [], format: 'text', verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--verbose') {
      options.verbose = true;
    } else if (arg === '--format' || arg === '--json' || arg === '--junit') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`Expected \`${arg}\` to be followed by a value, got ${value === undefined ? 'nothing' : `\`${value}\``}`);
      if (arg === '--format') {
        if (value !== 'text' && value !== 'json') throw new UsageError(`Expected \`--format\` to be one of text, json, got \`${value}\``);
        options.format = value;
      } else if (arg === '--json') {
        options.jsonFile = value;
      } else {
        options.junitFile = value;
      }
    } else if (arg.startsWith('-')) {
      throw new UsageError(`Unknown option \`${arg}\` (run with --help for the options)`);
    } else {
      options.files.push(arg);
    }
  }
  if (options.files.length === 0) throw new UsageError('Expected at least one report file (the --json output of each shard)');
  return { command: 'merge', options };
}

/** The merge CLI. */
export function mergeMain(argv: readonly string[], io: CliIo): ExitCode {
  try {
    const parsed = parseMergeArgs(argv);
    if (parsed.command === 'help') {
      io.stdout.write(MERGE_HELP);
      return ExitCode.Passed;
    }
    const parts = parsed.options.files.map((file): ReportPart => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new ReportMergeError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      return { source: file, report: parseJsonReport(text, file) };
    });
    const merged = mergeReports(parts);
    const outputOptions: OutputOptions = { format: parsed.options.format, verbose: parsed.options.verbose };
    if (parsed.options.jsonFile !== undefined) outputOptions.jsonFile = parsed.options.jsonFile;
    if (parsed.options.junitFile !== undefined) outputOptions.junitFile = parsed.options.junitFile;
    return printReport('merge-leak-reports', merged, outputOptions, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ReportMergeError) {
      io.stderr.write(`merge-leak-reports: ${error.message}\n`);
      return ExitCode.Usage;
    }
    throw error;
  }
}
