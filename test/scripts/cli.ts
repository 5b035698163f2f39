/**
 * Runs a command of scripts/ in a child process under tsx (or any command, such as the compiled
 * CLI under plain node), from the project root, with stdout and stderr as real pipes (as in CI,
 * where the output goes to a log or another command).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** How a command ended and what it printed. */
export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Generous: the machine running the suite may be slow and loaded. */
export const CHILD_TIMEOUT_MS = 60_000;

/**
 * The command's stdout goes through a slow reader (a busy `| jq`): it reads one byte, then
 * nothing for half a second, then the rest. A command that exits without waiting for its output
 * to drain loses all but what the pipe's buffer holds, every time, not only on a slow day.
 * `pipefail`: the exit code is the command's.
 */
const SLOW_READER = 'set -o pipefail; "$0" "$@" | { dd bs=1 count=1 2>/dev/null; sleep 0.5; cat; }';

/** Options of {@link runScript}. */
export interface RunOptions {
  /** Added to a copy of this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Pipe stdout through a reader that stops after the first byte (see {@link SLOW_READER}). */
  slowReader?: boolean;
}

/** Runs `script` (relative to the root) with `args` under tsx. */
export function runScript(script: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return runCommand(TSX, [script, ...args], options);
}

/** Runs `command` (a path or a name on the PATH) with `args` from the root. */
export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    // Outside CI's own environment: a GitHub runner must not make the child print annotations.
    const env = { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...options.env };
    const [file, argv] = options.slowReader === true ? ['bash', ['-c', SLOW_READER, command, ...args]] : [command, [...args]];
    // Its own process group, so that a timeout kills the command and its reader, not only bash.
    const child = spawn(file as string, argv as string[], { cwd: ROOT, env, detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), CHILD_TIMEOUT_MS - 5_000);
    child.on('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/** stderr without the plain progress lines a slow (loaded) machine may print after a few seconds. */
export const withoutProgress = (stderr: string): string => stderr.replace(/^leak-tests: \d+\/\d+ runs done, \d+ failed so far \(.*\)\n/gm, '');

/**
 * Writes `copies` copies of the scenario file `source` into `dir`, each under its own name
 * (`<name>-<i>`), and returns `dir`: a corpus as large as a test needs.
 */
export function scenarioCopies(source: string, copies: number, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const scenario = JSON.parse(readFileSync(path.join(ROOT, source), 'utf8')) as { name: string };
  for (let i = 1; i <= copies; i++) {
    writeFileSync(path.join(dir, `copy-${i}.json`), `${JSON.stringify({ ...scenario, name: `${scenario.name}-${i}` }, null, 2)}\n`);
  }
  return dir;
}
