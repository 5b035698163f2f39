/**
 * The mocha adapter on a real mocha run (`--require` of the plugin) of a fixture that must fail:
 * the leaking tests fail with the core's message and site, the rest of the block still runs.
 */
import { FIXTURE_FILES, FIRST_LINE, plantedSite, RUNNERS, runNode, sanitizerMessages, type RunnerRun } from '../node-test/runFixture';

let run: RunnerRun;

beforeAll(async () => {
  run = await runNode(RUNNERS.mocha);
}, 120_000);

test('the run fails with 2 failures: 4 passing, 1 pending', () => {
  expect(run.code).toBe(2);
  expect(run.output).toContain('  4 passing');
  expect(run.output).toContain('  1 pending\n');
  expect(run.output).toContain('  2 failing\n');
});

test('the leaking test fails with the LeakSanitizerError, the planted site and the exact counts', () => {
  expect(run.output).toContain('    1) leaks one buffer\n');
  const [message] = sanitizerMessages(run.output, FIXTURE_FILES.mocha);
  const lines = message!.split('\n');
  expect(lines[0]).toBe(FIRST_LINE);
  expect(run.output).toContain(`LeakSanitizerError: ${FIRST_LINE}`);
  expect(lines).toContain('  - 1 heap buffer (16 bytes, owned) was created during the test, but not released.');
  expect(lines).toContain(`Leak 1: heap buffer x1 (16 bytes) created at leakOne (${plantedSite()})`);
  expect(lines).toContain("SUMMARY: 1 leak(s), 16 byte(s) in scope 'planted › leaks one buffer'");
});

test('the rest of the block runs: a clean test, a late release, an opt-out, a done-style test pass; this.skip() skips', () => {
  for (const line of [
    '    ✔ runs after the leaking test\n',
    '    ✔ a buffer released by a timer after the body returned passes\n',
    '    ✔ an opt-out lets a leak pass\n',
    '    ✔ a done-style test is checked after done()\n',
    '    - this.timeout() and this.skip() reach the mocha Context\n',
  ]) {
    expect(run.output).toContain(line);
  }
});

test('a done-style test that leaks before done() fails with the message (no timer of mocha counted)', () => {
  expect(run.output).toContain('    2) a done-style test that leaks fails\n');
  const messages = sanitizerMessages(run.output, FIXTURE_FILES.mocha);
  expect(messages).toHaveLength(2);
  expect(messages[1]!.split('\n')).toEqual([
    FIRST_LINE,
    '  - 1 heap buffer (16 bytes, owned) was created during the test, but not released.',
    `Leak 1: heap buffer x1 (16 bytes) created at leakOne (${plantedSite()})`,
    '  buffer #6: heap buffer, 16 bytes, left at refCnt 1, owns its memory',
    '  Hint: Release the buffer when done with it: in the write callback, or in a try/finally around its use.',
    "SUMMARY: 1 leak(s), 16 byte(s) in scope 'planted › a done-style test that leaks fails'",
    expect.stringMatching(/^Usual fixes: /),
    expect.stringMatching(/^If this is intended: /),
  ]);
});
