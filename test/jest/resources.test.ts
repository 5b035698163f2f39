/**
 * The resources check under jest, end to end: the shared resource cases run in a child jest with
 * the sanitizer and the leak reporter; each case that leaves a resource open (or an operation
 * pending, or a tracked resource unreleased) fails with its kind, its site and its fix, each case
 * that closes it passes, and the reporter's summary counts the resources.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LeakRunSummary } from '../../harness/jest';
import { LEAKING, PASSING, resourceLine } from '../harness/resources/expectations';
import { failureOf, fileError, readSummary, runFixtures, statusOf, type FixtureRun } from './fixtureRunner';

const FIXTURE = 'test/jest/fixtures/resources.fixture.ts';
const FILE = 'test/jest/fixtures/resources.fixture.ts';

let tmp: string;
let run: FixtureRun;
let off: FixtureRun;
let summary: LeakRunSummary;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'jest-resources-test-'));
  const args = ['--runInBand', '--testPathIgnorePatterns', '/node_modules/', '--', FIXTURE];
  [run, off] = await Promise.all([
    runFixtures(args, path.join(tmp, 'results.json'), { LEAK_FIXTURE_OUTPUT: path.join(tmp, 'leaks.json') }),
    runFixtures(args, path.join(tmp, 'off-results.json'), { BYTEBUF_JEST_RESOURCES: 'off' }),
  ]);
  summary = readSummary(path.join(tmp, 'leaks.json'));
}, 120_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe.each(LEAKING)('$title', (c) => {
  test('fails with the kind, the site in the user code and the fix', () => {
    const name = `resources ${c.title}`;
    expect(statusOf(run, name)).toBe('failed');
    const text = failureOf(run, name);
    expect(text).toContain('LeakSanitizerError: Leak sanitizer: this test failed the leak check.');
    expect(text).toContain(`\n${c.overview}\n`);
    expect(text).toMatch(resourceLine(c));
    expect(text).toContain("For a resource kept open on purpose: leakSanitizer.optOut('<reason>', 'resources:<kind>') for its kind, or 'resources' for every kind.");
  });
});

describe('the run', () => {
  test('each case that closes what it opened passes, and so does the opted-out one', () => {
    for (const title of PASSING) expect([title, statusOf(run, `resources ${title}`)]).toEqual([title, 'passed']);
    expect([run.results.numTotalTests, run.results.numFailedTests]).toEqual([19, 9]);
    expect(run.code).toBe(1);
  });

  test('the server made in beforeAll and the sockets it accepted are never blamed: no file-level finding', () => {
    expect(fileError(run, 'resources.fixture.ts')).toBe('');
  });

  test('the summary counts the resources beside the buffers, and the per-kind opt-out with what it hid', () => {
    expect([summary.testsChecked, summary.testsLeaked, summary.leaks, summary.resources]).toEqual([19, 9, 0, 9]);
    expect(summary.leakingTests.map((t) => [t.test, t.resources])).toEqual(
      [...LEAKING].map((c) => [`resources › ${c.title}`, 1]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    expect(summary.optOuts).toEqual([
      {
        file: FILE,
        reason: 'the fixture keeps this server on purpose',
        checks: ['resources:server'],
        where: 'test',
        tests: 1,
        suppressed: { leaks: 0, misuses: 0, timers: 0, resources: 1 },
      },
    ]);
    expect(run.stdout + run.stderr).toContain(
      `  ${FILE} (test, 1 test(s)), resources:server: "the fixture keeps this server on purpose"; would have reported 0 leak(s), 0 misuse(s), 0 timer(s), 1 resource(s)`,
    );
  });

  test('BYTEBUF_JEST_RESOURCES=off: no resource is checked, every test passes', () => {
    expect([off.results.numTotalTests, off.results.numFailedTests]).toEqual([19, 0]);
    expect(off.code).toBe(0);
  });
});
