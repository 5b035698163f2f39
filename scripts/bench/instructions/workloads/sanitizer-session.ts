/**
 * Instruction-count workload: `n` small tests run through the sanitizer's runner-independent core
 * (a `SanitizerSession`: `startTest`, the body in the test's scope, `finishTest`) with no test
 * runner, or the same bodies with no session. Jest's own work varies by about 10% between runs,
 * which hides a cost of that size; without jest, the difference between two counts is the core's
 * cost per test. The body is the jest bench file's (scripts/bench/lib/smallTest.ts) plus what
 * jest-circus adds to every test: a timeout timer, started before the body and cleared after.
 * `warmUp` tests run first at every `n`.
 *
 * Usage: node --import tsx scripts/bench/instructions/workloads/sanitizer-session.ts '{"session":true,"level":"paranoid","warmUp":200}' 1000
 */
import { ledger, type LeakLevel } from '../../../../harness';
import { endSession, startSession, type SanitizerSession } from '../../../../harness/sanitizer';
import { smallTestBody } from '../../lib/smallTest';
import { runWorkload } from './args';

/**
 * With a session at `level`, or without one (`level` unused): the bodies alone at the harness's
 * default settings, as under jest with the sanitizer off.
 */
export interface SanitizerSessionConfig {
  readonly session: boolean;
  readonly level: LeakLevel;
  readonly warmUp: number;
}

const checkReadable = (bytes: number): void => {
  if (bytes !== 64) throw new Error(`Expected 64 readable bytes, got ${bytes}`);
};

/** One test as a runner runs it: its timeout timer, the body, the timer cleared. */
async function runTest(): Promise<void> {
  const timeout = setTimeout(() => undefined, 5000);
  try {
    await smallTestBody(checkReadable);
  } finally {
    clearTimeout(timeout);
  }
}

async function tests(session: SanitizerSession | undefined, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (session === undefined) {
      await runTest();
      continue;
    }
    const run = session.startTest(`test ${i}`);
    await ledger.runIn(run.scope, runTest);
    const { outcome, error } = await session.finishTest(run);
    if (error !== undefined || outcome?.verdict !== 'clean') throw error ?? new Error(`Expected test ${i} clean, got ${outcome?.verdict}`);
  }
}

async function main({ config, n }: { config: SanitizerSessionConfig; n: number }): Promise<void> {
  const session = config.session ? startSession({ options: { level: config.level }, testFile: 'sanitizer-session.bench' }) : undefined;
  await tests(session, config.warmUp);
  await tests(session, n);
  if (session !== undefined) {
    const { errors } = await session.finishFile();
    endSession(session);
    if (errors.length > 0) throw errors[0];
  }
}

if (require.main === module) runWorkload(main);
