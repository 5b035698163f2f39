/**
 * Report files that cannot be written, through the real commands: the verdict is printed whole
 * first (matrix or summary, closing line), then one line for the write error; exit 2; no
 * truncated or temporary file is left behind.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { summarizeLeakRecords } from '../../harness/jest';
import { formatJsonReport } from '../../scripts/leak-tests/format-json';
import type { LeakTestsReport } from '../../scripts/leak-tests/report';
import { CHILD_TIMEOUT_MS, runScript, withoutProgress } from './cli';
import { outcome, reportOf, scenario } from './fake-engine';
import { fullDevice } from './full-device';

const tmp = mkdtempSync(path.join(tmpdir(), 'report-files-'));
/** A file, to stand where a directory should be (root ignores permissions, not this). */
const aFile = path.join(tmp, 'a-file');
writeFileSync(aFile, 'not a directory\n');
/** An existing directory where a report file should be. */
const aDir = path.join(tmp, 'reports', 'leak-tests.json');
mkdirSync(aDir, { recursive: true });

/** Names of temporary files the atomic writes left anywhere under `tmp`. */
const leftovers = (): string[] => readdirSync(tmp, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'));

const GOLDEN = 'test/scripts/fixtures/golden';
const EISDIR = 'EISDIR: illegal operation on a directory';

describe('leak-tests with a report file it cannot write', () => {
  it('--json naming a directory: the matrix and closing line, then the error line; exit 2', async () => {
    const r = await runScript('scripts/leak-tests.ts', ['--scenario', GOLDEN, '--json', aDir]);
    expect(r.stdout).toMatch(/^scenario /);
    expect(r.stdout.endsWith('\nleak-tests: 0 passed, 1 failed\n')).toBe(true);
    expect(withoutProgress(r.stderr)).toBe(`leak-tests: Cannot write the \`--json\` file \`${aDir}\`: ${EISDIR}\n`);
    expect(r.code).toBe(2);
    expect(leftovers()).toEqual([]);
  }, CHILD_TIMEOUT_MS);

  it('--junit under a regular file (no directory can be made there); exit 2 even when every run passed', async () => {
    const junit = path.join(aFile, 'junit.xml');
    const r = await runScript('scripts/leak-tests.ts', ['--scenario', 'test/scripts/fixtures/user-dir', '--junit', junit]);
    expect(r.stdout.endsWith('\nleak-tests: 5 passed, 0 failed\n')).toBe(true);
    expect(withoutProgress(r.stderr)).toBe(
      `leak-tests: Cannot write the \`--junit\` file \`${junit}\`: cannot create the directory \`${aFile}\`: EEXIST: file already exists\n`,
    );
    expect(r.code).toBe(2);
  }, CHILD_TIMEOUT_MS);

  it('--json on a full disk (a device like /dev/full); with --format json the JSON on stdout is whole and the error follows the closing line', async () => {
    const full = fullDevice(mkdtempSync(path.join(tmp, 'device-')));
    const r = await runScript('scripts/leak-tests.ts', ['--scenario', GOLDEN, '--format', 'json', '--json', full]);
    expect((JSON.parse(r.stdout) as LeakTestsReport).totals.failed).toBe(1);
    expect(withoutProgress(r.stderr)).toBe(`leak-tests: 0 passed, 1 failed\nleak-tests: Cannot write the \`--json\` file \`${full}\`: ENOSPC: no space left on device\n`);
    expect(r.code).toBe(2);
  }, CHILD_TIMEOUT_MS);
});

describe('the merges with an output file they cannot write', () => {
  it('merge-leak-reports --json naming a directory', async () => {
    const part = path.join(tmp, 'part.json');
    writeFileSync(part, formatJsonReport(reportOf([outcome(scenario('a-case', ['legacy']), 'legacy', 1, 1)])));
    const r = await runScript('scripts/merge-leak-reports.ts', [part, '--json', aDir]);
    expect(r.stdout.endsWith('\nleak-tests: 1 passed, 0 failed\n')).toBe(true);
    expect(r.stderr).toBe(`merge-leak-reports: Cannot write the \`--json\` file \`${aDir}\`: ${EISDIR}\n`);
    expect(r.code).toBe(2);
    expect(leftovers()).toEqual([]);
  }, CHILD_TIMEOUT_MS);

  it('merge-jest-leak-reports --output naming a directory', async () => {
    const part = path.join(tmp, 'jest-part.json');
    writeFileSync(part, JSON.stringify(summarizeLeakRecords([{ type: 'file', file: 'a.test.ts', testsChecked: 3 }])));
    const r = await runScript('scripts/merge-jest-leak-reports.ts', ['--output', aDir, part]);
    expect(r.stdout).toBe('Leak sanitizer: no leaks in 3 test(s) checked in 1 file(s).\nleak-sanitizer: 3 test(s) checked, 0 leaked, 0 opt-out(s)\n');
    expect(r.stderr).toBe(`merge-jest-leak-reports: Cannot write the \`--output\` file \`${aDir}\`: ${EISDIR}\n`);
    expect(r.code).toBe(2);
    expect(leftovers()).toEqual([]);
  }, CHILD_TIMEOUT_MS);
});
