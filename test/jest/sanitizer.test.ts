/**
 * The sanitizer and the reporter, end to end: the fixture suites run in child jest processes with
 * their own config (setup file + reporter), and these tests read what CI would see: each test's
 * status and failure text, the file-level errors, the reporter's summary, its JSON, the exit code.
 * Six child runs, started two at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode, main as mergeMain } from '../../scripts/merge-jest-leak-reports/main';
import type { LeakRunSummary } from '../../harness/jest';
import { failureOf, fileError, readSummary, runFixtures, siteOf, statusOf, type FixtureRun } from './fixtureRunner';

const W = 'test/jest/fixtures/wrappers.fixture.ts';
const A = 'test/jest/fixtures/async.fixture.ts';
const T = 'test/jest/fixtures/timers.fixture.ts';
const H = 'test/jest/fixtures/hooks.fixture.ts';
const L = 'test/jest/fixtures/late.fixture.ts';

/** `(file:line:col)` of a marked fixture line. */
function at(file: string, marker: string, token: string): string {
  const { line, column } = siteOf(path.basename(file), marker, token);
  return `(${file}:${line}:${column})`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let tmp: string;
let full: FixtureRun;
let shard1: FixtureRun;
let shard2: FixtureRun;
let reportMode: FixtureRun;
let clean: FixtureRun;
let lateReport: FixtureRun;
let summary: LeakRunSummary;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'jest-sanitizer-test-'));
  const out = (name: string): string => path.join(tmp, name);
  // Two jest workers in the full run: the records must come back from worker processes.
  [full, shard1] = await Promise.all([
    runFixtures(['-w', '2'], out('full-results.json'), { LEAK_FIXTURE_OUTPUT: out('full-leaks.json') }),
    runFixtures(['--runInBand', '--shard=1/2'], out('shard1-results.json'), { LEAK_FIXTURE_OUTPUT: out('leaks.json') }),
  ]);
  [shard2, reportMode] = await Promise.all([
    runFixtures(['--runInBand', '--shard=2/2'], out('shard2-results.json'), { LEAK_FIXTURE_OUTPUT: out('leaks.json') }),
    runFixtures(['--runInBand', W, '-t', 'leaks two wrappers'], out('report-results.json'), { BYTEBUF_JEST_SANITIZER: 'report' }),
  ]);
  [clean, lateReport] = await Promise.all([
    runFixtures(['--runInBand', W, '-t', 'releases everything'], out('clean-results.json')),
    // Report mode: no test or file fails, so only the reporter can fail the run on late leaks.
    runFixtures(['--runInBand', L], out('late-results.json'), { BYTEBUF_JEST_SANITIZER: 'report' }),
  ]);
  summary = readSummary(out('full-leaks.json'));
}, 120_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('a test that leaks', () => {
  test('fails with the exact count, bytes and site of its two wrappers', () => {
    expect(statusOf(full, 'wrappers leaks two wrappers')).toBe('failed');
    const text = failureOf(full, 'wrappers leaks two wrappers');
    expect(text).toContain('LeakSanitizerError: Leak sanitizer: this test failed the leak check.');
    expect(text).toContain(
      "  - 2 wrappers of heap ByteBuffers or arrays (200 bytes, wrapping the caller's memory) were created during the test, but not released.",
    );
    expect(text).toMatch(
      new RegExp(`^Leak 1: wrapper of a heap ByteBuffer or array x2 \\(200 bytes\\) created at .+ ${escape(at(W, 'LEAK-SITE', 'wrappedBuffer'))}$`, 'm'),
    );
    expect(text.match(/left at refCnt 1, wraps the caller's memory \(owns none\)/g)).toHaveLength(2);
    expect(text).toContain("SUMMARY: 2 leak(s), 200 byte(s) in scope 'wrappers › leaks two wrappers'");
    expect(text).toContain('Hint: The owner of a wrapper releases it');
    expect(text).toContain('Usual fixes: release each buffer in the callback that finishes with it, or in a try/finally around its use;');
  });

  test('that double-releases fails naming the first and the second release', () => {
    const text = failureOf(full, 'wrappers double release');
    expect(text.split('\n')[0]).toBe('IllegalReferenceCountException: refCnt: 0, decrement: 1');
    expect(text).toContain('First released at:');
    expect(text).toContain(at(W, 'FIRST-RELEASE', 'release'));
    // jest keeps the thrown error's own stack frames absolute
    const second = siteOf('wrappers.fixture.ts', 'SECOND-RELEASE', 'release');
    expect(text).toContain(`wrappers.fixture.ts:${second.line}:${second.column})`);
  });

  test('that swallows a double release still fails, naming both releases', () => {
    const text = failureOf(full, 'wrappers swallows a double release');
    expect(text).toContain('  - 1 over-release during the test: release() on a buffer whose count had already reached 0.');
    expect(text).toMatch(new RegExp(`^Misuse 1: over-release of buffer #\\d+: refCnt: 0, decrement: 1\\n    ↳ .+ ${escape(at(W, 'SWALLOWED-RELEASE', 'release'))}$`, 'm'));
    expect(text).toMatch(new RegExp(`First released at:\\n      ↳ .+ ${escape(at(W, 'SWALLOWED-FIRST', 'release'))}`));
  });

  test('that opts out passes, and one that releases everything passes', () => {
    expect(statusOf(full, 'wrappers opts out')).toBe('passed');
    expect(statusOf(full, 'wrappers releases everything')).toBe('passed');
  });
});

describe('blame', () => {
  test('a leak in a callback after an await is blamed on the test that started it, not the next one', () => {
    const text = failureOf(full, 'async leaks in a callback after an await');
    expect(text).toMatch(new RegExp(`^Leak 1: wrapper of a heap ByteBuffer or array x1 \\(32 bytes\\) created at .+ ${escape(at(A, 'CALLBACK-LEAK', 'wrappedBuffer'))}$`, 'm'));
    expect(statusOf(full, 'async next test: allocates and releases')).toBe('passed');
  });

  test('a buffer still in flight when the test returns, released on the next tick, is not a leak', () => {
    expect(statusOf(full, 'async in flight at the end, released on the next tick')).toBe('passed');
    expect(statusOf(full, 'timers a short timer that fires within the bound')).toBe('passed');
  });

  test('a buffer its timer or readFile callback releases is waited for even when the event loop stalls for 300 ms first', () => {
    expect(statusOf(full, 'timers its timer releases the buffer after the loop stalls for 300 ms')).toBe('passed');
    expect(statusOf(full, 'async its readFile callback releases the buffer after the loop stalls for 300 ms')).toBe('passed');
  });

  test('a leak made after the test finished is reported under its name, and the test running then passes', () => {
    expect(statusOf(full, 'async leaks after it finished')).toBe('passed');
    expect(statusOf(full, 'async busy while the late callback runs')).toBe('passed');
    const text = fileError(full, 'async.fixture.ts');
    expect(text).toContain("LeakSanitizerError: Leak sanitizer: test 'async › leaks after it finished' (after it finished) failed the leak check.");
    expect(text).toMatch(new RegExp(`x1 \\(48 bytes\\) created at .+ ${escape(at(A, 'LATE-LEAK', 'wrappedBuffer'))}`));
  });

  test('each row, concurrent test and done-callback test is blamed for its own leaks only', () => {
    expect(failureOf(full, 'declarations each: leaks 1 wrapper(s)')).toMatch(/x1 \(10 bytes\) created at \S+ \(test\/jest\/fixtures\/hooks\.fixture\.ts:\d+:\d+\)/);
    expect(failureOf(full, 'declarations each: leaks 2 wrapper(s)')).toContain(`x2 (20 bytes) created at`);
    expect(failureOf(full, 'declarations each: leaks 2 wrapper(s)')).toContain(at(H, 'EACH-LEAK', 'wrappedBuffer'));
    expect(failureOf(full, 'declarations concurrent: leaks one')).toContain(at(H, 'CONCURRENT-LEAK', 'wrappedBuffer'));
    expect(statusOf(full, 'declarations concurrent: clean')).toBe('passed');
    expect(failureOf(full, 'declarations done callback: leaks in the callback')).toContain(at(H, 'DONE-LEAK', 'wrappedBuffer'));
  });

  test('buffers made in beforeEach and released in afterEach count in the test; beforeAll leaks fail the file', () => {
    expect(statusOf(full, 'declarations uses the shared buffer and a lazily made singleton')).toBe('passed');
    const text = fileError(full, 'hooks.fixture.ts');
    expect(text).toContain("Leak sanitizer: this file's beforeAll/afterAll hooks failed the leak check.");
    expect(text).toContain('  - 1 heap buffer (64 bytes, owned) was created in beforeAll/afterAll hooks, but not released.');
    expect(text).toContain(at(H, 'HOOK-LEAK', 'buffer'));
  });

  test('a describe-level opt-out covers the tests of its block', () => {
    expect(statusOf(full, 'opted-out block leaks, allowed by its block')).toBe('passed');
  });
});

describe('work a test started that leaks after its check', () => {
  test('a readFile callback of the last test of a file fails the file, naming the test (after it finished) and the line', () => {
    expect(statusOf(full, 'late last test: its readFile callback leaks after it finished')).toBe('passed');
    const text = fileError(full, 'late.fixture.ts');
    expect(text).toContain(
      "LeakSanitizerError: Leak sanitizer: test 'late › last test: its readFile callback leaks after it finished' (after it finished) failed the leak check.",
    );
    expect(text).toContain(
      "  - 1 wrapper of a heap ByteBuffer or array (40 bytes, wrapping the caller's memory) was created by work the test started, after the test had finished, but not released.",
    );
    expect(text).toMatch(new RegExp(`Leak 1: wrapper of a heap ByteBuffer or array x1 \\(40 bytes\\) created at \\S+ ${escape(at(L, 'READFILE-LATE-LEAK', 'wrappedBuffer'))}`));
    expect(text).toContain("SUMMARY: 1 leak(s), 40 byte(s) in scope 'late › last test: its readFile callback leaks after it finished'");
  });

  test('a timer that allocates after a fast following test began fails the file under the test that started it', () => {
    expect(statusOf(full, 'late starts a timer that leaks after the next test began')).toBe('passed');
    expect(statusOf(full, 'late a fast test')).toBe('passed');
    const text = fileError(full, 'late.fixture.ts');
    expect(text).toContain(
      "LeakSanitizerError: Leak sanitizer: test 'late › starts a timer that leaks after the next test began' (after it finished) failed the leak check.",
    );
    expect(text).toMatch(new RegExp(`Leak 1: wrapper of a heap ByteBuffer or array x1 \\(24 bytes\\) created at \\S+ ${escape(at(L, 'TIMER-LATE-LEAK', 'wrappedBuffer'))}`));
    expect(text).not.toContain("test 'late › a fast test'");
  });

  test('the reporter alone fails the run on them (report mode), counting both tests', () => {
    expect(lateReport.results.numFailedTests).toBe(0);
    expect(fileError(lateReport, 'late.fixture.ts')).toBe('');
    expect(lateReport.code).toBe(1);
    const lines = lateReport.stderr.split('\n');
    const start = lines.findIndex((l) => l.startsWith('Leak sanitizer: '));
    expect(lines.slice(start, start + 4)).toEqual([
      'Leak sanitizer: 2 of 3 test(s) leaked (1 file(s) checked): 2 leak(s), 64 byte(s).',
      'Tests that leaked:',
      `  ${L} › late › last test: its readFile callback leaks after it finished (after the test finished): 1 leak(s), 40 byte(s)`,
      `  ${L} › late › starts a timer that leaks after the next test began (after the test finished): 1 leak(s), 24 byte(s)`,
    ]);
    expect(lateReport.stderr).toContain('leak-sanitizer: 3 test(s) checked, 2 leaked, 1 opt-out(s)');
  });
});

describe('timers', () => {
  test('a timeout left open fails the test, naming where it was started', () => {
    const text = failureOf(full, 'timers leaves a timeout open');
    expect(text).toContain(
      '  - 1 timer (setTimeout, 10000 ms) was started during the test, but never fired or cleared: call clearTimeout() before the test ends, or await what it waits for.',
    );
    expect(text).toMatch(new RegExp(`^Timer 1: setTimeout, 10000 ms, still pending, started at .+ ${escape(at(T, 'TIMEOUT-SITE', 'setTimeout'))}$`, 'm'));
  });

  test('an interval started after an await fails the test; a cleared timer passes', () => {
    expect(failureOf(full, 'timers leaves an interval open after an await')).toMatch(
      new RegExp(`^Timer 1: setInterval, 10000 ms, still pending, started at .+ ${escape(at(T, 'INTERVAL-SITE', 'setInterval'))}$`, 'm'),
    );
    expect(statusOf(full, 'timers clears its timer')).toBe('passed');
  });
});

describe('the reporter', () => {
  test('the run exits 1, with exactly the failing tests expected', () => {
    expect(full.code).toBe(1);
    expect([...full.byName].filter(([, a]) => a.status === 'failed').map(([name]) => name).sort()).toEqual([
      'async leaks in a callback after an await',
      'declarations concurrent: leaks one',
      'declarations done callback: leaks in the callback',
      'declarations each: leaks 1 wrapper(s)',
      'declarations each: leaks 2 wrapper(s)',
      'timers leaves a timeout open',
      'timers leaves an interval open after an await',
      'wrappers double release',
      'wrappers leaks two wrappers',
      'wrappers swallows a double release',
    ]);
    expect(full.results.numTotalTests).toBe(26);
  });

  test('prints the summary: tests that leaked, totals, worst sites, opt-outs, and a closing line', () => {
    const lines = full.stderr.split('\n');
    const start = lines.findIndex((l) => l.startsWith('Leak sanitizer: '));
    const end = lines.findIndex((l) => l.startsWith('leak-sanitizer: 25 test(s)'));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(lines.slice(start, end + 1)).toEqual([
      'Leak sanitizer: 13 of 25 test(s) leaked (5 file(s) checked): 12 leak(s), 488 byte(s), 1 over-release(s) or use(s) after free, 2 timer(s) left open.',
      'Tests that leaked:',
      `  ${A} › async › leaks after it finished (after the test finished): 1 leak(s), 48 byte(s)`,
      `  ${A} › async › leaks in a callback after an await: 1 leak(s), 32 byte(s)`,
      `  ${H} › (beforeAll/afterAll hooks): 1 leak(s), 64 byte(s)`,
      `  ${H} › declarations › concurrent: leaks one: 1 leak(s), 20 byte(s)`,
      `  ${H} › declarations › done callback: leaks in the callback: 1 leak(s), 30 byte(s)`,
      `  ${H} › declarations › each: leaks 1 wrapper(s): 1 leak(s), 10 byte(s)`,
      `  ${H} › declarations › each: leaks 2 wrapper(s): 2 leak(s), 20 byte(s)`,
      `  ${L} › late › last test: its readFile callback leaks after it finished (after the test finished): 1 leak(s), 40 byte(s)`,
      `  ${L} › late › starts a timer that leaks after the next test began (after the test finished): 1 leak(s), 24 byte(s)`,
      `  ${T} › timers › leaves a timeout open: 0 leak(s), 0 byte(s), 1 timer(s) left open`,
      `  ${T} › timers › leaves an interval open after an await: 0 leak(s), 0 byte(s), 1 timer(s) left open`,
      `  ${W} › wrappers › leaks two wrappers: 2 leak(s), 200 byte(s)`,
      `  ${W} › wrappers › swallows a double release: 0 leak(s), 0 byte(s), 1 over-release(s) or use(s) after free`,
      'Worst sites:',
      expect.stringMatching(new RegExp(`^  x3 \\(30 byte\\(s\\)\\) in 2 test\\(s\\): .+ ${escape(at(H, 'EACH-LEAK', 'wrappedBuffer'))}$`)),
      expect.stringMatching(new RegExp(`^  x2 \\(200 byte\\(s\\)\\) in 1 test\\(s\\): .+ ${escape(at(W, 'LEAK-SITE', 'wrappedBuffer'))}$`)),
      expect.stringMatching(new RegExp(`^  x1 \\(64 byte\\(s\\)\\) in 1 test\\(s\\): .+ ${escape(at(H, 'HOOK-LEAK', 'buffer'))}$`)),
      expect.stringMatching(new RegExp(`^  x1 \\(48 byte\\(s\\)\\) in 1 test\\(s\\): .+ ${escape(at(A, 'LATE-LEAK', 'wrappedBuffer'))}$`)),
      expect.stringMatching(new RegExp(`^  x1 \\(40 byte\\(s\\)\\) in 1 test\\(s\\): .+ ${escape(at(L, 'READFILE-LATE-LEAK', 'wrappedBuffer'))}$`)),
      '  ... and 4 more site(s)',
      'Opted out:',
      `  ${A} (test, 1 test(s)), timers: "the timer is how this test leaks late"; would have reported 0 leak(s), 0 misuse(s), 1 timer(s)`,
      `  ${H} (describe 'opted-out block', 1 test(s)), leaks: "this block shows a describe-level opt-out"; would have reported 1 leak(s), 0 misuse(s), 0 timer(s)`,
      `  ${L} (test, 1 test(s)), timers: "the timer is how this test leaks late"; would have reported 0 leak(s), 0 misuse(s), 1 timer(s)`,
      // optOut(reason) with no checks switches every whole check off, the resources check included.
      `  ${W} (test, 1 test(s)), leaks, misuses, timers, resources: "deliberate leak: this test shows the opt-out"; would have reported 1 leak(s), 0 misuse(s), 0 timer(s)`,
      'leak-sanitizer: 25 test(s) checked, 13 leaked, 4 opt-out(s)',
    ]);
  });

  test('writes the same totals to its JSON summary, records collected from two worker processes', () => {
    expect(summary).toMatchObject({
      shards: [],
      files: 5,
      testsChecked: 25,
      testsLeaked: 13,
      leaks: 12,
      bytes: 488,
      misuses: 1,
      timers: 2,
    });
    expect(summary.leakingTests).toHaveLength(13);
    expect(summary.sites).toHaveLength(9);
    expect(summary.optOuts.map((o) => o.reason)).toEqual([
      'the timer is how this test leaks late',
      'this block shows a describe-level opt-out',
      'the timer is how this test leaks late',
      'deliberate leak: this test shows the opt-out',
    ]);
  });

  test('fails the run even when every test passed: report mode lets leaking tests pass', () => {
    expect(reportMode.results.numPassedTests).toBe(1);
    expect(reportMode.results.numFailedTests).toBe(0);
    expect(statusOf(reportMode, 'wrappers leaks two wrappers')).toBe('passed');
    expect(reportMode.code).toBe(1);
    expect(reportMode.stderr).toContain('leak-sanitizer: 1 test(s) checked, 1 leaked, 0 opt-out(s)');
  });

  test('a run without leaks exits 0 and says so', () => {
    expect(clean.code).toBe(0);
    expect(statusOf(clean, 'wrappers releases everything')).toBe('passed');
    expect(clean.stderr).toContain('Leak sanitizer: no leaks in 1 test(s) checked in 1 file(s).');
    expect(clean.stderr).toContain('leak-sanitizer: 1 test(s) checked, 0 leaked, 0 opt-out(s)');
  });
});

describe('sharding', () => {
  test('each shard reports its own part, to its own file', () => {
    const part1 = readSummary(path.join(tmp, 'leaks.shard-1-of-2.json'));
    const part2 = readSummary(path.join(tmp, 'leaks.shard-2-of-2.json'));
    expect(part1.shards).toEqual(['1/2']);
    expect(part2.shards).toEqual(['2/2']);
    expect(part1.files + part2.files).toBe(5);
    expect(part1.files).toBeGreaterThan(0);
    expect(part2.files).toBeGreaterThan(0);
    expect(shard1.code).toBe(1);
    expect(shard2.code).toBe(1);
    expect(shard1.stderr).toContain('Leak sanitizer (shard 1/2): ');
  });

  test('the two parts merge into the totals of the unsharded run', () => {
    const merged = path.join(tmp, 'merged.json');
    const printed: string[] = [];
    const code = mergeMain(
      ['--output', merged, path.join(tmp, 'leaks.shard-1-of-2.json'), path.join(tmp, 'leaks.shard-2-of-2.json')],
      (t) => printed.push(t),
      (t) => printed.push(t),
    );
    expect(code).toBe(ExitCode.Leaks);
    const result = readSummary(merged);
    expect(result.shards).toEqual(['1/2', '2/2']);
    expect({ ...result, shards: [] }).toEqual(summary);
    expect(printed.join('')).toContain('leak-sanitizer: 25 test(s) checked, 13 leaked, 4 opt-out(s)');
  });
});
