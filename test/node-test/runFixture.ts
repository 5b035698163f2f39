/**
 * Runs a test runner on an adapter fixture in a child process, as a CI job would, and reads the
 * sanitizer's message out of what the runner printed, without the runner's own framing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** What a runner run left. */
export interface RunnerRun {
  code: number | null;
  /** stdout and stderr, in that order. */
  output: string;
}

/** The parent's environment without the sanitizer's settings (jest's leak reporter sets its records folder). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BYTEBUF_') && k !== 'JEST_WORKER_ID') env[k] = v;
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** Runs `node args...` in the repository root. */
export function runNode(args: readonly string[], env: Record<string, string> = {}): Promise<RunnerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: `${stdout}\n${stderr}` }));
  });
}

export const FIRST_LINE = 'Leak sanitizer: this test failed the leak check.';
const LAST_LINE_START = 'If this is intended:';

/**
 * The sanitizer messages in a runner's output, in order, normalised: the runner's prefix on the
 * first line and its indentation of the others removed, the zero-width marks before quoted `at`s
 * dropped, blank lines dropped, and the quoted frames of the runner's own fixture file left out
 * (the test body that called the planted code is a different file under each runner).
 */
export function sanitizerMessages(output: string, fixtureFile: string): string[] {
  const lines = output.split('\n');
  const messages: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i]!.indexOf(FIRST_LINE);
    if (at < 0) continue;
    const indent = /^\s*$/.test(lines[i]!.slice(0, at)) ? at : 0;
    const body: string[] = [FIRST_LINE];
    for (i++; i < lines.length; i++) {
      const line = lines[i]!.slice(0, indent).trim() === '' ? lines[i]!.slice(indent) : lines[i]!;
      const text = line.replace(/\u200b/g, '').trimEnd();
      if (text === '' || text.includes(`(${fixtureFile}:`)) continue;
      body.push(text);
      if (text.startsWith(LAST_LINE_START)) break;
    }
    messages.push(body.join('\n'));
  }
  return messages;
}

/** `file:line:column` of the planted leak's allocation in the shared fixture code. */
export function plantedSite(): string {
  const file = 'test/vitest/fixtures/planted.ts';
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('Unpooled.buffer(16)'));
  return `${file}:${line + 1}:${lines[line]!.indexOf('buffer(16)') + 1}`;
}

/** How each runner is started on its copy of the shared fixture. */
export const RUNNERS = {
  'node:test': ['--import', 'tsx', '--test', 'test/node-test/fixtures/planted.fixture.ts'],
  mocha: ['node_modules/mocha/bin/mocha.js', '--no-colors', '--require', 'tsx/cjs', '--require', './harness/mocha/index.ts', 'test/mocha/fixtures/planted.spec.ts'],
  vitest: ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/vitest/fixtures/vitest.config.mjs'],
} as const;

/** Each runner's fixture file (its frames are left out of the compared messages). */
export const FIXTURE_FILES: Record<keyof typeof RUNNERS, string> = {
  'node:test': 'test/node-test/fixtures/planted.fixture.ts',
  mocha: 'test/mocha/fixtures/planted.spec.ts',
  vitest: 'test/vitest/fixtures/planted.fixture.ts',
};
