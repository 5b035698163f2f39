/**
 * PendingWork: what a watched scope started and has not finished (the work the sanitizer waits
 * for), in process. Deadlines are `performance.now()` times; nothing here measures elapsed time.
 */
import { readFile, readFileSync, promises as fsPromises } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ledger, type LeakScope } from '../../../harness';
import { firesBy, PendingWork } from '../../../harness/sanitizer/pendingWork';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let work: PendingWork;
let scope: LeakScope;
beforeEach(() => {
  work = new PendingWork();
  work.enable();
  scope = ledger.openScope('pending work');
  work.watch(scope);
});
afterEach(() => {
  work.unwatch(scope);
  work.disable();
});

describe('requests', () => {
  test('an fs.readFile is work until its last callback has run; a sync read is none', async () => {
    const far = performance.now() + 60_000;
    ledger.runIn(scope, () => readFileSync(__filename));
    expect(work.hasWorkFinishingBy(scope, far)).toBe(false);
    const done = new Promise<void>((resolve) => ledger.runIn(scope, () => readFile(__filename, () => resolve())));
    expect(work.hasWorkFinishingBy(scope, far)).toBe(true);
    await done;
    expect(work.hasWorkFinishingBy(scope, far)).toBe(false);
  });

  test('a promise-based fs call is work until it settles', async () => {
    const far = performance.now() + 60_000;
    const read = ledger.runIn(scope, () => fsPromises.readFile(__filename));
    expect(work.hasWorkFinishingBy(scope, far)).toBe(true);
    await read;
    await nextTurn();
    expect(work.hasWorkFinishingBy(scope, far)).toBe(false);
  });

  test('work started outside the watched scope does not count in it', async () => {
    const done = new Promise<void>((resolve) => readFile(__filename, () => resolve()));
    expect(work.hasWorkFinishingBy(scope, performance.now() + 60_000)).toBe(false);
    await done;
  });

  test('unwatching a scope forgets its pending requests', async () => {
    const done = new Promise<void>((resolve) => ledger.runIn(scope, () => readFile(__filename, () => resolve())));
    work.unwatch(scope);
    expect(work.hasWorkFinishingBy(scope, performance.now() + 60_000)).toBe(false);
    await done;
  });
});

describe('timers', () => {
  test('an immediate and a timeout due by the deadline will fire by then; they stop counting once fired', async () => {
    const deadline = performance.now() + 5_000;
    const fired = new Promise<void>((resolve) =>
      ledger.runIn(scope, () => {
        setImmediate(() => undefined);
        setTimeout(resolve, 1);
      }),
    );
    const [immediate, timeout] = work.timers(scope);
    expect([immediate!.kind, timeout!.kind]).toEqual(['setImmediate', 'setTimeout']);
    expect(firesBy(immediate!, deadline)).toBe(true);
    expect(firesBy(timeout!, deadline)).toBe(true);
    expect(work.hasTimerFiringBy(scope, deadline)).toBe(true);
    await fired;
    expect(work.hasTimerFiringBy(scope, deadline)).toBe(false);
    expect(work.pending(scope)).toEqual([]);
  });

  test('an interval, and a timeout due after the deadline, are pending but never worth waiting for', () => {
    const deadline = performance.now() + 5_000;
    const handles = ledger.runIn(scope, () => [setInterval(() => undefined, 1), setTimeout(() => undefined, 60_000)]);
    try {
      expect(work.pending(scope).map((t) => [t.kind, t.delayMs])).toEqual([['setInterval', 1], ['setTimeout', 60_000]]);
      expect(work.timers(scope).map((t) => firesBy(t, deadline))).toEqual([false, false]);
      expect(work.hasWorkFinishingBy(scope, deadline)).toBe(false);
    } finally {
      for (const h of handles) clearTimeout(h);
    }
    expect(work.pending(scope)).toEqual([]);
  });

  test('forgetFinished drops fired timers and keeps pending ones, still watching the scope', async () => {
    const later = ledger.runIn(scope, () => setTimeout(() => undefined, 60_000));
    await new Promise<void>((resolve) => ledger.runIn(scope, () => setImmediate(resolve)));
    expect(work.timers(scope).map((t) => t.kind)).toEqual(['setTimeout', 'setImmediate']);
    work.forgetFinished(scope);
    expect(work.timers(scope).map((t) => t.kind)).toEqual(['setTimeout']);
    clearTimeout(later);
    ledger.runIn(scope, () => clearImmediate(setImmediate(() => undefined)));
    expect(work.timers(scope).map((t) => t.kind)).toEqual(['setTimeout', 'setImmediate']);
  });
});
