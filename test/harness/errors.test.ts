/**
 * Errors that quote stack frames in their message (where a buffer was freed and made; leak
 * reports) quote them as `    ↳ fn (file:line:col)`, with no line that jest would take for the
 * start of the stack (`at …`) and no invisible characters, and their `stack` starts at the
 * caller's line, not inside the harness.
 */
import { LeakError, Unpooled, type IllegalReferenceCountException } from '../../harness';
import { inScope, useSettings } from './support';

useSettings({ level: 'paranoid', exactLedger: true });

/** The lines of a message jest would take for stack frames (and move away from the message). */
function linesJestMovesAway(message: string): string[] {
  return message.split('\n').filter((l) => /^\s*at /.test(l));
}

/** The frame lines of `error.stack` after its message. */
function realFrames(error: Error): string[] {
  expect(error.stack!.startsWith(`${error.name}: ${error.message}\n`)).toBe(true);
  return error.stack!.slice(`${error.name}: ${error.message}`.length).split('\n').filter((l) => /^\s*at /.test(l));
}

describe('IllegalReferenceCountException', () => {
  it('keeps Netty\'s exact first line, quotes its frames under their headings, and its stack starts at the caller', () => {
    let error: IllegalReferenceCountException | undefined;
    let marker: Error | undefined;
    // A scope of its own: the double release is noted there, not in the test's sanitizer scope.
    inScope('double-release', () => {
      const buf = Unpooled.buffer(8);
      buf.release();
      marker = new Error(); try { buf.release(); } catch (e) { error = e as IllegalReferenceCountException; } // SAME LINE
    });
    const line = Number(/errors\.test\.ts:(\d+)/.exec(marker!.stack!)![1]);
    expect(error!.message.split('\n')[0]).toBe('refCnt: 0, decrement: 1');
    expect(error!.message).toMatch(new RegExp(`\\nFirst released at:\\n    ↳ \\S+ \\(test/harness/errors\\.test\\.ts:${line - 1}:\\d+\\)\\n`));
    expect(error!.message).toMatch(/\nCreated at:\n    ↳ \S+ \(test\/harness\/errors\.test\.ts:\d+:\d+\)/);
    expect(error!.message.split('\n').slice(1).every((l) => l === 'First released at:' || l === 'Created at:' || l.startsWith('    ↳ ') || l.startsWith('Buffer #'))).toBe(true);
    expect(linesJestMovesAway(error!.message)).toEqual([]);
    expect(error!.message).not.toMatch(/[\u200b\u200c\u200d\ufeff]/);
    expect(realFrames(error!)[0]).toMatch(new RegExp(`errors\\.test\\.ts:${line}:\\d+\\)$`));
  });

  it('an untracked buffer gives the bare Netty text', () => {
    let error: IllegalReferenceCountException | undefined;
    inScope('untracked', () => {
      const buf = Unpooled.buffer(8);
      (buf as unknown as { leak: null }).leak = null;
      buf.release();
      try {
        buf.retain();
      } catch (e) {
        error = e as IllegalReferenceCountException;
      }
    });
    expect(error!.message).toBe('refCnt: 0, increment: 1');
  });
});

describe('LeakError', () => {
  it('quotes the frames of its report without `at`, and its stack starts at the caller of check()', () => {
    const scope = inScope('leak-error', () => {
      Unpooled.buffer(4);
    });
    let error: LeakError | undefined;
    let marker: Error | undefined;
    marker = new Error(); try { scope.check(); } catch (e) { error = e as LeakError; } // SAME LINE
    const line = Number(/errors\.test\.ts:(\d+)/.exec(marker.stack!)![1]);
    expect(error!.name).toBe('LeakError');
    expect(error!.code).toBe('ERR_BUFFER_LEAK');
    expect(error!.message).toContain('Leak 1: heap buffer x1 (4 bytes) created at ');
    expect(error!.message).toContain(`SUMMARY: 1 leak(s), 4 byte(s) in scope 'leak-error'`);
    expect(linesJestMovesAway(error!.message)).toEqual([]);
    expect(error!.message).not.toMatch(/[\u200b\u200c\u200d\ufeff]/);
    expect(realFrames(error!)[0]).toMatch(new RegExp(`errors\\.test\\.ts:${line}:\\d+\\)$`));
  });
});
