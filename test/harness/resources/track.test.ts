/**
 * `track()`: a resource of the user's joins the exact ledger of the scope current when tracked,
 * shows in its report, its `check()` and the leak matchers, and leaves it once released (by the
 * method named, by Symbol.dispose, or when its release check says so).
 */
import { IllegalArgumentException, IllegalStateException, ledger, LeakError, track } from '../../../harness';
import { leakMatchers } from '../../../harness/jest';

expect.extend(leakMatchers);

class Pool {
  closed = false;
  close(): string {
    this.closed = true;
    return 'closed';
  }
}

describe('track', () => {
  test("counts in the scope until its release method has returned; the method's result passes through", () => {
    const { scope, result: pool } = ledger.scoped('pool', () => track(new Pool(), { kind: 'db pool', bytes: 64, release: 'close' }));
    expect([scope.liveCount, scope.liveBytes]).toEqual([1, 64]);
    expect(scope).toHaveLeaked(1);
    const report = scope.report();
    expect(report.groups[0]!.buffers[0]!.resource).toEqual({ kind: 'db pool', release: 'close()' });
    expect(() => scope.check()).toThrow(LeakError);
    expect(() => scope.check()).toThrow(/^Leak 1: tracked resource 'db pool' x1 \(64 bytes\) created at .+track\.test\.ts:\d+:\d+\)$/m);
    expect(() => scope.check()).toThrow(/^ {2}resource #\d+: tracked resource 'db pool', 64 bytes, not released: call close\(\)$/m);
    expect(() => scope.check()).toThrow('  Hint: Release the tracked resource when done with it: call close().');
    expect(pool.close()).toBe('closed');
    expect([scope.liveCount, scope.liveBytes]).toEqual([0, 0]);
    expect(scope).toHaveNoLeaks();
  });

  test('a Symbol.dispose object needs no release option; calling its [Symbol.dispose]() releases it', () => {
    const { scope } = ledger.scoped('lock', () => {
      const lock = track({ [Symbol.dispose]: (): void => undefined }, { kind: 'lock' });
      expect(ledger.current().liveCount).toBe(1);
      lock[Symbol.dispose]();
    });
    expect(scope).toHaveNoLeaks();
  });

  test('an async disposer is the release when both exist, and either releases it', async () => {
    const { scope, result } = ledger.scoped('conn', () =>
      track({ [Symbol.asyncDispose]: async (): Promise<void> => undefined, [Symbol.dispose]: (): void => undefined }, { kind: 'conn' }),
    );
    expect(scope.report().groups[0]!.buffers[0]!.resource?.release).toBe('[Symbol.asyncDispose]() or [Symbol.dispose]()');
    await result[Symbol.asyncDispose]();
    expect(scope.liveCount).toBe(0);
  });

  test('a release check: the resource leaves the ledger when the ledger is read after the check turns true', () => {
    const socket = { destroyed: false };
    const { scope } = ledger.scoped('probe', () => track(socket, { kind: 'raw socket', release: (s) => s.destroyed }));
    expect(scope).toHaveLeaked(1);
    expect(scope.isClean()).toBe(false);
    socket.destroyed = true;
    expect(scope.isClean()).toBe(true);
    expect(scope.liveCount).toBe(0);
  });

  test('bad arguments throw, naming what was expected', () => {
    ledger.scoped('bad', () => {
      expect(() => track({}, { kind: 'x' })).toThrow(
        new IllegalArgumentException("Expected options.release ('close', 'release', 'dispose' or a function) for a resource without Symbol.dispose or Symbol.asyncDispose"),
      );
      expect(() => track({}, { kind: 'x', release: 'close' })).toThrow(
        'Expected the resource to have a close() method to release it, got none; pass release: a function that tells when it is released',
      );
      expect(() => track(new Pool(), { kind: ' ', release: 'close' })).toThrow('Expected kind to be a non-empty string, got " "');
      expect(() => track(new Pool(), { kind: 'p', bytes: -1, release: 'close' })).toThrow('Expected bytes to be an integer >= 0, got -1');
      expect(() => track(new Pool(), { kind: 'p', release: 'shut' as never })).toThrow(`Expected release to be 'close', 'release', 'dispose' or a function, got "shut"`);
      expect(() => track(Object.freeze(new Pool()), { kind: 'p', release: 'close' })).toThrow(
        "Expected the resource's close() to be replaceable (the object is frozen or the property fixed); pass release: a function that tells when it is released",
      );
      const pool = track(new Pool(), { kind: 'db pool', release: 'close' });
      expect(() => track(pool, { kind: 'again', release: 'close' })).toThrow(
        new IllegalStateException("Expected a resource not tracked yet, got one tracked as 'db pool' and not released"),
      );
      pool.close();
      // Released: it may be tracked again.
      track(pool, { kind: 'db pool', release: 'close' }).close();
    });
  });
});
