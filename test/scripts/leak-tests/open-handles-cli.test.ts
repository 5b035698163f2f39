/**
 * The open-handle check through the CLI, in child processes under tsx (why-is-node-running, the
 * second opinion, loads only there). The real engine runs no user code, so the replays that leave
 * a timer chain, an immediate loop, a server or `new Function` code behind go through `main` over
 * the fake engine of test/scripts/fixtures/handles/cli.ts; a timer that ran goes through the real
 * CLI and engine.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LeakTestsReport } from '../../../scripts/leak-tests/report';
import { handleMismatch, REPLAYS_FILE, siteLine } from '../fixtures/handles/replays';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Child processes on a loaded 2-core machine: generous. */
const CHILD_TIMEOUT_MS = 60_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` under tsx from the project root, outside CI's environment (no annotations). */
function tsx(script: string, args: readonly string[]): Promise<Exit> {
  return new Promise((resolve) => {
    const env = { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };
    execFile(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [script, ...args], { cwd: ROOT, env, timeout: CHILD_TIMEOUT_MS }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

/** stderr without the plain progress lines a slow machine may print. */
const withoutProgress = (stderr: string): string => stderr.replace(/^leak-tests: \d+\/\d+ runs done, \d+ failed so far \(.*\)\n/gm, '');

/** The mismatches listed (`  - ...`) under the `FAIL <scenario> [fixed]` header of `stdout`. */
function mismatchesOf(stdout: string, scenario: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`FAIL ${scenario} [fixed] at `));
  if (start < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith('  - ')) break;
    out.push(l.slice('  - '.length));
  }
  return out;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'leak-tests-handles-'));
const files = { json: path.join(tmp, 'new-function.json'), junit: path.join(tmp, 'new-function.xml') };
const handlesCli = (args: readonly string[]) => tsx('test/scripts/fixtures/handles/cli.ts', args);
// Started at once, in parallel: each child costs seconds on a loaded machine.
const newFunction = handlesCli(['--filter', 'new-function-timer', '--json', files.json, '--junit', files.junit]);
const chains = handlesCli(['--filter', 'timeout-chain', '--filter', 'immediate-loop', '--filter', 'server-on-host']);
const ran = handlesCli(['--filter', 'handles-that-ran']);
const realRan = tsx('scripts/leak-tests.ts', ['--scenario', 'test/scripts/fixtures/ran-timer']);

describe('the open-handle check through the CLI', () => {
  it(
    'a timer made by `new Function` code (why-is-node-running throws on it): the tracker reports it, and the matrix, JSON and JUnit are written',
    async () => {
      const r = await newFunction;
      expect(withoutProgress(r.stderr)).toBe('');
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^new-function-timer +baseline +0\/0 FAIL$/m);
      const mismatches = mismatchesOf(r.stdout, 'new-function-timer');
      expect(mismatches).toHaveLength(1);
      expect(mismatches[0]).toMatch(handleMismatch('Timeout', 'new-function-timer'));
      expect(r.stdout.endsWith('\nleak-tests: 0 passed, 1 failed\n')).toBe(true);

      const report = JSON.parse(readFileSync(files.json, 'utf8')) as LeakTestsReport;
      expect(report.totals).toEqual({ runs: 1, passed: 0, failed: 1, openHandles: 1, malformedFiles: 0 });
      const [handle] = report.results[0]!.openHandles;
      expect([handle!.type, handle!.createdAt[0]!.file, handle!.createdAt[0]!.line]).toEqual(['Timeout', REPLAYS_FILE, siteLine('new-function-timer')]);
      expect(handle!.seenBy).not.toContain('why-is-node-running');
      const xml = readFileSync(files.junit, 'utf8');
      expect(xml).toMatch(/<testsuites name="leak-tests" tests="1" failures="1" errors="0" /);
      expect(xml).toContain(`<failure message="${mismatches[0]!}" type="LeakTestFailure">`);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'a setTimeout chain, a setImmediate loop and a server listening on a host are each one open handle at its site, exit 1',
    async () => {
      const r = await chains;
      expect(withoutProgress(r.stderr)).toBe('');
      expect(r.code).toBe(1);
      const mismatches = ['timeout-chain', 'immediate-loop', 'server-on-host'].map((s) => mismatchesOf(r.stdout, s));
      expect(mismatches.map((m) => m.length)).toEqual([1, 1, 1]);
      expect(mismatches[0]![0]).toMatch(handleMismatch('Timeout', 'timeout-chain'));
      expect(mismatches[1]![0]).toMatch(handleMismatch('Immediate', 'immediate-loop'));
      expect(mismatches[2]![0]).toMatch(handleMismatch('TCPSERVERWRAP', 'server-on-host'));
      expect(r.stdout).not.toMatch(/DNSCHANNEL|GETADDRINFOREQWRAP/);
      expect(r.stdout.endsWith('\nleak-tests: 0 passed, 3 failed\n')).toBe(true);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'timers and immediates that ran, during or after the replay, are not reported: exit 0',
    async () => {
      const r = await ran;
      expect(withoutProgress(r.stderr)).toBe('');
      expect(r.stdout).not.toContain('open handle');
      expect(r.stdout.endsWith('\nleak-tests: 1 passed, 0 failed\n')).toBe(true);
      expect(r.code).toBe(0);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'the real CLI: a check-out whose timeout fires after the replay leaves no open handle, exit 0',
    async () => {
      const r = await realRan;
      expect(withoutProgress(r.stderr)).toBe('');
      expect(r.stdout).toMatch(/^check-out-times-out +baseline +0\/0 ok$/m);
      expect(r.stdout.endsWith('\nleak-tests: 1 passed, 0 failed\n')).toBe(true);
      expect(r.code).toBe(0);
    },
    CHILD_TIMEOUT_MS,
  );
});
