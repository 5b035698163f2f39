/**
 * What an app's run must show, read from its `expect.json`, and the check of a run against it.
 *
 * ```json
 * { "exitCode": 1, "sanitizer": true, "site": "src/frames.ts:15",
 *   "includes": ["Tests:       1 failed, 1 passed, 2 total"] }
 * ```
 * - `exitCode`: what `npm test` exits with (1 where the leaking test fails the run).
 * - `sanitizer`: the app runs under a test runner with the leak sanitizer, so its output must hold
 *   the sanitizer's message (`SANITIZER_LINES`), the same under every runner; false for apps that
 *   call the harness API themselves.
 * - `site`: `file:line` of the app's code that made the leaked buffer; the report must say
 *   `created at <fn> (<site>:<column>)`.
 * - `includes`: further texts the output must contain (the runner's verdict on each test).
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConsumerExpectationError } from './errors';

/** An app's expectations. */
export interface AppExpectations {
  exitCode: number;
  sanitizer: boolean;
  site: string;
  includes: string[];
}

/**
 * Lines of the sanitizer's failure message every sanitizer app must show, whatever its runner:
 * the first line, and the overview line of the leaked buffer (every app leaks one 16-byte heap
 * buffer). Runners indent the message, so each is looked for as a trimmed line.
 */
export const SANITIZER_LINES: readonly string[] = [
  'Leak sanitizer: this test failed the leak check.',
  '- 1 heap buffer (16 bytes, owned) was created during the test, but not released.',
];

const KEYS = ['exitCode', 'sanitizer', 'site', 'includes'] as const;

/** Reads and validates `<appDir>/expect.json`. */
export function readExpectations(appDir: string): AppExpectations {
  const file = path.join(appDir, 'expect.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConsumerExpectationError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const bad = (what: string): never => {
    throw new ConsumerExpectationError(`${file}: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('expected an object');
  const o = raw as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (extra.length > 0) bad(`unknown key(s) ${extra.join(', ')}; expected ${KEYS.join(', ')}`);
  const { exitCode, sanitizer, site, includes } = o;
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) bad('exitCode must be an integer');
  if (typeof sanitizer !== 'boolean') bad('sanitizer must be true or false');
  if (typeof site !== 'string' || !/^[^\s:]+:\d+$/.test(site)) bad(`site must be 'file:line', got ${JSON.stringify(site)}`);
  if (!Array.isArray(includes) || includes.some((t) => typeof t !== 'string' || t === '')) bad('includes must be a list of non-empty strings');
  return { exitCode: exitCode as number, sanitizer: sanitizer as boolean, site: site as string, includes: includes as string[] };
}

// Colour codes, in case a runner prints them despite NO_COLOR.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What is wrong with a run of `npm test` (exit code and output), or an empty list. */
export function checkRun(expected: AppExpectations, code: number | null, rawOutput: string): string[] {
  const output = rawOutput.replace(ANSI, '');
  const problems: string[] = [];
  if (code !== expected.exitCode) problems.push(`npm test exited ${code ?? 'by a signal'}, expected ${expected.exitCode}`);
  if (expected.sanitizer) {
    const lines = new Set(output.split('\n').map((l) => l.trim()));
    // A runner may prefix the first line with the error's name (`LeakSanitizerError: `).
    const [first, ...rest] = SANITIZER_LINES;
    if (![...lines].some((l) => l === first || l.endsWith(`: ${first!}`))) problems.push(`no line '${first!}'`);
    for (const line of rest) if (!lines.has(line)) problems.push(`no line '${line}'`);
  }
  const site = new RegExp(`created at \\S+ \\(${escapeRegExp(expected.site)}:\\d+\\)`);
  if (!site.test(output)) problems.push(`no 'created at <fn> (${expected.site}:<column>)' in the report`);
  for (const text of expected.includes) if (!output.includes(text)) problems.push(`output lacks '${text}'`);
  return problems;
}
