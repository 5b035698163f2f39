import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ReportMergeError, UsageError } from '../../../scripts/leak-tests/errors';
import { ExitCode } from '../../../scripts/leak-tests/exit-code';
import { formatJsonReport, parseJsonReport } from '../../../scripts/leak-tests/format-json';
import { mergeMain, mergeReports, parseMergeArgs, type ReportPart } from '../../../scripts/leak-tests/merge';
import type { LeakTestsReport } from '../../../scripts/leak-tests/report';
import { outcome, reportOf, scenario } from '../fake-engine';

const a = scenario('a-case');
const b = scenario('b-case', ['legacy']);
const outcomes = [outcome(a, 'fixed', 0, 0), outcome(a, 'legacy', 2, 2), outcome(a, 'regression', 0, 1), outcome(b, 'legacy', 1, 1)];
const whole = reportOf(outcomes);

/** Shard `index` of `count` of `whole`, as `leak-tests --shard` would report it. */
function shardOf(index: number, count: number): LeakTestsReport {
  const results = whole.results.filter((r) => r.index % count === index - 1);
  const passed = results.filter((r) => r.passed).length;
  return {
    ...whole,
    shards: [{ index, count }],
    results,
    totals: { runs: results.length, passed, failed: results.length - passed, openHandles: 0, malformedFiles: 0 },
    durationMs: 10 * index,
  };
}

const part = (report: LeakTestsReport, source: string): ReportPart => ({ source, report });

function mergeError(parts: ReportPart[]): string {
  try {
    mergeReports(parts);
  } catch (error) {
    expect(error).toBeInstanceOf(ReportMergeError);
    return (error as Error).message;
  }
  throw new Error('mergeReports did not throw');
}

describe('mergeReports', () => {
  it('sums the totals and concatenates the results in plan order, equal to the unsharded report', () => {
    const merged = mergeReports([part(shardOf(2, 2), 'p2.json'), part(shardOf(1, 2), 'p1.json')]);
    expect(merged.totals).toEqual(whole.totals);
    expect(merged.totals).toEqual({ runs: 4, passed: 3, failed: 1, openHandles: 0, malformedFiles: 0 });
    expect(merged.results).toEqual(whole.results);
    expect(merged.shards).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    expect(merged.durationMs).toBe(20);
  });

  it('keeps one copy of the malformed-file errors every shard reports', () => {
    const error = { file: 'bad.json', jsonPath: '$', message: 'bad JSON' };
    const p1 = { ...shardOf(1, 2), loadErrors: [error] };
    const p2 = { ...shardOf(2, 2), loadErrors: [error] };
    const merged = mergeReports([part(p1, 'p1.json'), part(p2, 'p2.json')]);
    expect(merged.loadErrors).toEqual([error]);
    expect(merged.totals.malformedFiles).toBe(1);
  });

  it('refuses a missing shard, a shard given twice, parts of different plans, and unsharded parts', () => {
    expect(mergeError([])).toBe('Expected at least one report file');
    expect(mergeError([part(shardOf(1, 3), 'p1.json'), part(shardOf(3, 3), 'p3.json')])).toBe(
      "Missing shard(s) 2/3: every shard's report is needed",
    );
    expect(mergeError([part(shardOf(1, 2), 'p1.json'), part(shardOf(1, 2), 'again.json')])).toBe('Shard 1/2 appears twice: in p1.json and again.json');
    expect(mergeError([part(shardOf(1, 2), 'p1.json'), part(shardOf(2, 3), 'p2.json')])).toBe('p2.json: shard 2/3 does not fit shards of 2');
    expect(mergeError([part(shardOf(1, 2), 'p1.json'), part({ ...shardOf(2, 2), level: 'simple' }, 'p2.json')])).toBe(
      "p2.json: its plan (level simple, 4 runs of 2 scenarios) differs from p1.json's (level paranoid, 4 runs of 2 scenarios): merge parts of the same run only",
    );
    expect(mergeError([part(whole, 'all.json'), part(shardOf(2, 2), 'p2.json')])).toBe('all.json: an unsharded report cannot be merged with others');
  });

  it('one part merges to itself', () => {
    expect(mergeReports([part(whole, 'all.json')])).toBe(whole);
  });
});

