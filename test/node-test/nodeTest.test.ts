/**
 * The node:test adapter on a real `node --test` run of a fixture that must fail: the leaking test
 * (and the leaking subtest) fail with the core's message and site, the others pass.
 */
import { FIXTURE_FILES, FIRST_LINE, plantedSite, RUNNERS, runNode, sanitizerMessages, type RunnerRun } from './runFixture';

let run: RunnerRun;

beforeAll(async () => {
  run = await runNode(RUNNERS['node:test']);
}, 120_000);

test('the run fails: 6 pass, 3 fail (the leaking test, the leaking subtest, and its parent), 1 skipped', () => {
  expect(run.code).toBe(1);
  expect(run.output).toContain('# pass 6\n');
  expect(run.output).toContain('# fail 3\n');
  expect(run.output).toContain('# skipped 1\n');
});

test('the leaking test fails with the LeakSanitizerError, the planted site and the exact counts', () => {
  expect(run.output).toContain('    not ok 1 - leaks one buffer\n');
  const [message] = sanitizerMessages(run.output, FIXTURE_FILES['node:test']);
  const lines = message!.split('\n');
  expect(lines[0]).toBe(FIRST_LINE);
  expect(lines).toContain('  - 1 heap buffer (16 bytes, owned) was created during the test, but not released.');
  expect(lines).toContain(`Leak 1: heap buffer x1 (16 bytes) created at leakOne (${plantedSite()})`);
  expect(lines).toContain("SUMMARY: 1 leak(s), 16 byte(s) in scope 'planted › leaks one buffer'");
  expect(run.output).toContain("code: 'ERR_TEST_LEAKED'");
});

test('the tests after it, a late release from a timer, an opt-out and a callback-style test pass', () => {
  for (const line of [
    '    ok 2 - runs after the leaking test\n',
    '    ok 3 - a buffer released by a timer after the body returned passes\n',
    '    ok 4 - an opt-out lets a leak pass\n',
    '    ok 5 - a callback-style test is checked after done()\n',
    '    ok 1 - leaks inside an opted-out block\n',
  ]) {
    expect(run.output).toContain(line);
  }
});

test('a subtest made with t.test is checked on its own, under its full name', () => {
  expect(run.output).toContain('        ok 1 - clean subtest\n');
  expect(run.output).toContain('        not ok 2 - leaking subtest\n');
  const messages = sanitizerMessages(run.output, FIXTURE_FILES['node:test']);
  expect(messages).toHaveLength(2);
  expect(messages[1]).toContain("SUMMARY: 1 leak(s), 16 byte(s) in scope 'planted › a subtest is checked on its own › leaking subtest'");
});
