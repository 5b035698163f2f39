/**
 * One consumer app's run, as a user would do it: a copy of the app in a temporary folder, `npm ci`
 * from its committed lock, the packed harness installed with `npm install --no-save <tarball>` (a
 * tarball's integrity changes with every build, so it cannot be in the lock), the app's
 * type-check, then `npm test`, checked against the app's `expect.json`.
 * @packageDocumentation
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkRun, readExpectations, type AppExpectations } from './expectations';
import { runStep, type StepResult } from './step';

/** Per-command time limits: installs may fetch what the npm cache lacks; runs are short. */
const INSTALL_TIMEOUT_MS = 300_000;
const RUN_TIMEOUT_MS = 180_000;

/** Problems named on the verdict line; the full output follows it anyway. */
const PROBLEMS_SHOWN = 3;

/** A TypeScript error line (`file(line,col): error TS2339: ...`), named on the verdict line. */
const TSC_ERROR = /^\S.*error TS\d+: .*$/m;

const NPM_QUIET = ['--prefer-offline', '--no-audit', '--no-fund'];

/** How an app's run went. */
export interface AppResult {
  name: string;
  ok: boolean;
  /** The one-line verdict after `consumer <name>: `. */
  verdict: string;
  /** Every command's output, in order (printed when the app failed). */
  log: string;
}

function logOf(steps: readonly StepResult[]): string {
  return steps
    .map((s) => {
      const end = `-> exit ${s.code ?? 'by a signal'}${s.timedOut ? ' (killed: time limit)' : ''} after ${s.seconds.toFixed(1)} s`;
      return `$ ${s.command}\n${s.output}${s.output.endsWith('\n') ? '' : '\n'}${end}`;
    })
    .join('\n');
}

function failed(name: string, reason: string, steps: readonly StepResult[]): AppResult {
  return { name, ok: false, verdict: `FAILED (${reason})`, log: logOf(steps) };
}

/** The `typecheck` script an app must have: its type-check against the shipped `.d.ts` is half the point. */
function hasTypecheck(appDir: string): boolean {
  const pkg = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> };
  return typeof pkg.scripts?.['typecheck'] === 'string';
}

/** Copies `sourceDir` (without installs or build output) to `workDir/name`, installs it with `tarball`, type-checks it, runs it. */
export async function runApp(name: string, sourceDir: string, workDir: string, tarball: string, env: NodeJS.ProcessEnv): Promise<AppResult> {
  if (!existsSync(path.join(sourceDir, 'package.json'))) return failed(name, `${sourceDir} has no package.json: the app is missing`, []);
  if (!existsSync(path.join(sourceDir, 'package-lock.json'))) return failed(name, 'no package-lock.json: npm ci needs one', []);
  let expected: AppExpectations;
  try {
    expected = readExpectations(sourceDir);
  } catch (error) {
    return failed(name, (error as Error).message, []);
  }
  if (!hasTypecheck(sourceDir)) return failed(name, "no 'typecheck' script in its package.json", []);
  const dir = path.join(workDir, name);
  cpSync(sourceDir, dir, { recursive: true, filter: (src) => !['node_modules', 'dist'].includes(path.basename(src)) });
  const steps: StepResult[] = [];
  /** Runs one preparing step; returns why it failed, or undefined. */
  const step = async (label: string, args: string[], timeoutMs: number): Promise<string | undefined> => {
    const result = await runStep('npm', args, dir, env, timeoutMs);
    steps.push(result);
    if (result.timedOut) return `${label} did not end within ${timeoutMs / 1000} s`;
    if (result.code === 0) return undefined;
    const firstError = TSC_ERROR.exec(result.output)?.[0];
    return `${label} failed (exit ${result.code ?? 'by a signal'})${firstError !== undefined ? `, first error: ${firstError}` : ''}`;
  };
  const notReady =
    (await step('npm ci', ['ci', ...NPM_QUIET], INSTALL_TIMEOUT_MS)) ??
    (await step('installing the tarball', ['install', '--no-save', ...NPM_QUIET, tarball], INSTALL_TIMEOUT_MS)) ??
    (await step('the type-check', ['run', 'typecheck'], RUN_TIMEOUT_MS));
  if (notReady !== undefined) return failed(name, notReady, steps);
  const test = await runStep('npm', ['test'], dir, env, RUN_TIMEOUT_MS);
  steps.push(test);
  if (test.timedOut) return failed(name, `npm test did not end within ${RUN_TIMEOUT_MS / 1000} s`, steps);
  const problems = checkRun(expected, test.code, test.output);
  if (problems.length > 0) {
    const shown = problems.slice(0, PROBLEMS_SHOWN).join('; ');
    return failed(name, problems.length > PROBLEMS_SHOWN ? `${shown}; and ${problems.length - PROBLEMS_SHOWN} more` : shown, steps);
  }
  const clean = expected.sanitizer ? 'clean test passed' : 'clean path clean';
  return { name, ok: true, verdict: `ok (leak at ${expected.site} reported, ${clean})`, log: logOf(steps) };
}