describe('parseJsonReport', () => {
  it('reads back what formatJsonReport wrote', () => {
    expect(parseJsonReport(formatJsonReport(whole), 'r.json')).toEqual(whole);
  });

  it.each([
    ['{', /^r\.json: not JSON \(/],
    ['[]', /^r\.json: not a leak-tests report \(expected "format": "leak-tests-report"\)$/],
    ['{"format":"leak-tests-report","version":9}', /^r\.json: expected report version 1, got 9$/],
    ['{"format":"leak-tests-report","version":1,"results":{}}', /^r\.json: expected "results" to be an array$/],
  ])('rejects %s', (text, message) => {
    expect(() => parseJsonReport(text, 'r.json')).toThrow(message);
  });
});

describe('parseMergeArgs', () => {
  it('reads files and options', () => {
    expect(parseMergeArgs(['--format', 'json', 'a.json', '--json', 'm.json', 'b.json', '--junit', 'j.xml', '--verbose'])).toEqual({
      command: 'merge',
      options: { files: ['a.json', 'b.json'], format: 'json', jsonFile: 'm.json', junitFile: 'j.xml', verbose: true },
    });
    expect(parseMergeArgs(['-h'])).toEqual({ command: 'help' });
  });

  it.each([
    [[], 'Expected at least one report file (the --json output of each shard)'],
    [['--format', 'xml', 'a.json'], 'Expected `--format` to be one of text, json, got `xml`'],
    [['a.json', '--json'], 'Expected `--json` to be followed by a value, got nothing'],
    [['--shard', '1/2'], 'Unknown option `--shard` (run with --help for the options)'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseMergeArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('mergeMain', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'merge-leak-reports-'));
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, env: {} } };
  };

  it('prints the merged text report and exits 1 when a merged run failed', () => {
    writeFileSync(path.join(dir, 'p1.json'), formatJsonReport(shardOf(1, 2)));
    writeFileSync(path.join(dir, 'p2.json'), formatJsonReport(shardOf(2, 2)));
    const { out, io: cli } = io();
    const code = mergeMain([path.join(dir, 'p1.json'), path.join(dir, 'p2.json'), '--json', path.join(dir, 'm.json')], cli);
    expect(code).toBe(ExitCode.Failed);
    expect(out.stdout.endsWith('\nleak-tests: 3 passed, 1 failed\n')).toBe(true);
    expect(out.stdout).toContain('a-case    bug   0/0 ok  2/2 ok  0/1 FAIL');
    expect(parseJsonReport(readFileSync(path.join(dir, 'm.json'), 'utf8'), 'm.json').totals).toEqual(whole.totals);
  });

  it('exits 2 with one line for unreadable or unmergeable parts', () => {
    const { out, io: cli } = io();
    expect(mergeMain([path.join(dir, 'missing.json')], cli)).toBe(ExitCode.Usage);
    expect(out.stderr).toBe(`merge-leak-reports: ${path.join(dir, 'missing.json')}: cannot read it (ENOENT)\n`);
    const second = io();
    expect(mergeMain([path.join(dir, 'p1.json')], second.io)).toBe(ExitCode.Usage);
    expect(second.out.stderr).toBe(`merge-leak-reports: Missing shard(s) 2/2: every shard's report is needed\n`);
    const third = io();
    writeFileSync(path.join(dir, 'p1-again.json'), formatJsonReport(shardOf(1, 2)));
    expect(mergeMain([path.join(dir, 'p1.json'), path.join(dir, 'p1-again.json')], third.io)).toBe(ExitCode.Usage);
    expect(third.out.stderr).toBe(`merge-leak-reports: Shard 1/2 appears twice: in ${path.join(dir, 'p1.json')} and ${path.join(dir, 'p1-again.json')}\n`);
  });
});
