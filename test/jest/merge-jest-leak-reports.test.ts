/**
 * The merge script's command line, without a child process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { summarizeLeakRecords, type LeakRecord } from '../../harness/jest';
import { ExitCode, main, parseArgs } from '../../scripts/merge-jest-leak-reports/main';

describe('parseArgs', () => {
  test('reads --output in both spellings and the parts', () => {
    expect(parseArgs(['a.json', '--output', 'm.json', 'b.json'])).toEqual({ output: 'm.json', inputs: ['a.json', 'b.json'], help: false });
    expect(parseArgs(['--output=m.json', 'a.json'])).toEqual({ output: 'm.json', inputs: ['a.json'], help: false });
    expect(parseArgs(['a.json'])).toEqual({ output: undefined, inputs: ['a.json'], help: false });
    expect(parseArgs(['a.json', '--help'])).toMatchObject({ help: true });
    expect(parseArgs(['-h'])).toMatchObject({ help: true });
  });

  test('rejects no parts, unknown options and a missing file name', () => {
    expect(() => parseArgs([])).toThrow('Expected at least one summary file to merge, got none');
    expect(() => parseArgs(['--out', 'x', 'a.json'])).toThrow('Expected options among --output, got `--out`');
    expect(() => parseArgs(['a.json', '--output'])).toThrow('Expected a file name after `--output`, got nothing');
  });
});

describe('main', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'merge-test-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  const file: LeakRecord = { type: 'file', file: 'a.test.ts', testsChecked: 1 };

  test('exits Clean for clean parts, Leaks when a test leaked, Error for a bad part', () => {
    writeFileSync(path.join(tmp, 'clean.json'), JSON.stringify(summarizeLeakRecords([file], '1/2')));
    const leaky: LeakRecord = {
      type: 'test', file: 'b.test.ts', test: 'b', when: 'test', leaked: true, leaks: 1, bytes: 8, misuses: 0, timers: 0,
      sites: [{ site: 's (b.test.ts:1:1)', count: 1, bytes: 8 }], optOuts: [], suppressed: { leaks: 0, misuses: 0, timers: 0 },
    };
    writeFileSync(path.join(tmp, 'leaky.json'), JSON.stringify(summarizeLeakRecords([{ ...file, file: 'b.test.ts' }, leaky], '2/2')));
    writeFileSync(path.join(tmp, 'bad.json'), '{"format":"x"}');
    const out: string[] = [];
    const err: string[] = [];
    const write = (list: string[]) => (t: string): void => {
      list.push(t);
    };

    expect(main([path.join(tmp, 'clean.json')], write(out), write(err))).toBe(ExitCode.Clean);
    expect(main(['-o', path.join(tmp, 'm.json'), path.join(tmp, 'clean.json'), path.join(tmp, 'leaky.json')], write(out), write(err))).toBe(ExitCode.Leaks);
    expect(JSON.parse(readFileSync(path.join(tmp, 'm.json'), 'utf8'))).toMatchObject({ shards: ['1/2', '2/2'], files: 2, testsChecked: 2, leaks: 1 });
    expect(out.join('')).toContain('leak-sanitizer: 2 test(s) checked, 1 leaked, 0 opt-out(s)');
    expect(err).toEqual([]);

    expect(main([path.join(tmp, 'bad.json')], write(out), write(err))).toBe(ExitCode.Error);
    expect(err[0]).toBe(
      `merge-jest-leak-reports: Expected ${path.join(tmp, 'bad.json')} to be a leak summary (format "bytebuf-leak-harness/jest-leak-summary", version 1), got format "x", version undefined\n`,
    );

    const help: string[] = [];
    expect(main(['--help'], write(help), write(err))).toBe(ExitCode.Clean);
    expect(help).toEqual(['Usage: npx bytebuf-leak-tests merge-jest [--output merged.json] <part.json>...\n']);
  });
});
