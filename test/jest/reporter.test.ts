/**
 * The leak reporter in process: options, shard file names, and a run from records to summary,
 * JSON file and exit status. (The child-process runs in sanitizer.test.ts cover it inside jest.)
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LeakReporter, LeakRunError, LeakSummaryWriteError, parseReporterOptions, SANITIZER_ENV, shardOutputFile } from '../../harness/jest';
import { writeRecords } from '../../harness/sanitizer/records';

describe('parseReporterOptions', () => {
  test('accepts nothing, or the known options', () => {
    expect(parseReporterOptions(undefined)).toEqual({});
    expect(parseReporterOptions({ outputFile: 'x.json', maxSites: 3, maxTests: 10 })).toEqual({ outputFile: 'x.json', maxSites: 3, maxTests: 10 });
  });

  test('rejects unknown options and bad values', () => {
    expect(() => parseReporterOptions({ output: 'x.json' })).toThrow('Expected leak reporter options among outputFile, maxSites, maxTests, got output');
    expect(() => parseReporterOptions('x.json')).toThrow('Expected leak reporter options to be an object, got "x.json"');
    expect(() => parseReporterOptions({ outputFile: '' })).toThrow('Expected outputFile to be a non-empty string, got ""');
    expect(() => parseReporterOptions({ maxSites: 0 })).toThrow('Expected maxSites to be an integer >= 1, got 0');
  });
});

describe('shardOutputFile', () => {
  test('replaces {shard}, or adds a shard suffix when sharded', () => {
    expect(shardOutputFile('leaks-{shard}.json', { shardIndex: 2, shardCount: 4 })).toBe('leaks-2-of-4.json');
    expect(shardOutputFile('leaks-{shard}.json', null)).toBe('leaks-all.json');
    expect(shardOutputFile('out/leaks.json', { shardIndex: 1, shardCount: 3 })).toBe('out/leaks.shard-1-of-3.json');
    expect(shardOutputFile('out/leaks.json', undefined)).toBe('out/leaks.json');
  });
});

describe('LeakReporter', () => {
  let tmp: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'leak-reporter-test-'));
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('names a records folder for the run, summarises what workers wrote, fails the run on leaks and cleans up', () => {
    const before = process.env[SANITIZER_ENV.recordsDir];
    const reporter = new LeakReporter({ rootDir: tmp, shard: { shardIndex: 1, shardCount: 2 } }, { outputFile: 'reports/leaks.json' });
    reporter.onRunStart();
    const dir = process.env[SANITIZER_ENV.recordsDir]!;
    expect(dir).not.toBe(before);
    expect(existsSync(dir)).toBe(true);
    writeRecords(dir, [
      { type: 'file', file: 'a.test.ts', testsChecked: 2 },
      {
        type: 'test', file: 'a.test.ts', test: 'a › leaks', when: 'test', leaked: true, leaks: 1, bytes: 64, misuses: 0, timers: 0,
        sites: [{ site: 'make (a.test.ts:3:1)', count: 1, bytes: 64 }], optOuts: [], suppressed: { leaks: 0, misuses: 0, timers: 0 },
      },
    ]);
    reporter.onRunComplete(undefined, { numTotalTests: 2 });

    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toContain('Leak sanitizer (shard 1/2): 1 of 2 test(s) leaked (1 file(s) checked): 1 leak(s), 64 byte(s).');
    expect(printed).toContain('leak-sanitizer: 2 test(s) checked, 1 leaked, 0 opt-out(s)');
    const written = JSON.parse(readFileSync(path.join(tmp, 'reports', 'leaks.shard-1-of-2.json'), 'utf8')) as { leaks: number; shards: string[] };
    expect(written).toMatchObject({ leaks: 1, shards: ['1/2'] });
    expect(reporter.summary?.testsLeaked).toBe(1);
    const error = reporter.getLastError();
    expect(error).toBeInstanceOf(LeakRunError);
    expect(error).toMatchObject({ code: 'ERR_LEAKS_IN_RUN', message: '1 test(s) leaked buffers, misused one or left a timer open (see the leak summary)' });
    expect(existsSync(dir)).toBe(false);
    expect(process.env[SANITIZER_ENV.recordsDir]).toBe(before);
  });

  test('a run without leaks has no error; a run where no file ran the sanitizer says so', () => {
    const reporter = new LeakReporter({ rootDir: tmp }, undefined);
    reporter.onRunStart();
    reporter.onRunComplete(undefined, { numTotalTests: 3 });
    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toContain('Leak sanitizer: no leaks in 0 test(s) checked in 0 file(s).');
    expect(printed).toContain("leak-sanitizer: no test file ran the sanitizer: add 'bytebuf-leak-harness/jest/setup' to setupFilesAfterEnv.");
    expect(reporter.getLastError()).toBeUndefined();
  });

  test('a run where the sanitizer was switched off says so instead of telling to set it up', () => {
    const before = process.env[SANITIZER_ENV.mode];
    process.env[SANITIZER_ENV.mode] = 'off';
    try {
      const reporter = new LeakReporter({ rootDir: tmp }, undefined);
      reporter.onRunStart();
      reporter.onRunComplete(undefined, { numTotalTests: 3 });
    } finally {
      if (before === undefined) delete process.env[SANITIZER_ENV.mode];
      else process.env[SANITIZER_ENV.mode] = before;
    }
    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toContain('leak-sanitizer: no test file ran the sanitizer: it is switched off (BYTEBUF_JEST_SANITIZER=off).');
    expect(printed).not.toContain('setupFilesAfterEnv');
  });

  /** A run whose workers wrote one leaking test, with `outputFile` at `outputFile`. */
  function runWithOneLeak(outputFile: string): LeakReporter {
    const reporter = new LeakReporter({ rootDir: tmp }, { outputFile });
    reporter.onRunStart();
    writeRecords(process.env[SANITIZER_ENV.recordsDir]!, [
      { type: 'file', file: 'a.test.ts', testsChecked: 1 },
      {
        type: 'test', file: 'a.test.ts', test: 'a › leaks', when: 'after-test', leaked: true, leaks: 1, bytes: 16, misuses: 0, timers: 0,
        sites: [{ site: 'make (a.test.ts:3:1)', count: 1, bytes: 16 }], optOuts: [], suppressed: { leaks: 0, misuses: 0, timers: 0 },
      },
    ]);
    reporter.onRunComplete(undefined, { numTotalTests: 1 });
    return reporter;
  }

  function printedLines(): string[] {
    return stderr.mock.calls.map((c) => String(c[0])).join('').split('\n').filter((l) => l !== '');
  }

  test('writes outputFile through a temporary file renamed into place, leaving nothing else beside it', () => {
    const out = path.join(tmp, 'reports');
    mkdirSync(out);
    writeFileSync(path.join(out, 'leaks.json'), 'old content');
    runWithOneLeak('reports/leaks.json');
    expect(readdirSync(out)).toEqual(['leaks.json']);
    expect(JSON.parse(readFileSync(path.join(out, 'leaks.json'), 'utf8'))).toMatchObject({ leaks: 1, testsLeaked: 1 });
    expect(printedLines().at(-1)).toBe(`leak-sanitizer: summary written to ${path.relative(process.cwd(), path.join(out, 'leaks.json'))}`);
  });

  test('a write that fails (parent is a regular file) prints the summary, then one line for the error, and fails the run', () => {
    writeFileSync(path.join(tmp, 'not-a-dir'), 'x');
    const reporter = runWithOneLeak('not-a-dir/reports/leaks.json');
    const lines = printedLines();
    expect(lines).toContain('Leak sanitizer: 1 of 1 test(s) leaked (1 file(s) checked): 1 leak(s), 16 byte(s).');
    expect(lines.at(-2)).toBe('leak-sanitizer: 1 test(s) checked, 1 leaked, 0 opt-out(s)');
    expect(lines.at(-1)).toMatch(/^leak-sanitizer: cannot write the leak summary to .*not-a-dir\/reports\/leaks\.json: ENOTDIR: not a directory, /);
    expect(lines.filter((l) => l.includes('cannot write'))).toHaveLength(1);
    const error = reporter.getLastError();
    expect(error).toBeInstanceOf(LeakSummaryWriteError);
    expect(error).toMatchObject({ name: 'LeakSummaryWriteError', code: 'ERR_LEAK_SUMMARY_WRITE' });
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('ENOTDIR');
    expect(readFileSync(path.join(tmp, 'not-a-dir'), 'utf8')).toBe('x');
  });

  test('a write that fails (target is a directory) leaves no temporary or truncated file, and fails a clean run', () => {
    const target = path.join(tmp, 'reports', 'leaks.json');
    mkdirSync(target, { recursive: true });
    const reporter = new LeakReporter({ rootDir: tmp }, { outputFile: 'reports/leaks.json' });
    reporter.onRunStart();
    reporter.onRunComplete(undefined, { numTotalTests: 0 });
    const lines = printedLines();
    expect(lines.at(-2)).toBe('leak-sanitizer: 0 test(s) checked, 0 leaked, 0 opt-out(s)');
    expect(lines.at(-1)).toMatch(/^leak-sanitizer: cannot write the leak summary to .*reports\/leaks\.json: EISDIR: /);
    expect(readdirSync(path.join(tmp, 'reports'))).toEqual(['leaks.json']);
    expect(statSync(target).isDirectory()).toBe(true);
    expect(readdirSync(target)).toEqual([]);
    expect(reporter.getLastError()).toBeInstanceOf(LeakSummaryWriteError);
    expect(reporter.summary?.testsLeaked).toBe(0);
  });
});
