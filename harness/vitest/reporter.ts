/**
 * The vitest leak reporter: at the end of the run it prints the leak summary (tests that leaked,
 * totals, worst sites, opt-outs), the same as the jest reporter, and fails the run
 * (`process.exitCode = 1`, which vitest keeps) if any test leaked, also in report mode where the
 * tests themselves pass.
 *
 * ```ts
 * test: { reporters: ['default', ['bytebuf-leak-harness/vitest/reporter', { outputFile: 'leaks.json' }]] }
 * ```
 *
 * Like the jest reporter, it sees the workers' findings through a records folder: made when vitest
 * starts (`onInit`, before its worker pool exists) and named in `BYTEBUF_JEST_LEAK_RECORDS_DIR`,
 * which the workers inherit; the sanitizer appends its records there. Options as the jest
 * reporter's: `outputFile` (`{shard}` becomes `2-of-4` under `--shard`), `maxSites`, `maxTests`.
 *
 * vitest 3.2 and 4 call `onTestRunEnd`; vitest 3.2 also calls `onFinished` (and 3.0/3.1 only
 * that): the summary is printed once per run, by whichever comes first.
 * @packageDocumentation
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseReporterOptions, shardOutputFile, type LeakReporterOptions } from '../jest/reporter';
import { noSanitizerRanHint, SANITIZER_ENV } from '../sanitizer/options';
import { readRecords } from '../sanitizer/records';
import { formatLeakSummary, summarizeLeakRecords, type LeakRunSummary } from '../sanitizer/summary';
import { writeSummaryFile } from '../sanitizer/summaryFile';

export type { LeakReporterOptions };

/** The part of the vitest instance the reporter reads. */
interface VitestLike {
  config: { root?: string; shard?: { index: number; count: number } | undefined };
}

/** The vitest reporter (default export). vitest makes it with the options given in its config. */
export class VitestLeakReporter {
  private readonly options: LeakReporterOptions;
  private root = process.cwd();
  private shard: { shardIndex: number; shardCount: number } | undefined;
  private dir: string | undefined;
  private reported = false;
  /** The summary of the last run (for programmatic use). */
  summary: LeakRunSummary | undefined;

  constructor(options?: unknown) {
    this.options = parseReporterOptions(options);
  }

  /** Makes the records folder and names it for the workers, which vitest starts after this. */
  onInit(vitest: VitestLike): void {
    this.root = vitest.config.root ?? process.cwd();
    const shard = vitest.config.shard;
    this.shard = shard !== undefined ? { shardIndex: shard.index, shardCount: shard.count } : undefined;
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'bytebuf-vitest-leaks-'));
    process.env[SANITIZER_ENV.recordsDir] = this.dir;
    const dir = this.dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }

  /** A new run (vitest 3.2+, also in watch mode). */
  onTestRunStart(): void {
    this.reported = false;
  }

  /** A rerun in watch mode (vitest 3.0/3.1 have no `onTestRunStart`). */
  onWatcherRerun(): void {
    this.reported = false;
  }

  /** The end of a run (vitest 3.2+). */
  onTestRunEnd(testModules?: readonly unknown[]): void {
    this.report(testModules?.length ?? 0);
  }

  /** The end of a run (vitest 3; 3.2 calls it beside `onTestRunEnd`). */
  onFinished(files?: readonly unknown[]): void {
    this.report(files?.length ?? 0);
  }

  private report(fileCount: number): void {
    const dir = this.dir;
    if (dir === undefined || this.reported) return;
    this.reported = true;
    const summary = summarizeLeakRecords(readRecords(dir), this.shard !== undefined ? `${this.shard.shardIndex}/${this.shard.shardCount}` : undefined);
    // The next run (watch mode) starts from an empty folder.
    for (const name of readdirSync(dir)) rmSync(path.join(dir, name), { force: true });
    this.summary = summary;
    const lines = [formatLeakSummary(summary, this.options)];
    if (summary.files === 0 && fileCount > 0) {
      lines.push(noSanitizerRanHint("add 'bytebuf-leak-harness/vitest/setup' to test.setupFiles"));
    }
    const writeError =
      this.options.outputFile !== undefined
        ? writeSummaryFile(summary, path.resolve(this.root, shardOutputFile(this.options.outputFile, this.shard)), lines)
        : undefined;
    process.stderr.write(`\n${lines.join('\n')}\n`);
    if (writeError !== undefined || summary.testsLeaked > 0) process.exitCode = 1;
  }
}

export default VitestLeakReporter;
