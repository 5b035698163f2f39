/**
 * The file check under each runner: a `beforeAll`/`before` hook that leaks fails the run with the
 * core's file-level message (its clean test still passes).
 */
import { runNode, type RunnerRun } from '../node-test/runFixture';

const FILE_LINE = "Leak sanitizer: this file's beforeAll/afterAll hooks failed the leak check.";
const SUMMARY = "SUMMARY: 1 leak(s), 16 byte(s) in scope '(beforeAll/afterAll hooks)'";
const runs: Partial<Record<'vitest' | 'mocha' | 'node:test', RunnerRun>> = {};

beforeAll(async () => {
  runs.vitest = await runNode(['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/vitest/fixtures/vitest.config.mjs'], {
    VITEST_FIXTURE: 'hooks.fixture.ts',
  });
  runs.mocha = await runNode(['node_modules/mocha/bin/mocha.js', '--no-colors', '--require', 'tsx/cjs', '--require', './harness/mocha/index.ts', 'test/mocha/fixtures/hooks.spec.ts']);
  runs['node:test'] = await runNode(['--import', 'tsx', '--test', 'test/node-test/fixtures/hooks.fixture.ts']);
}, 120_000);

test('vitest fails the file, named, and the reporter counts it', () => {
  const run = runs.vitest!;
  expect(run.code).toBe(1);
  expect(run.output).toContain('FAIL  hooks.fixture.ts [ hooks.fixture.ts ]\n');
  expect(run.output).toContain(`LeakSanitizerError: ${FILE_LINE}`);
  expect(run.output).toContain(SUMMARY);
  expect(run.output).toMatch(/Tests {2}1 passed \(1\)/);
  expect(run.output).toContain('  test/vitest/fixtures/hooks.fixture.ts › (beforeAll/afterAll hooks): 1 leak(s), 16 byte(s)\n');
});

test('mocha fails the run in its root "after all" hook', () => {
  const run = runs.mocha!;
  expect(run.code).toBe(1);
  expect(run.output).toContain('  1) "after all" hook: finishFile in "{root}":\n');
  expect(run.output).toContain(`LeakSanitizerError: ${FILE_LINE}`);
  expect(run.output).toContain(SUMMARY);
  expect(run.output).toContain('  1 passing');
});

test('node:test fails the file in its root after hook', () => {
  const run = runs['node:test']!;
  expect(run.code).toBe(1);
  expect(run.output).toContain("failureType: 'hookFailed'");
  expect(run.output).toContain(FILE_LINE);
  expect(run.output).toContain(SUMMARY);
  expect(run.output).toContain('# pass 1\n');
  expect(run.output).toContain('# fail 1\n');
});
