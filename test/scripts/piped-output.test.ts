/**
 * Every command's output arrives whole through a pipe: more than a pipe's buffer holds (64 KiB),
 * read by another process, as in `npm run leak-tests -- --format json | jq` or a CI log. A
 * command that exits right after writing loses what was still waiting to go out.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LeakRecord } from '../../harness/jest';
import { summarizeLeakRecords } from '../../harness/jest';
import { formatJsonReport } from '../../scripts/leak-tests/format-json';
import type { LeakTestsReport } from '../../scripts/leak-tests/report';
import { CHILD_TIMEOUT_MS, runScript, scenarioCopies, withoutProgress } from './cli';
import { outcome, reportOf, scenario } from './fake-engine';

const tmp = mkdtempSync(path.join(tmpdir(), 'piped-output-'));
const MIN_BYTES = 200_000;

// 150 copies of a scenario whose legacy run leaks 2 buffers against an expected 0: every run
// fails and prints its leak report, about 280 KB of text.
const failing = scenarioCopies('test/scripts/fixtures/golden/expects-no-legacy-leak.json', 150, path.join(tmp, 'failing'));

describe('piped output is never cut', () => {
  it('leak-tests: a failing text run prints every report and the closing line', async () => {
    const r = await runScript('scripts/leak-tests.ts', ['--scenario', failing], { slowReader: true });
    expect(withoutProgress(r.stderr)).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(MIN_BYTES);
    expect(r.stdout.match(/^FAIL write-bytebuffer-then-close-expecting-no-leak-\d+ \[legacy\]/gm)).toHaveLength(150);
    expect(r.stdout.endsWith('\nleak-tests: 0 passed, 150 failed\n')).toBe(true);
  }, CHILD_TIMEOUT_MS);

  it('leak-tests --format json: stdout is one whole JSON document', async () => {
    const r = await runScript('scripts/leak-tests.ts', ['--scenario', failing, '--format', 'json'], { slowReader: true });
    expect(withoutProgress(r.stderr)).toBe('leak-tests: 0 passed, 150 failed\n');
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(MIN_BYTES);
    const report = JSON.parse(r.stdout) as LeakTestsReport;
    expect(report.results).toHaveLength(150);
  }, CHILD_TIMEOUT_MS);

  it('merge-leak-reports: the merged report of many parts', async () => {
    const outcomes = Array.from({ length: 240 }, (_, i) => outcome(scenario(`case-${i}`, ['legacy']), 'legacy', 0, 3));
    const whole = reportOf(outcomes);
    const parts = Array.from({ length: 8 }, (_, k): string => {
      const results = whole.results.filter((x) => x.index % 8 === k);
      const file = path.join(tmp, `part-${k + 1}.json`);
      writeFileSync(file, formatJsonReport({ ...whole, shards: [{ index: k + 1, count: 8 }], results }));
      return file;
    });
    const text = await runScript('scripts/merge-leak-reports.ts', parts, { slowReader: true });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(1);
    expect(text.stdout.length).toBeGreaterThan(MIN_BYTES);
    expect(text.stdout.match(/^FAIL case-\d+ \[legacy\]/gm)).toHaveLength(240);
    expect(text.stdout.endsWith('\nleak-tests: 0 passed, 240 failed\n')).toBe(true);
    const json = await runScript('scripts/merge-leak-reports.ts', ['--format', 'json', ...parts], { slowReader: true });
    expect(json.stderr).toBe('leak-tests: 0 passed, 240 failed\n');
    expect((JSON.parse(json.stdout) as LeakTestsReport).results).toHaveLength(240);
  }, CHILD_TIMEOUT_MS);

  it('merge-jest-leak-reports: the merged summary of many parts', async () => {
    // Opt-outs are all listed (leaking tests and sites are capped): 40 parts of 40 each.
    const parts = Array.from({ length: 40 }, (_, k): string => {
      const records: LeakRecord[] = [{ type: 'file', file: `suite-${k}.test.ts`, testsChecked: 40 }];
      for (let t = 0; t < 40; t++) {
        records.push({
          type: 'test', file: `suite-${k}.test.ts`, test: `test ${t}`, when: 'test', leaked: false, leaks: 0, bytes: 0, misuses: 0, timers: 0, sites: [],
          optOuts: [{ reason: `reason ${t} of part ${k}: ${'a long explanation of why this test may leak '.repeat(2)}`, checks: ['leaks'], where: `test ${t}` }],
          suppressed: { leaks: 1, misuses: 0, timers: 0 },
        });
      }
      const file = path.join(tmp, `jest-part-${k + 1}.json`);
      writeFileSync(file, JSON.stringify(summarizeLeakRecords(records, `${k + 1}/40`)));
      return file;
    });
    const r = await runScript('scripts/merge-jest-leak-reports.ts', parts, { slowReader: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(MIN_BYTES);
    expect(r.stdout.match(/^ {2}suite-\d+\.test\.ts \(test \d+, 1 test\(s\)\), leaks: "reason/gm)).toHaveLength(1600);
    expect(r.stdout.endsWith('\nleak-sanitizer: 1600 test(s) checked, 0 leaked, 1600 opt-out(s)\n')).toBe(true);
  }, CHILD_TIMEOUT_MS);
});
