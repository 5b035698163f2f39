/**
 * The ledger's async context is on only while a scope is open (harness/tracking/scopeContext.ts).
 * Outside every scope is checked in a child process: in this file the jest sanitizer keeps each
 * test's own scope open around it.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ledger, Unpooled, type ByteBuf } from '../../../harness';
import { trackerOf } from '../../../harness/buffers/AbstractReferenceCountedByteBuf';

/** A child tsx process can take tens of seconds on a loaded CI runner. */
const CHILD_TIMEOUT_MS = 60_000;
const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const scopeOf = (buf: ByteBuf) => trackerOf(buf)?.scope ?? null;

describe('outside every scope (child process)', () => {
  let seen: Record<string, unknown>;
  beforeAll(() => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BYTEBUF_')) env[k] = v;
    const fixture = path.join(__dirname, 'fixtures', 'scope-context.ts');
    seen = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8', env, timeout: CHILD_TIMEOUT_MS })) as Record<string, unknown>;
  });

  test('before any scope, the root scope is current and the context is off', () => {
    expect(seen.before).toEqual([true, false]);
  });

  test('a scope counts after awaits and in timers it awaits; once it ended the context is off and the root counts', () => {
    expect(seen.inFirst).toEqual(['first', true, true]);
    expect(seen.timerInScope).toBe('first');
    expect(seen.afterFirst).toEqual([true, false, 2]);
    expect(seen.outside).toBe('<root>');
  });

  test('work a closed scope left running counts in the root scope when no scope is open', () => {
    expect(seen.lateAfterClose).toBe('<root>');
  });

  test('switched on again, interleaved and nested scopes count across awaits, each its own', () => {
    // Which scope each buffer counted in; the order of the timers is the machine's.
    expect([...(seen.interleaved as string[])].sort()).toEqual(['x/inner parent:x', 'x/inner:x/inner', 'x:x', 'y/inner parent:y', 'y/inner:y/inner', 'y:y']);
    expect(seen.afterInterleaved).toEqual([true, false]);
  });

  test('enterScope counts until disposed, then the context is off', () => {
    expect(seen.entered).toEqual(['entered', 'entered', true]);
    expect(seen.afterDispose).toEqual([true, false]);
  });

  test("runIn passes its function's rejection through and closes the scope", () => {
    expect(seen.runInRejection).toEqual(['rejected in runIn', false]);
  });

  test('enter(scope) keeps the scope open, and the context on, for good', () => {
    expect(seen.enteredForGood).toEqual(['for good', true]);
  });
});

describe('inside a test (its sanitizer scope open)', () => {
  test('work a closed nested scope left running counts in the open scope it was opened in', async () => {
    const test = ledger.current();
    let late: ByteBuf | undefined;
    const { scope } = ledger.scoped('nested', () => {
      setTimeout(() => (late = Unpooled.buffer(4)), 1);
    });
    await later(20);
    expect(scopeOf(late!)).toBe(test);
    expect(scope.createdCount).toBe(0);
    late!.release();
  });

  test('work left running by runIn counts in the scope while something else holds it open', async () => {
    const held = ledger.openScope('held');
    let late: ByteBuf | undefined;
    const outer = ledger.runIn(held, async () => {
      ledger.runIn(held, () => setTimeout(() => (late = Unpooled.buffer(4)), 1));
      await later(20);
    });
    await outer;
    expect(scopeOf(late!)).toBe(held);
    late!.release();
  });

  test('runIn gives back a native promise as a new promise with the same value, and another thenable as it is', async () => {
    const scope = ledger.openScope('results');
    const native = Promise.resolve(7);
    const fromNative = ledger.runIn(scope, () => native);
    expect(fromNative).not.toBe(native);
    expect(await fromNative).toBe(7);
    const thenable = { then: (resolve: (v: number) => void) => resolve(9) };
    expect(ledger.runIn(scope, () => thenable)).toBe(thenable);
  });
});
