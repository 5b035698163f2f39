/**
 * End-to-end tests of `npm run leak-tests` (= `tsx scripts/leak-tests.ts`): the real engine, the
 * built-in and fixture scenario files, child processes, exit codes, stdout and files.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LeakTestsReport } from '../../scripts/leak-tests/report';
import { wildcardMismatch } from './wildcard';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// Each test starts tsx processes, several at once: on a loaded 2-core CI runner one can take tens of
// seconds. A child is killed before the test's own timeout, so a hang reads as a signal, not a timeout.
const CHILD_KILL_MS = 80_000;
const CLI_TEST_TIMEOUT_MS = 100_000;

/** Runs a script under tsx from the project root; kills it after `killAfterMs`. */
function tsx(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, killAfterMs = CHILD_KILL_MS): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // Outside CI's own environment: a GitHub runner must not make the child print annotations.
    const child = spawn(TSX, [script, ...args], { cwd: ROOT, env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** stderr without the plain progress lines a slow (loaded) machine may print after a few seconds. */
const withoutProgress = (stderr: string): string => stderr.replace(/^leak-tests: \d+\/\d+ runs done, \d+ failed so far \(.*\)\n/gm, '');

const leakTests = (args: readonly string[], env?: NodeJS.ProcessEnv, killAfterMs?: number) => tsx('scripts/leak-tests.ts', args, env, killAfterMs);

const tmp = mkdtempSync(path.join(tmpdir(), 'leak-tests-e2e-'));

/** Minimal XML reading: the elements named `tag` with their attributes. */
function elements(xml: string, tag: string): Record<string, string>[] {
  const re = new RegExp(`<${tag}((?:\\s+[\\w-]+="[^"]*")*)\\s*/?>`, 'g');
  return [...xml.matchAll(re)].map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}

// The open-timer case leaves a check-out with a 60 s timeout pending ("wait": false): the runner must
// report the channel's timer and exit on its own before the timer would fire. It is killed at 50 s, so a
// runner that waited for the timer ends with a signal (no wall-clock assertion needed).
const TIMER_KILL_MS = 50_000;
const timerRun = leakTests(['--scenario', 'test/scripts/fixtures/timer'], {}, TIMER_KILL_MS);

describe('npm run leak-tests', () => {
  it('the built-in scenarios pass the gate: legacy leaks and the regression leak are seen where expected', async () => {
    const r = await leakTests([]);
    expect(withoutProgress(r.stderr)).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^leak-tests: \d+ passed, 0 failed$/);
    expect(lines[0]).toMatch(/^scenario +kind +fixed +legacy +regression$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))!.split(/\s{2,}/);
    expect(row('write-bytebuffer-to-closed-channel')).toEqual(['write-bytebuffer-to-closed-channel', 'bug', '0/0 ok', '0/0 ok', '1/1 ok']);
    expect(row('write-bytebuffer-then-close')).toEqual(['write-bytebuffer-then-close', 'bug', '0/0 ok', '2/2 ok', '0/0 ok']);
    expect(row('write-bytebuffer-normal-flow')).toEqual(['write-bytebuffer-normal-flow', 'bug', '0/0 ok', '1/1 ok', '0/0 ok']);
    expect(row('multiple-bytebuffer-writes')).toEqual(['multiple-bytebuffer-writes', 'bug', '0/0 ok', '3/3 ok', '0/0 ok']);
    expect(row('bytebuffer-vs-bytebuf')).toEqual(['bytebuffer-vs-bytebuf', 'bug', '0/0 ok', '1/1 ok', '0/0 ok']);
    expect(row('write-bytebuf-to-closed-channel')).toEqual(['write-bytebuf-to-closed-channel', 'baseline', '0/0 ok', '0+1R/0+1R ok', '0/0 ok']);
  }, CLI_TEST_TIMEOUT_MS);

  describe('golden outputs (test/scripts/golden/<case>/: args and exit code in case.json, stdout.txt with [WILDCARD]s)', () => {
    const cases = readdirSync(path.join(__dirname, 'golden')).sort();
    it('there are golden cases', () => expect(cases).toEqual(['malformed-files', 'unexpected-legacy-leak', 'user-scenario-dir']));
    it.each(cases)('%s', async (name) => {
      const dir = path.join(__dirname, 'golden', name);
      const spec = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as { args: string[]; exitCode: number };
      const r = await leakTests(spec.args);
      expect(wildcardMismatch(r.stdout, readFileSync(path.join(dir, 'stdout.txt'), 'utf8'))).toBeNull();
      expect(withoutProgress(r.stderr)).toBe('');
      expect(r.code).toBe(spec.exitCode);
    }, CLI_TEST_TIMEOUT_MS);
  });

  it('--scenario with --with-builtin replays the user files and the built-in ones', async () => {
    const [builtin, both] = await Promise.all([
      leakTests(['--format', 'json']),
      leakTests(['--format', 'json', '--scenario', 'test/scripts/fixtures/user-dir', '--with-builtin']),
    ]);
    const b = JSON.parse(builtin.stdout) as LeakTestsReport;
    const w = JSON.parse(both.stdout) as LeakTestsReport;
    expect(w.rows.map((r) => r.scenario).sort()).toEqual(
      [...b.rows.map((r) => r.scenario), 'user-direct-bytebuffer-legacy-leak', 'user-heap-bytebuf-round-trip'].sort(),
    );
    expect(w.totals.runs).toBe(b.totals.runs + 5);
    expect(both.code).toBe(0);
  }, CLI_TEST_TIMEOUT_MS);

  it('writes a JSON report and a JUnit file that parse and agree with the run', async () => {
    const json = path.join(tmp, 'report.json');
    const junit = path.join(tmp, 'junit', 'leak-tests.xml');
    const r = await leakTests(['--scenario', 'test/scripts/fixtures/user-dir', '--scenario', 'test/scripts/fixtures/golden', '--json', json, '--junit', junit]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as LeakTestsReport;
    expect(report.format).toBe('leak-tests-report');
    expect(report.totals).toEqual({ runs: 6, passed: 5, failed: 1, openHandles: 0, malformedFiles: 0 });
    const failed = report.results.filter((x) => !x.passed);
    expect(failed.map((x) => [x.scenario, x.version, x.expected.leaks, x.observed.leaks])).toEqual([
      ['write-bytebuffer-then-close-expecting-no-leak', 'legacy', 0, 2],
    ]);
    expect(failed[0]!.location).toEqual({ file: 'test/scripts/fixtures/golden/expects-no-legacy-leak.json', line: 12 });
    expect(failed[0]!.report.groups[0]!.count).toBe(2);

    const xml = readFileSync(junit, 'utf8');
    expect(elements(xml, 'testsuites')).toEqual([{ name: 'leak-tests', tests: '6', failures: '1', errors: '0', time: expect.stringMatching(/^\d+\.\d{3}$/) }]);
    expect(elements(xml, 'testsuite')).toHaveLength(3);
    const testcases = elements(xml, 'testcase');
    expect(testcases).toHaveLength(6);
    expect(testcases.map((t) => t['name'])).toContain('user-heap-bytebuf-round-trip [regression]');
    const failures = elements(xml, 'failure');
    expect(failures).toEqual([{ message: 'leaks: expected 0, observed 2 (300 byte(s))', type: 'LeakTestFailure' }]);
    expect(xml).toContain('Leak 1: wrapper of a direct ByteBuffer x2 (300 bytes) created at LegacyByteBufferAsyncWritableChannel.write (channel/');
  }, CLI_TEST_TIMEOUT_MS);

  it('on GitHub Actions annotates the failing step and writes the step summary', async () => {
    const summary = path.join(tmp, 'step-summary.md');
    const r = await leakTests(['--scenario', 'test/scripts/fixtures/golden'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::'))).toEqual([
      '::error file=test/scripts/fixtures/golden/expects-no-legacy-leak.json,line=12,title=leak-tests%3A write-bytebuffer-then-close-expecting-no-leak [legacy]::' +
        "leaks: expected 0, observed 2 (300 byte(s))%0A2 leak(s), 300 byte(s) in scope 'write-bytebuffer-then-close-expecting-no-leak (legacy)'",
    ]);
    expect(readFileSync(summary, 'utf8')).toContain('## leak-tests: 0 passed, 1 failed\n');
  }, CLI_TEST_TIMEOUT_MS);

  it('--shard 1/2 and 2/2 merged by scripts/merge-leak-reports.ts equal the unsharded run', async () => {
    const [all, one, two] = await Promise.all([
      leakTests(['--json', path.join(tmp, 'all.json')]),
      leakTests(['--shard', '1/2', '--json', path.join(tmp, 'part-1.json')]),
      leakTests(['--shard', '2/2', '--json', path.join(tmp, 'part-2.json')]),
    ]);
    expect([all.code, one.code, two.code]).toEqual([0, 0, 0]);
    const merged = await tsx('scripts/merge-leak-reports.ts', [path.join(tmp, 'part-2.json'), path.join(tmp, 'part-1.json'), '--json', path.join(tmp, 'merged.json')]);
    expect(withoutProgress(merged.stderr)).toBe('');
    expect(merged.code).toBe(0);
    const whole = JSON.parse(readFileSync(path.join(tmp, 'all.json'), 'utf8')) as LeakTestsReport;
    const m = JSON.parse(readFileSync(path.join(tmp, 'merged.json'), 'utf8')) as LeakTestsReport;
    const p1 = JSON.parse(readFileSync(path.join(tmp, 'part-1.json'), 'utf8')) as LeakTestsReport;
    const p2 = JSON.parse(readFileSync(path.join(tmp, 'part-2.json'), 'utf8')) as LeakTestsReport;
    expect(p1.totals.runs + p2.totals.runs).toBe(whole.totals.runs);
    expect(Math.abs(p1.totals.runs - p2.totals.runs)).toBeLessThanOrEqual(1);
    expect(m.totals).toEqual(whole.totals);
    const key = (r: LeakTestsReport) => r.results.map((x) => `${x.index} ${x.scenario} ${x.version} ${x.passed} ${x.observed.leaks}`);
    expect(key(m)).toEqual(key(whole));
    expect(merged.stdout.endsWith(`\nleak-tests: ${whole.totals.passed} passed, 0 failed\n`)).toBe(true);
  }, CLI_TEST_TIMEOUT_MS);

  it('a usage error is one line on stderr, exit 2, no stack', async () => {
    const r = await leakTests(['--level', 'x']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'leak-tests: Expected `--level` to be one of disabled, simple, advanced, paranoid, got `x`\n' });
  }, CLI_TEST_TIMEOUT_MS);

  it('a scenario that leaves a timer open fails with the open-handle report, and the process still exits', async () => {
    const r = await timerRun;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(withoutProgress(r.stderr)).toBe('');
    const out = r.stdout;
    expect(out).toContain('check-out-left-waiting  baseline  0/0 FAIL');
    expect(out).toMatch(/\n {2}- left a Timeout handle open, created at .*\(channel\/[\w/]+\.ts:\d+:\d+\)\n/);
    expect(out).toMatch(/\n {2}Open handles:\n {4}Timeout created\n(?: {8}at .*\n)*? {8}at getNextChunk \(scenarios\/engine\/[\w/]+\.ts:\d+:\d+\)\n/);
    expect(out).toContain('      also seen open by process.getActiveResourcesInfo() and why-is-node-running\n');
    expect(out).not.toMatch(/node_modules|node:internal|scripts\/leak-tests/);
    expect(out.endsWith('\nleak-tests: 0 passed, 1 failed\n')).toBe(true);
  }, CLI_TEST_TIMEOUT_MS);
});
