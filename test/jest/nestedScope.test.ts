/**
 * Work a test starts inside a nested `ledger.scoped()` (as the scenario engine's replays do) is the
 * test's: a timer left pending there fails the test with its site, like one started in the test's
 * own scope. The fixture runs in a child jest with the sanitizer.
 */
import { failureOf, runOwnFixture, siteOf, statusOf, type FixtureRun } from './fixtureRunner';

const FIXTURE = 'nested-scope.fixture.ts';
const F = `test/jest/fixtures/${FIXTURE}`;

let run: FixtureRun;

beforeAll(async () => {
  run = await runOwnFixture(FIXTURE);
}, 60_000);

describe('a timer started in a nested ledger scope', () => {
  test('left pending, it fails the test that opened the scope, naming where it was started', () => {
    const name = 'nested scope leaves a timeout open inside its own ledger.scoped';
    expect(statusOf(run, name)).toBe('failed');
    const text = failureOf(run, name);
    expect(text).toContain(
      '  - 1 timer (setTimeout, 60000 ms) was started during the test, but never fired or cleared: call clearTimeout() before the test ends, or await what it waits for.',
    );
    const { line, column } = siteOf(FIXTURE, 'NESTED-TIMEOUT-SITE', 'setTimeout');
    expect(text).toMatch(/^Timer 1: setTimeout, 60000 ms, still pending, started at /m);
    expect(text).toContain(`(${F}:${line}:${column})`);
  });

  test('cleared, it passes; the run fails on the one timer', () => {
    expect(statusOf(run, 'nested scope clears the timeout it started inside its own ledger.scoped')).toBe('passed');
    expect([run.results.numTotalTests, run.results.numFailedTests]).toEqual([2, 1]);
    expect(run.code).toBe(1);
  });
});
