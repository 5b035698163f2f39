/**
 * One ledger per process: a second copy of the harness (here loaded through `jest.isolateModules`,
 * as `jest.resetModules()` + `require` or a second installed copy would load it) joins the first
 * copy's state: its buffers are counted in the first copy's scopes, with their site, it follows the
 * first copy's level, and its GC-path reports reach the first copy's listeners.
 */
import * as A from '../../../harness';
import { siteOf, trackerOf, useSettings } from '../support';

type Harness = typeof A;

const FILE = 'test/harness/tracking/sharedState.test.ts';

/** A second copy of the harness: every module of it loaded afresh, classes included. */
function loadSecondCopy(): Harness {
  let copy!: Harness;
  jest.isolateModules(() => {
    copy = require('../../../harness') as Harness;
  });
  return copy;
}

const B = loadSecondCopy();

/** Drops a buffer made through copy B; returns its id. */
function dropThroughB(): number {
  B.Unpooled.directBuffer(8);
  return A.ledger.current().live().at(-1)!.id;
}

useSettings({ level: 'paranoid', exactLedger: true });

describe('a second copy of the harness', () => {
  it('is a distinct copy (its classes differ), so the test below proves something', () => {
    expect(B.LeakScope).not.toBe(A.LeakScope);
    expect(B.ledger).not.toBe(A.ledger);
  });

  it('counts a buffer leaked through copy B inside a scope of copy A, with its site', async () => {
    let line = 0;
    let leaked: A.ByteBuf | undefined;
    const scope = (await A.ledger.scoped('copy-b-leak', () => {
      leaked = B.Unpooled.wrappedBuffer(B.ByteBuffer.allocate(100)); line = siteOf(new Error()).line;
    })).scope;
    expect([scope.liveCount, scope.liveBytes]).toEqual([1, 100]);
    const report = scope.report();
    expect(report.summary).toBe("1 leak(s), 100 byte(s) in scope 'copy-b-leak'");
    expect(report.groups[0]!.siteFrame).toEqual(expect.objectContaining({ file: FILE, line }));
    leaked!.release(); // the leak was the point; no GC-path report later
  });

  it('shares one id sequence: copy B\'s buffers come after copy A\'s checkpoint', async () => {
    let leaked: A.ByteBuf | undefined;
    const scope = (await A.ledger.scoped('ids', () => {
      const cp = A.ledger.checkpoint();
      leaked = B.Unpooled.buffer(4);
      expect(A.ledger.leaksSince(cp).map((t) => t.capacity)).toEqual([leaked.capacity()]);
    })).scope;
    expect(scope.liveCount).toBe(1);
    leaked!.release();
  });

  it('follows the level set in copy A, and copy A follows copy B\'s', () => {
    const previous = A.LeakDetection.configure({ level: 'advanced', stackDepth: 7 });
    try {
      expect([B.LeakDetection.level, B.LeakDetection.settings().stackDepth]).toEqual(['advanced', 7]);
      B.LeakDetection.setLevel('disabled');
      expect(A.LeakDetection.level).toBe('disabled');
      B.LeakDetection.setExactLedger(false);
      expect(A.LeakDetection.exactLedger).toBe(false);
    } finally {
      A.LeakDetection.configure(previous);
    }
    expect(B.LeakDetection.settings()).toEqual(A.LeakDetection.settings());
  });

  it('runs copy B\'s scopes in copy A\'s context: ledger.current() is the same scope from both', async () => {
    const scope = (await B.ledger.scoped('b-scope', () => {
      expect(A.ledger.current()).toBe(B.ledger.current());
      expect(A.ledger.current().name).toBe('b-scope');
    })).scope;
    expect(scope.name).toBe('b-scope');
    expect(A.ledger.root).toBe(B.ledger.root);
  });

  it('has its scopes and buffers recognised by copy A, by shape rather than by class', async () => {
    let kept: A.ByteBuf | undefined;
    const scope = (await B.ledger.scoped('b-made', () => {
      kept = B.Unpooled.buffer(16);
      expect(trackerOf(kept)).toBe(B.ledger.current().live()[0]); // copy A's trackerOf, copy B's buffer
    })).scope;
    expect(scope).not.toBeInstanceOf(A.LeakScope);
    expect([A.isLeakScope(scope), A.isLeakScope({ name: 'b-made' }), A.isLeakScope(null)]).toEqual([true, false, false]);
    expect(scope).toHaveLeaked(1); // copy A's matchers (the sanitizer's setup loaded them)
    kept!.release();
  });

  it('reports a buffer dropped through copy B to copy A\'s GC listeners and collectGarbage', async () => {
    await A.collectGarbage(); // earlier reports, out of the way
    const seen: A.GcLeak[] = [];
    const unsubscribe = A.onGcLeak((leak) => seen.push(leak));
    try {
      const cp = A.ledger.checkpoint();
      let id = 0;
      await A.ledger.scoped('dropped-through-b', () => {
        id = dropThroughB();
      });
      expect(id).toBeGreaterThan(cp.lastId);
      const leaks = await A.collectGarbage();
      expect(leaks.map((l) => l.bufferId)).toEqual([id]);
      expect(seen.map((l) => l.bufferId)).toEqual([id]);
      expect(leaks[0]!.text.split('\n')[1]).toBe(`Buffer #${id} (direct, 8 bytes, refCnt 1)`);
    } finally {
      unsubscribe();
    }
  });

  it('reports to copy B\'s collectGarbage a buffer dropped through copy A', async () => {
    await B.collectGarbage();
    let id = 0;
    await A.ledger.scoped('dropped-through-a', () => {
      A.Unpooled.buffer(4);
      id = A.ledger.current().live()[0]!.id;
    });
    const quiet = A.onGcLeak(() => undefined);
    try {
      expect((await B.collectGarbage()).map((l) => l.bufferId)).toEqual([id]);
    } finally {
      quiet();
    }
  });
});
