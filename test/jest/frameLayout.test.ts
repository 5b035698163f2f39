/**
 * Messages that quote frames survive jest's printing: jest takes every message line that starts
 * with optional spaces and `at ` for the stack and moves it away, so reports quote frames as
 * `↳ fn (file:line:col)`. The fixture fails twice (a leak report with creation frames and a path,
 * a double release naming both releases) in a child jest; this reads jest's printed output (what a
 * developer sees), not the JSON results.
 */
import { runOwnFixture, siteOf, type FixtureRun } from './fixtureRunner';

const FIXTURE = 'frames.fixture.ts';
const F = `test/jest/fixtures/${FIXTURE}`;

let run: FixtureRun;

beforeAll(async () => {
  run = await runOwnFixture(FIXTURE);
}, 60_000);

/** The printed failure of one test, each line without jest's indentation. */
function printedFailure(title: string): string[] {
  const lines = run.stderr.split('\n');
  const start = lines.indexOf(`  ● ${title}`);
  if (start < 0) throw new Error(`no printed failure for '${title}' in:\n${run.stderr}`);
  let end = lines.findIndex((l, i) => i > start && (l.startsWith('  ● ') || l.startsWith('Leak sanitizer: ')));
  if (end < 0) end = lines.length;
  return lines.slice(start + 1, end).map((l) => l.trim());
}

/** `(file:line:col)` of a marked fixture line's token. */
function at(marker: string, token: string): string {
  const { line, column } = siteOf(FIXTURE, marker, token);
  return `(${F}:${line}:${column})`;
}

/** A quoted frame line for the marked token: `↳ <fn> (file:line:col)`. */
function quoted(marker: string, token: string): RegExp {
  return new RegExp(`^↳ \\S+ ${at(marker, token).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

describe("jest's printed failure", () => {
  test('of a leaking test shows the creation frames under the leak line, and the path frames under their record', () => {
    const lines = printedFailure('frames › leaks a wrapper made in one helper and touched in another');
    const leak = lines.findIndex((l) => l.startsWith('Leak 1: '));
    expect(lines[leak]).toBe(`Leak 1: wrapper of a heap ByteBuffer or array x1 (50 bytes) created at makeWrapper ${at('MAKE', 'wrappedBuffer')}`);
    expect(lines[leak + 1]).toMatch(quoted('CALL', 'makeWrapper'));
    expect(lines[leak + 2]).toMatch(/^buffer #\d+: wrapper of a heap ByteBuffer or array, 50 bytes, left at refCnt 1/);
    expect(lines.slice(leak + 3, leak + 5)).toEqual(['path (newest first):', '#1: touch "handed over" -> refCnt 1']);
    expect(lines[leak + 5]).toMatch(quoted('TOUCH', 'touch'));
    expect(lines[leak + 6]).toMatch(quoted('CALL', 'handOver'));
  });

  test('of a double release shows each release frame under its heading', () => {
    const lines = printedFailure('frames › releases a buffer twice');
    const head = lines.indexOf('IllegalReferenceCountException: refCnt: 0, decrement: 1');
    expect(lines.slice(head + 1, head + 3)).toEqual([expect.stringMatching(/^Buffer #\d+ \(heap, 8 bytes\)$/), 'First released at:']);
    expect(lines[head + 3]).toMatch(quoted('FIRST-RELEASE', 'release'));
    expect(lines[head + 4]).toMatch(/^↳ \S+ \(test\/jest\/fixtures\/frames\.fixture\.ts:\d+:\d+\)$/);
    expect(lines[head + 5]).toBe('Created at:');
    expect(lines[head + 6]).toMatch(/^↳ \S+ \(test\/jest\/fixtures\/frames\.fixture\.ts:\d+:\d+\)$/);
  });

  test('has no invisible characters, and its only `at` lines are the real stack, after the code frame', () => {
    for (const title of ['frames › leaks a wrapper made in one helper and touched in another', 'frames › releases a buffer twice']) {
      const lines = printedFailure(title);
      expect(lines.join('\n')).not.toMatch(/[\u200b\u200c\u200d\u2060\ufeff]/);
      const codeFrame = lines.findIndex((l) => l.startsWith('> '));
      const firstAt = lines.findIndex((l) => l.startsWith('at '));
      expect(codeFrame).toBeGreaterThan(0);
      expect(firstAt).toBeGreaterThan(codeFrame);
      expect(lines.slice(0, codeFrame).filter((l) => l.startsWith('↳ ')).length).toBeGreaterThanOrEqual(3);
    }
    expect(run.code).toBe(1);
  });
});
