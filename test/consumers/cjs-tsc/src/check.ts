/**
 * Runs each path of `inspectRecord` in a ledger scope of its own and checks what the harness's
 * report says: the clean path leaves nothing live; the end-of-stream path leaks exactly one
 * 16-byte heap buffer, made at `src/frames.ts:21`. Then, since this app has no tsx, checks that
 * the CLI refuses a TypeScript `--target` with the line that says to install it. Prints the
 * report; exits 1 on any mismatch.
 */
import { LeakDetection, formatLeakReport, ledger, type LeakReport, type LeakScope } from 'bytebuf-leak-harness';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { END_TAG, inspectRecord, type RecordInfo } from './frames';

/** Where the leaked buffer is made (the `Unpooled.copiedBuffer` line of frames.ts). */
const LEAK_SITE = { fn: 'inspectRecord', file: 'src/frames.ts', line: 21 };

/** A 16-byte record with `tag`. */
function recordWith(tag: number): Uint8Array {
  const bytes = new Uint8Array(16).fill(0x2a);
  bytes[0] = tag;
  return bytes;
}

function inScope(name: string, tag: number): { scope: LeakScope; info: RecordInfo } {
  // A synchronous function: scoped() returns its result with the scope at once.
  const { scope, result } = ledger.scoped(name, () => inspectRecord(recordWith(tag)));
  return { scope, info: result };
}

function problemsOf(clean: LeakScope, leaky: LeakReport): string[] {
  const problems: string[] = [];
  if (!clean.isClean()) problems.push(`the clean path left ${clean.liveCount} buffer(s) live: ${clean.report().summary}`);
  if (leaky.leakCount !== 1 || leaky.leakBytes !== 16) problems.push(`expected 1 leak of 16 bytes, got: ${leaky.summary}`);
  const site = leaky.groups[0]?.siteFrame;
  if (site === undefined) problems.push('the leak has no creation site');
  else if (site.fn !== LEAK_SITE.fn || site.file !== LEAK_SITE.file || site.line !== LEAK_SITE.line) {
    problems.push(`expected the site ${LEAK_SITE.fn} (${LEAK_SITE.file}:${LEAK_SITE.line}), got ${site.fn} (${site.file}:${site.line})`);
  }
  return problems;
}

/** This app has no tsx: a TypeScript `--target` is refused with one line that says to install it (exit 2). */
function tsTargetWithoutTsx(): string[] {
  const cli = path.join('node_modules', '.bin', 'bytebuf-leak-tests');
  const run = spawnSync(cli, ['--target', 'targets/channel.ts'], { encoding: 'utf8' });
  const line = 'leak-tests: target targets/channel.ts: a TypeScript target needs tsx: install it (npm install -D tsx) or give the compiled .js module';
  console.log(`ts target without tsx: exit ${String(run.status)}, ${run.stderr.split('\n')[0] ?? ''}`);
  return run.status === 2 && run.stderr.split('\n').includes(line) ? [] : [`expected exit 2 and the line "${line}", got exit ${String(run.status)}: ${run.stderr}${run.stdout}`];
}

async function main(): Promise<number> {
  // Paranoid: every buffer gets its creation site and path.
  LeakDetection.setLevel('paranoid');
  const clean = inScope('data record', 0x01);
  const leaky = inScope('end record', END_TAG);
  console.log(`clean path: tag ${clean.info.tag}, ${clean.info.bodyLength} body bytes, ${clean.scope.report().summary}`);
  const report = leaky.scope.report();
  console.log(`leaking path: tag ${leaky.info.tag}\n${formatLeakReport(report)}`);
  const problems = [...problemsOf(clean.scope, report), ...tsTargetWithoutTsx()];
  for (const p of problems) console.error(`check: ${p}`);
  console.log(problems.length === 0 ? 'check: ok' : `check: ${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
