/**
 * Running a workload under callgrind and reading what it counted. Instruction counts (`Ir`) do not
 * depend on what else the machine runs, so two runs of a workload at sizes `n1 < n2` give the
 * cost of `n2 - n1` units exactly: start-up and warm-up are the same in both and cancel out.
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';

/** The one line printed when valgrind is not on `PATH` (the caller exits 2). */
export const VALGRIND_MISSING = 'bench: --instructions counts instructions with valgrind (callgrind), which is not on PATH: install it (apt-get install valgrind)';

/** The full path of the executable `name` on `pathVariable` (`PATH`'s form), or null. */
export function findOnPath(name: string, pathVariable: string | undefined): string | null {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: the next folder
    }
  }
  return null;
}

/** A workload run that failed: the command and the tail of what it wrote on stderr. */
export class CallgrindRunError extends Error {
  override readonly name = 'CallgrindRunError';
  readonly code = 'ERR_CALLGRIND_RUN';
  constructor(
    readonly command: string,
    readonly stderrTail: string,
    why: string,
  ) {
    super(`${why}: ${command}\n${stderrTail}`);
  }
}

/** A callgrind out file without the totals this reads. */
export class CallgrindOutputError extends Error {
  override readonly name = 'CallgrindOutputError';
  readonly code = 'ERR_CALLGRIND_OUTPUT';
}

/**
 * The instructions executed (`Ir`) from a callgrind out file's text: the `totals:` line's column
 * of the event `Ir` named by the `events:` line (callgrind writes `summary:` too; `totals:` is the
 * sum over every function, threads included).
 */
export function parseCallgrindTotals(text: string): number {
  const events = /^events:[ \t]*(.*)$/m.exec(text);
  const totals = /^totals:[ \t]*(.*)$/m.exec(text);
  if (events === null || totals === null) throw new CallgrindOutputError(`Expected an 'events:' and a 'totals:' line in the callgrind output, got ${events === null ? 'no events line' : 'no totals line'}`);
  const names = events[1]!.trim().split(/\s+/);
  const values = totals[1]!.trim().split(/\s+/);
  const at = names.indexOf('Ir');
  if (at < 0) throw new CallgrindOutputError(`Expected the event Ir among the callgrind events, got ${names.join(' ')}`);
  const value = values[at];
  if (value === undefined || !/^\d+$/.test(value)) throw new CallgrindOutputError(`Expected an instruction count in column ${at + 1} of totals, got '${totals[1]!.trim()}'`);
  return Number(value);
}

/** A workload's instruction count at one size. */
export interface SizedCount {
  readonly n: number;
  readonly ir: number;
}

/** Instructions per unit: `(Ir(n2) - Ir(n1)) / (n2 - n1)` of two runs, the smaller size first. */
export function perUnitDifference(small: SizedCount, big: SizedCount): number {
  if (!(big.n > small.n)) throw new Error(`Expected the second size to be larger than the first, got ${small.n} and ${big.n}`);
  return (big.ir - small.ir) / (big.n - small.n);
}

/** The last `lines` lines of `text`, without trailing blank ones. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * How a workload is started: node with `--single-threaded --predictable` (with tsx for a `.ts`
 * file), the workload, its config as JSON, `n`. Single-threaded, V8 compiles and collects on the
 * main thread instead of on helper threads whose share of the work depends on scheduling: with
 * helper threads two runs of one workload differed by 5% (117 M instructions) on this loaded
 * machine, more than the effects measured. `--predictable` (V8's fixed seeds, no memory reducer)
 * cuts what is left: three runs of the exact ledger's workload differed by up to 10 M
 * single-threaded, two by 3.7 M with it; two of the channel's, 15 M against 3.9 M.
 */
export function workloadCommand(workload: string, config: unknown, n: number): string[] {
  return ['node', ...NODE_FLAGS, ...(workload.endsWith('.ts') ? ['--import', 'tsx'] : []), workload, JSON.stringify(config), String(n)];
}

/** The node flags of every workload (see `workloadCommand`). */
export const NODE_FLAGS = ['--single-threaded', '--predictable'] as const;

/** Quotes an argument for the command line printed in an error (so it can be pasted into a shell). */
const shellQuote = (arg: string): string => (/^[\w./=:,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** Runs `argv` in `cwd`; resolves when it exited 0, rejects with its command and stderr tail otherwise. */
export function runChild(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const command = argv.map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    child.on('error', (error) => reject(new CallgrindRunError(command, error.message, 'could not start')));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new CallgrindRunError(command, tail(stderr), signal !== null ? `killed by ${signal}` : `exited with ${code}`));
    });
  });
}

/** The instructions of one run of `workload` at size `n` under callgrind; its out file is removed. */
export async function countInstructions(workload: string, config: unknown, n: number, cwd: string, outFile: string): Promise<number> {
  const argv = ['valgrind', '--tool=callgrind', `--callgrind-out-file=${outFile}`, ...workloadCommand(workload, config, n)];
  try {
    await runChild(argv, cwd);
    try {
      return parseCallgrindTotals(readFileSync(outFile, 'utf8'));
    } catch (error) {
      if (error instanceof CallgrindOutputError) throw new CallgrindOutputError(`${error.message}, from ${argv.map(shellQuote).join(' ')}`);
      throw error;
    }
  } finally {
    rmSync(outFile, { force: true });
  }
}
