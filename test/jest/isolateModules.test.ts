/**
 * "A leak in code loaded through `jest.isolateModules` must fail its test": the fixture suite runs
 * in a child jest with the sanitizer; a copy of the harness loaded afresh joins the sanitizer's
 * ledger, so its leaks fail their tests with the count and the line the buffer was made on.
 */
import { failureOf, runOwnFixture, siteOf, statusOf, type FixtureRun } from './fixtureRunner';

const FIXTURE = 'isolate-modules.fixture.ts';
const F = `test/jest/fixtures/${FIXTURE}`;

let run: FixtureRun;

beforeAll(async () => {
  run = await runOwnFixture(FIXTURE);
}, 60_000);

/** `(file:line:col)` of the marked fixture line's `token`. */
function at(marker: string, token: string): string {
  const { line, column } = siteOf(FIXTURE, marker, token);
  return `(${F}:${line}:${column})`;
}

describe('a copy of the harness loaded inside a test', () => {
  test('through jest.isolateModules: its leak fails the test with the count and the site', () => {
    const name = 'isolated modules leaks a wrapper made by a copy loaded through jest.isolateModules';
    expect(statusOf(run, name)).toBe('failed');
    const text = failureOf(run, name);
    expect(text).toContain('LeakSanitizerError: Leak sanitizer: this test failed the leak check.');
    expect(text).toContain(
      "  - 1 wrapper of a heap ByteBuffer or array (100 bytes, wrapping the caller's memory) was created during the test, but not released.",
    );
    expect(text).toContain(`Leak 1: wrapper of a heap ByteBuffer or array x1 (100 bytes) created at `);
    expect(text).toContain(at('ISOLATED-LEAK', 'wrappedBuffer'));
    expect(text).toContain("SUMMARY: 1 leak(s), 100 byte(s) in scope 'isolated modules › leaks a wrapper made by a copy loaded through jest.isolateModules'");
  });

  test('after jest.resetModules: its leak fails the test with the count and the site', () => {
    const name = 'isolated modules leaks a buffer made by a copy loaded after jest.resetModules';
    expect(statusOf(run, name)).toBe('failed');
    const text = failureOf(run, name);
    expect(text).toContain(at('RESET-LEAK', 'directBuffer'));
    expect(text).toContain("SUMMARY: 1 leak(s), 8 byte(s) in scope 'isolated modules › leaks a buffer made by a copy loaded after jest.resetModules'");
  });

  test('a test whose isolated copy releases everything passes, and the run fails on the two leaks', () => {
    expect(statusOf(run, 'isolated modules releases what a copy loaded through jest.isolateModules made')).toBe('passed');
    expect([run.results.numTotalTests, run.results.numFailedTests]).toEqual([3, 2]);
    expect(run.code).toBe(1);
  });
});
