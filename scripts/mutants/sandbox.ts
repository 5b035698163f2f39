/**
 * One mutant's replay: a temporary copy of the repository's sources with the patch applied, and
 * the built-in leak gate run there in a child process (its `--format json` report is all the
 * runner reads of the engine).
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { applyMutant, type Mutant } from './mutant';
import type { GateOutcome } from './verdict';

/** What the copy holds: everything the gate loads. */
export const COPIED = ['harness', 'channel', 'scenarios', 'scripts', 'package.json', 'tsconfig.json'] as const;

/**
 * The gate's arguments: the fixed version only (a mutant patches the fixed channel; the other
 * versions share its code but are judged against their own bugs), with a short replay time limit
 * so a mutant that loses a wake-up fails at the stuck step instead of after a minute.
 */
export const GATE_ARGS = ['scripts/cli.ts', '--format', 'json', '--channel', 'fixed', '--timeout', '10s'] as const;

/** Copies the sources of `root` into a new temporary folder, with `node_modules` linked; returns it. */
export function makeCopy(root: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bytebuf-mutant-'));
  for (const entry of COPIED) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Applies `mutant` to the copy at `dir` (throws MutantError when it does not apply). */
export function patchCopy(dir: string, mutant: Mutant): void {
  const file = path.join(dir, mutant.file);
  writeFileSync(file, applyMutant(mutant, readFileSync(file, 'utf8')));
}

/** Runs the gate in `dir`; kills it after `timeLimitMs`. */
export function runGate(dir: string, timeLimitMs: number): Promise<GateOutcome> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    // The gate is run as CI runs it: no inherited leak level or sanitizer switches.
    for (const key of Object.keys(env)) if (key.startsWith('BYTEBUF_')) delete env[key];
    // node with tsx's loader, not the tsx wrapper: one process, and killing it kills the gate (the
    // wrapper's child would outlive a SIGKILL of the wrapper and keep the pipes open). Its own
    // process group, so a time-out kills whatever it started too.
    const child = spawn(process.execPath, ['--import', 'tsx', ...GATE_ARGS], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeLimitMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({ exitCode: code, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: stderr.slice(-2000) });
    });
  });
}

/** Copies, patches, runs the gate, and removes the copy. */
export async function replayMutant(root: string, mutant: Mutant, timeLimitMs: number): Promise<GateOutcome> {
  const dir = makeCopy(root);
  try {
    patchCopy(dir, mutant);
    return await runGate(dir, timeLimitMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
