/**
 * Runs one command of an app's run (npm ci, the install, the type-check, the tests) as a user's
 * shell would, with its output captured in order, a time limit, and nothing left running after it.
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** How a command ended. */
export interface StepResult {
  /** The command line, for messages. */
  command: string;
  /** The exit code; null when it was killed (time limit, signal). */
  code: number | null;
  /** stdout and stderr, interleaved as they arrived. */
  output: string;
  /** stdout alone. */
  stdout: string;
  /** True when the time limit killed it. */
  timedOut: boolean;
  /** How long it ran, in seconds (shown in the log, to keep the whole step within its budget). */
  seconds: number;
}

/** Variables that would change an app's run if they leaked in from the caller's environment. */
function isCallersOwn(name: string): boolean {
  return /^(npm_|BYTEBUF_|LEAK_TESTS_|JEST_|VITEST|NODE_OPTIONS$|INIT_CWD$|FORCE_COLOR$)/.test(name);
}

/**
 * The environment an app runs with: the caller's, without npm's per-script variables, the
 * harness's settings, NODE_OPTIONS, and the repository's `node_modules/.bin` on the PATH (an app
 * must find its tools in its own install, as a user's would), and without colours.
 */
export function appEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (!isCallersOwn(name)) out[name] = value;
  out['PATH'] = (env['PATH'] ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.split(path.sep).includes('node_modules'))
    .join(path.delimiter);
  out['NO_COLOR'] = '1';
  return out;
}

/** Kills the command's process group (it and whatever it started); quiet when it is gone. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone: nothing of it is left.
  }
}

/**
 * Runs `command args` in `cwd` and resolves when it has ended. It runs in a process group of its
 * own, killed after `timeoutMs` and again once it ends, so no worker or server it started outlives it.
 */
export function runStep(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<StepResult> {
  const shown = [command, ...args].join(' ');
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    let settled = false;
    const done = (code: number | null, extra = ''): void => {
      if (settled) return; // a spawn error may be followed by 'close'
      settled = true;
      clearTimeout(timer);
      killGroup(child.pid);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ command: shown, code, output: output + extra, stdout, timedOut, seconds });
    };
    child.on('error', (error) => done(null, `\n${shown}: ${error.message}\n`));
    child.on('close', (code) => done(code));
  });
}
