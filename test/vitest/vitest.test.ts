/**
 * The vitest adapter on a real vitest 4.1 run (setup file + reporter, the package name aliased to
 * the sources) of a fixture that must fail: the leaking test fails with the core's message and
 * site, the rest of the file runs, and the reporter's summary fails the run, in report mode too.
 */
import { FIXTURE_FILES, FIRST_LINE, plantedSite, RUNNERS, runNode, sanitizerMessages, type RunnerRun } from '../node-test/runFixture';

let failMode: RunnerRun;
let reportMode: RunnerRun;

beforeAll(async () => {
  failMode = await runNode(RUNNERS.vitest);
  reportMode = await runNode(RUNNERS.vitest, { BYTEBUF_JEST_SANITIZER: 'report' });
}, 120_000);

const SUMMARY = 'Leak sanitizer: 1 of 5 test(s) leaked (1 file(s) checked): 1 leak(s), 16 byte(s).';

test('the leaking test fails with the LeakSanitizerError, the planted site and the exact counts', () => {
  expect(failMode.code).toBe(1);
  expect(failMode.output).toContain('FAIL  planted.fixture.ts > planted > leaks one buffer\n');
  expect(failMode.output).toContain(`LeakSanitizerError: ${FIRST_LINE}`);
  const messages = sanitizerMessages(failMode.output, FIXTURE_FILES.vitest);
  expect(messages).toHaveLength(1);
  const lines = messages[0]!.split('\n');
  expect(lines).toContain('  - 1 heap buffer (16 bytes, owned) was created during the test, but not released.');
  expect(lines).toContain(`Leak 1: heap buffer x1 (16 bytes) created at leakOne (${plantedSite()})`);
  expect(lines).toContain("SUMMARY: 1 leak(s), 16 byte(s) in scope 'planted › leaks one buffer'");
});

test('the other tests of the file run and pass: a late release, an opt-out, the matchers', () => {
  for (const line of [
    '✓ runs after the leaking test',
    '✓ a buffer released by a timer after the body returned passes',
    '✓ an opt-out lets a leak pass',
    '✓ the matchers are on expect',
  ]) {
    expect(failMode.output).toContain(line);
  }
  expect(failMode.output).toMatch(/Tests {2}1 failed \| 4 passed \(5\)/);
  expect(failMode.output).not.toContain('vitest/suite" is deprecated');
});

test('the reporter prints the summary with the site and the opt-out', () => {
  expect(failMode.output).toContain(`${SUMMARY}\n`);
  expect(failMode.output).toContain(`  x1 (16 byte(s)) in 1 test(s): leakOne (${plantedSite()})\n`);
  expect(failMode.output).toContain('leaks: "kept on purpose by this fixture"');
});

test('in report mode every test passes, and the reporter still fails the run', () => {
  expect(reportMode.output).toMatch(/Tests {2}5 passed \(5\)/);
  expect(reportMode.output).toContain(`${SUMMARY}\n`);
  expect(reportMode.code).toBe(1);
});
