import { createProgress, PLAIN_EVERY_MS, PROGRESS_AFTER_MS } from '../../../scripts/leak-tests/progress';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('progress', () => {
  it('prints nothing for a short run', () => {
    const out: string[] = [];
    for (const [tty, after] of [[true, PROGRESS_AFTER_MS], [false, PLAIN_EVERY_MS]] as const) {
      const c = clock();
      const p = createProgress({ write: (s: string) => out.push(s), isTTY: tty, columns: 80 }, c.now);
      p.runStarted('a [fixed]', 0, 3);
      p.runEnded(1, 3, 0);
      c.advance(after - 1);
      p.runStarted('b [fixed]', 1, 3);
      p.runEnded(2, 3, 0);
      p.finish();
    }
    expect(out).toEqual([]);
  });

  it('on a TTY rewrites one line, cut to the terminal width, and erases it at the end', () => {
    const out: string[] = [];
    const c = clock();
    const p = createProgress({ write: (s: string) => out.push(s), isTTY: true, columns: 41 }, c.now);
    c.advance(PROGRESS_AFTER_MS);
    p.runStarted('a-very-long-scenario-name-here [regression]', 5, 81);
    c.advance(10);
    p.runStarted('too soon [fixed]', 6, 81);
    c.advance(100);
    p.runStarted('b [fixed]', 7, 81);
    p.finish();
    expect(out).toEqual([
      '\r\x1b[Kleak-tests [5/81] 0.5 s a-very-long-scen',
      '\r\x1b[Kleak-tests [7/81] 0.6 s b [fixed]',
      '\r\x1b[K',
    ]);
  });

  it('elsewhere prints a plain line from the first few seconds on, at most every few seconds, never after the last run', () => {
    const out: string[] = [];
    const c = clock();
    const p = createProgress({ write: (s: string) => out.push(s) }, c.now);
    c.advance(PLAIN_EVERY_MS - 1);
    p.runEnded(5, 81, 0);
    c.advance(1);
    p.runEnded(10, 81, 1);
    c.advance(PLAIN_EVERY_MS - 1);
    p.runEnded(11, 81, 1);
    c.advance(1);
    p.runEnded(40, 81, 2);
    c.advance(PLAIN_EVERY_MS);
    p.runEnded(81, 81, 2);
    p.finish();
    expect(out).toEqual(['leak-tests: 10/81 runs done, 1 failed so far (2.0 s)\n', 'leak-tests: 40/81 runs done, 2 failed so far (4.0 s)\n']);
  });
});
