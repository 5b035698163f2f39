/**
 * Instruction-count workload: one jest run, in band (in this process), of
 * test/jest/fixtures/many-tests.bench.ts with `n` small tests, the leak sanitizer on (at its
 * default level, `paranoid`) or off. Jest's start-up and the file's set-up are the same at every
 * `n`, so the difference between two counts is the cost per test. At level `disabled` the run
 * measures the sanitizer's own work (scopes, the ledger, the checks) without the stacks. Run it
 * once outside callgrind first (the runner primes every workload), so jest's transform cache is
 * warm for both counts alike.
 *
 * Usage: node --import tsx scripts/bench/instructions/workloads/jest-tests.ts '{"sanitizer":"on"}' 50
 */
import * as path from 'node:path';
import { runCLI } from 'jest';
import type { LeakLevel } from '../../../../harness';
import { runWorkload } from './args';

/**
 * The sanitizer on or off (`BYTEBUF_JEST_SANITIZER=off`); on, at `level` (its default,
 * `paranoid`, when absent): `disabled` keeps the ledger and the checks and captures no stack.
 */
export interface JestTestsConfig {
  readonly sanitizer: 'on' | 'off';
  readonly level?: LeakLevel;
}

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURE_CONFIG = path.join(ROOT, 'test', 'jest', 'fixtures', 'jest.config.cjs');

async function main({ config, n }: { config: JestTestsConfig; n: number }): Promise<void> {
  // Only the variant's own setting: none of the caller's BYTEBUF_* variables.
  for (const key of Object.keys(process.env)) if (key.startsWith('BYTEBUF_')) delete process.env[key];
  if (config.sanitizer === 'off') process.env.BYTEBUF_JEST_SANITIZER = 'off';
  if (config.level !== undefined) process.env.BYTEBUF_LEAK_DETECTION_LEVEL = config.level;
  process.env.BENCH_JEST_TESTS = String(n);
  const { results } = await runCLI(
    { _: [], $0: 'jest', config: FIXTURE_CONFIG, runInBand: true, testMatch: ['**/many-tests.bench.ts'], silent: true, ci: false },
    [ROOT],
  );
  if (results.numPassedTests !== n || results.numFailedTests !== 0 || results.numFailedTestSuites !== 0) {
    throw new Error(`Expected ${n} passed tests and no failure, got ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numFailedTestSuites} suites failed`);
  }
}

if (require.main === module) runWorkload(main);
