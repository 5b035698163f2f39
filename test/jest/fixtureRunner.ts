/**
 * Runs the fixture suites (test/jest/fixtures/*.fixture.ts) in a child jest process with their
 * own config, and collects what a CI job would see: exit code, the output, jest's JSON results and
 * the leak reporter's JSON summary.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLeakSummary, type LeakRunSummary } from '../../harness/jest';

export const ROOT = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(__dirname, 'fixtures');
const JEST_BIN = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const CONFIG = path.join(FIXTURES, 'jest.config.cjs');

/** One assertion result from jest's `--json` output. */
export interface JestAssertion {
  fullName: string;
  status: 'passed' | 'failed' | 'pending' | 'todo';
  failureMessages: string[];
}

/** jest's `--json` output (the parts the tests read). */
export interface JestJson {
  numFailedTests: number;
  numPassedTests: number;
  numTotalTests: number;
  /** `message` is the file's whole failure text, file-level errors under `● Test suite failed to run`. */
  testResults: { name: string; message: string; assertionResults: JestAssertion[] }[];
}

/** What a fixture run left. */
export interface FixtureRun {
  code: number | null;
  stdout: string;
  stderr: string;
  results: JestJson;
  /** The per-test results by full name. */
  byName: Map<string, JestAssertion>;
}

/** The environment for a child jest: the parent's, without the sanitizer's settings or jest's worker id. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('BYTEBUF_') && k !== 'JEST_WORKER_ID' && k !== 'LEAK_FIXTURE_OUTPUT') env[k] = v;
  }
  return { ...env, FORCE_COLOR: '0', ...extra };
}

/**
 * Runs jest on the fixtures with `args`; `resultsFile` receives jest's JSON results.
 * `env` adds variables (e.g. `LEAK_FIXTURE_OUTPUT`, `BYTEBUF_JEST_SANITIZER`).
 */
export function runFixtures(args: string[], resultsFile: string, env: Record<string, string> = {}): Promise<FixtureRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JEST_BIN, '-c', CONFIG, '--json', `--outputFile=${resultsFile}`, ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (!existsSync(resultsFile)) {
        reject(new Error(`jest wrote no results (exit ${String(code)}):\n${stderr}`));
        return;
      }
      const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as JestJson;
      const byName = new Map<string, JestAssertion>();
      for (const file of results.testResults) for (const a of file.assertionResults) byName.set(a.fullName, a);
      resolve({ code, stdout, stderr, results, byName });
    });
  });
}

/**
 * Runs one fixture file that the fixtures' config leaves out of the shared runs (it matches it
 * explicitly), in band, with its JSON results in a temporary directory removed afterwards.
 */
export async function runOwnFixture(fixture: string): Promise<FixtureRun> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jest-own-fixture-'));
  try {
    return await runFixtures(
      ['--runInBand', '--testPathIgnorePatterns', '/node_modules/', '--', path.join('test/jest/fixtures', fixture)],
      path.join(tmp, 'results.json'),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The file-level error text of one fixture file in a run ('' when the file had none). */
export function fileError(run: FixtureRun, fixture: string): string {
  const file = run.results.testResults.find((r) => r.name === path.join(FIXTURES, fixture));
  if (file === undefined) throw new Error(`${fixture} did not run`);
  const marker = '● Test suite failed to run';
  const at = file.message.indexOf(marker);
  return at < 0 ? '' : file.message.slice(at + marker.length);
}

/** The failure text of one test, as jest's JSON results give it. */
export function failureOf(run: FixtureRun, fullName: string): string {
  const a = run.byName.get(fullName);
  if (a === undefined) throw new Error(`no test named '${fullName}' ran; ran: ${[...run.byName.keys()].join(' | ')}`);
  return a.failureMessages.join('\n');
}

/** The status of one test. */
export function statusOf(run: FixtureRun, fullName: string): string | undefined {
  return run.byName.get(fullName)?.status;
}

/** Reads a leak summary JSON file. */
export function readSummary(file: string): LeakRunSummary {
  return parseLeakSummary(readFileSync(file, 'utf8'), file);
}

/** The 1-based line of the fixture line holding `marker` (a `// MARKER` comment), and the column of `token` in it. */
export function siteOf(fixture: string, marker: string, token: string): { line: number; column: number } {
  const lines = readFileSync(path.join(FIXTURES, fixture), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(`// ${marker}`));
  if (index < 0) throw new Error(`marker ${marker} not found in ${fixture}`);
  const column = lines[index]!.indexOf(token);
  if (column < 0) throw new Error(`token ${token} not found on the ${marker} line of ${fixture}`);
  return { line: index + 1, column: column + 1 };
}
