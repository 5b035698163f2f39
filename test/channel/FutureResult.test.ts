/** The write future: synchronous inspection, awaiting, and no `unhandledRejection` for failures nobody awaits. */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ClosedChannelException, FutureResult } from '../../channel';
import { nextTurn } from './helpers';

/** A child tsx process can take tens of seconds on a loaded CI runner. */
const CHILD_TIMEOUT_MS = 60_000;

/** Runs the fixture in a child Node process (Jest's sandbox hides `unhandledRejection`). */
function runUnhandledRejectionFixture(): { channelSeen: number; seen: string[] } {
  const fixture = path.join(__dirname, 'fixtures', 'unhandled-rejections.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  return JSON.parse(out.trim()) as { channelSeen: number; seen: string[] };
}

describe('FutureResult', () => {
  test('pending, then succeeded: isDone, result, error and await', async () => {
    const f = new FutureResult();
    expect([f.isDone(), f.result(), f.error()]).toEqual([false, undefined, null]);
    expect(f.done(42, null)).toBe(true);
    expect(f.done(7, new Error('late'))).toBe(false);
    expect([f.isDone(), f.result(), f.error()]).toEqual([true, 42, null]);
    expect(await f).toBe(42);
    expect(String(f)).toBe('[object FutureResult]');
  });

  test('pending while awaited, then failed: the awaiting side gets the very error', async () => {
    const f = new FutureResult();
    const error = new Error('boom');
    const awaited = (async () => {
      try {
        await f;
        return 'resolved';
      } catch (e) {
        return e;
      }
    })();
    await nextTurn();
    f.done(3, error);
    expect(await awaited).toBe(error);
    expect([f.isDone(), f.result(), f.error()]).toEqual([true, undefined, error]);
  });

  test('FutureResult.failed is done at once with 0 bytes', async () => {
    const error = new ClosedChannelException();
    const f = FutureResult.failed(error);
    expect([f.isDone(), f.result(), f.error()]).toEqual([true, undefined, error]);
    await expect(f).rejects.toBe(error);
  });

  test('failed writes that nobody awaits never raise unhandledRejection (process-level listener, child process)', () => {
    expect(runUnhandledRejectionFixture()).toEqual({ channelSeen: 0, seen: ['control'] });
  }, CHILD_TIMEOUT_MS + 10_000);
});
