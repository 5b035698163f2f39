/**
 * The leak reporter: after the run it prints the leak summary (tests that leaked, totals, worst
 * sites, opt-outs) and fails the run (jest exits non-zero) if any test leaked, whatever the tests'
 * own results say. Load it through `reporter.cjs` (jest `require()`s reporters, outside its
 * transform):
 *
 * ```js
 * reporters: ['default', ['<rootDir>/harness/jest/reporter.cjs', { outputFile: 'leaks.json' }]],
 * ```
 *
 * How it sees leaks in jest's worker processes: at the start of a run it makes a temporary folder
 * and names it in `BYTEBUF_JEST_LEAK_RECORDS_DIR`, which workers inherit; the sanitizer appends its
 * records there (a file per worker); the reporter reads them all at the end and removes the folder.
 *
 * Options: `outputFile` (JSON summary; relative to `rootDir`; `{shard}` in the name becomes
 * `2-of-4`, or `all` when unsharded, and a sharded run without `{shard}` gets `.shard-2-of-4`
 * before the extension, so parts never overwrite each other), `maxSites` (5), `maxTests` (20).
 * `outputFile` is written to a temporary file renamed into place, so no reader sees half of it; a
 * write that fails is one line after the summary, and fails the run (`LeakSummaryWriteError`).
 * @packageDocumentation
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IllegalArgumentException } from '../errors';
import { LeakRunError, LeakSummaryWriteError } from '../sanitizer/errors';
import { readRecords } from '../sanitizer/records';
import { writeSummaryFile } from '../sanitizer/summaryFile';
import { noSanitizerRanHint, SANITIZER_ENV } from '../sanitizer/options';
import { formatLeakSummary, summarizeLeakRecords, type LeakRunSummary } from '../sanitizer/summary';

/** Options of the leak reporter, as given in the jest config. */
export interface LeakReporterOptions {
  outputFile?: string;
  maxSites?: number;
  maxTests?: number;
}

/** The part of jest's global config the reporter reads. */
interface ReporterGlobalConfig {
  rootDir?: string;
  shard?: { shardIndex: number; shardCount: number } | null;
}

/** The part of jest's aggregated results the reporter reads. */
interface ReporterResults {
  numTotalTests?: number;
}

const OPTION_NAMES = ['outputFile', 'maxSites', 'maxTests'] as const;

/** Validates reporter options, with the project's wording for a bad one. */
export function parseReporterOptions(raw: unknown): LeakReporterOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new IllegalArgumentException(`Expected leak reporter options to be an object, got ${JSON.stringify(raw)}`);
  }
  const o = raw as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !(OPTION_NAMES as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new IllegalArgumentException(`Expected leak reporter options among ${OPTION_NAMES.join(', ')}, got ${unknown.join(', ')}`);
  }
  if (o.outputFile !== undefined && (typeof o.outputFile !== 'string' || o.outputFile === '')) {
    throw new IllegalArgumentException(`Expected outputFile to be a non-empty string, got ${JSON.stringify(o.outputFile)}`);
  }
  for (const k of ['maxSites', 'maxTests'] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) {
      throw new IllegalArgumentException(`Expected ${k} to be an integer >= 1, got ${JSON.stringify(v)}`);
    }
  }
  return o as LeakReporterOptions;
}

/** `outputFile` for a shard: `{shard}` replaced, or a `.shard-I-of-N` suffix when sharded without it. */
export function shardOutputFile(outputFile: string, shard: { shardIndex: number; shardCount: number } | null | undefined): string {
  const label = shard ? `${shard.shardIndex}-of-${shard.shardCount}` : 'all';
  if (outputFile.includes('{shard}')) return outputFile.split('{shard}').join(label);
  if (!shard) return outputFile;
  const ext = path.extname(outputFile);
  return `${outputFile.slice(0, outputFile.length - ext.length)}.shard-${label}${ext}`;
}

/** The jest reporter. jest constructs it with its global config and the options from the config. */
export class LeakReporter {
  private readonly options: LeakReporterOptions;
  private readonly globalConfig: ReporterGlobalConfig;
  private dir: string | undefined;
  private previousDir: string | undefined;
  private lastError: Error | undefined;
  /** The summary of the last run (for programmatic use). */
  summary: LeakRunSummary | undefined;

  constructor(globalConfig: ReporterGlobalConfig, options?: unknown) {
    this.globalConfig = globalConfig;
    this.options = parseReporterOptions(options);
  }

  /** Makes the records folder and names it for the workers (they are started after this). */
  onRunStart(): void {
    this.lastError = undefined;
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'bytebuf-jest-leaks-'));
    this.previousDir = process.env[SANITIZER_ENV.recordsDir];
    process.env[SANITIZER_ENV.recordsDir] = this.dir;
  }

  /** Reads the records, writes `outputFile`, prints the summary, and fails the run on leaks or a failed write. */
  onRunComplete(_contexts: unknown, results: ReporterResults): void {
    const dir = this.dir;
    if (dir === undefined) return;
    try {
      const shard = this.globalConfig.shard ? `${this.globalConfig.shard.shardIndex}/${this.globalConfig.shard.shardCount}` : undefined;
      const summary = summarizeLeakRecords(readRecords(dir), shard);
      this.summary = summary;
      const lines = [formatLeakSummary(summary, this.options)];
      if (summary.files === 0 && (results.numTotalTests ?? 0) > 0) {
        lines.push(noSanitizerRanHint("add 'bytebuf-leak-harness/jest/setup' to setupFilesAfterEnv"));
      }
      const writeError = this.writeOutputFile(summary, lines);
      process.stderr.write(`\n${lines.join('\n')}\n`);
      if (writeError !== undefined) {
        this.lastError = writeError;
      } else if (summary.testsLeaked > 0) {
        this.lastError = new LeakRunError(
          `${summary.testsLeaked} test(s) leaked buffers, misused one or left a timer open (see the leak summary)`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (this.previousDir !== undefined) process.env[SANITIZER_ENV.recordsDir] = this.previousDir;
      else delete process.env[SANITIZER_ENV.recordsDir];
      this.dir = undefined;
    }
  }

  /**
   * Writes `outputFile` (if asked) atomically, so no reader sees half a summary; adds the line that
   * says where it went, or why it could not be written, to `lines`. Returns the write's error.
   */
  private writeOutputFile(summary: LeakRunSummary, lines: string[]): LeakSummaryWriteError | undefined {
    if (this.options.outputFile === undefined) return undefined;
    const file = path.resolve(this.globalConfig.rootDir ?? process.cwd(), shardOutputFile(this.options.outputFile, this.globalConfig.shard));
    return writeSummaryFile(summary, file, lines);
  }

  /** jest fails the run when a reporter returns an error here. */
  getLastError(): Error | undefined {
    return this.lastError;
  }
}

export default LeakReporter;
