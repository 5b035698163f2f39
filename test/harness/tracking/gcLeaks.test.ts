/**
 * The GC path: buffers dropped unreleased are reported after collection (Netty's format), buffers
 * released are never reported and never kept alive by the tracking, whatever their records hold.
 *
 * Each dropping function runs on its own (not inlined into the test), keeps nothing in closures
 * that outlive it, and passes no buffer to `expect`, so nothing but the harness could keep a
 * dropped buffer reachable.
 */
import {
  collectGarbage,
  drainGcLeaks,
  onGcLeak,
  Unpooled,
  type ByteBuf,
  type GcLeak,
  type LeakScope,
} from '../../../harness';
import { inScope, inScopeAsync, trackerOf, withSettingsAsync } from '../support';

const HEAD = "LEAK: ByteBuf.release() was not called before it's garbage-collected. See https://netty.io/wiki/reference-counted-objects.html for more information.";

/** Runs `fn` with GC-path reports captured (not printed); returns what it reported. */
async function gcLeaksOf(fn: () => Promise<void> | void): Promise<GcLeak[]> {
  await collectGarbage(); // reports of earlier tests' buffers, out of the way
  const seen: GcLeak[] = [];
  const unsubscribe = onGcLeak((leak) => seen.push(leak));
  try {
    await fn();
    const returned = await collectGarbage();
    expect(returned.map((l) => l.bufferId)).toEqual(seen.map((l) => l.bufferId));
    return seen;
  } finally {
    unsubscribe();
  }
}

/** A buffer touched, then dropped, from a callback whose closure holds it (the closure is in the record's stack). */
function dropFromCallback(ids: number[]): Promise<void> {
  const buf = Unpooled.buffer(4);
  ids.push(trackerOf(buf)!.id);
  return new Promise((resolve) => {
    setImmediate(() => {
      buf.touch('touched in a callback');
      resolve();
    });
  });
}

/** Buffers retained, touched and released, the final release from a callback holding them. */
async function churnReleasedInCallbacks(n: number): Promise<WeakRef<ByteBuf>[]> {
  const refs: WeakRef<ByteBuf>[] = [];
  for (let i = 0; i < n; i++) {
    const buf = Unpooled.directBuffer(8).retain();
    buf.touch(i).release();
    refs.push(new WeakRef(buf));
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        buf.release();
        resolve();
      });
    });
  }
  return refs;
}

/** A buffer with `touches` records, dropped. */
function dropWithRecords(touches: number): number {
  const buf = Unpooled.buffer(4);
  for (let i = 0; i < touches; i++) buf.touch(`touch ${i}`);
  return trackerOf(buf)!.id;
}

/** A buffer dropped without any record. */
function dropPlain(): void {
  Unpooled.buffer(4);
}

describe('the GC path', () => {
  it('reports a buffer dropped from a callback whose closure (captured in its record) holds it', async () => {
    await withSettingsAsync({ level: 'paranoid', exactLedger: true }, async () => {
      const ids: number[] = [];
      // In a scope of its own: a test runner's timer check (jest sanitizer) keeps the callbacks of
      // the timers a test's scope made, and with them what they hold, until the test ends.
      const leaks = await gcLeaksOf(async () => {
        await inScopeAsync('callback', () => dropFromCallback(ids));
      });
      expect(leaks.map((l) => l.bufferId)).toEqual(ids);
      expect(leaks[0]!.text).toContain('\tHint: touched in a callback\n\tOperation: touch (refCnt: 1)\n');
    });
  });

  it('never reports nor keeps alive buffers that were released, even from callbacks holding them', async () => {
    await withSettingsAsync({ level: 'paranoid', exactLedger: true }, async () => {
      let refs: WeakRef<ByteBuf>[] = [];
      const leaks = await gcLeaksOf(async () => {
        await inScopeAsync('churn', async () => {
          refs = await churnReleasedInCallbacks(50);
        });
      });
      expect(leaks).toEqual([]);
      expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    });
  });

  it('a buffer still counted by the exact ledger is reported too: the ledger does not hold buffers', async () => {
    await withSettingsAsync({ level: 'paranoid', exactLedger: true }, async () => {
      let scope!: LeakScope;
      const leaks = await gcLeaksOf(() => {
        scope = inScope('ledger', () => dropPlain());
        expect(scope.liveCount).toBe(1);
      });
      expect(leaks.map((l) => l.bufferId)).toEqual(scope.live().map((t) => t.id));
      expect(scope.liveCount).toBe(1); // still a leak in the exact ledger, as it should be
    });
  });

  it('at simple (no records), Netty\'s untraced text says how to get records', async () => {
    await withSettingsAsync({ level: 'simple', samplingInterval: 1, exactLedger: false }, async () => {
      const leaks = await gcLeaksOf(() => dropPlain());
      expect(leaks).toHaveLength(1);
      expect(leaks[0]!.text.split('\n')).toEqual([
        HEAD,
        `Buffer #${leaks[0]!.bufferId} (heap, 4 bytes, refCnt 1)`,
        'Enable advanced leak reporting to find out where the leak occurred. To enable advanced leak reporting, set BYTEBUF_LEAK_DETECTION_LEVEL=advanced (Netty: -Dio.netty.leakDetection.level=advanced).',
      ]);
    });
  });

  it('says how many records were discarded past targetRecords', async () => {
    await withSettingsAsync({ level: 'paranoid', targetRecords: 2, exactLedger: false }, async () => {
      let id = 0;
      const leaks = await gcLeaksOf(() => {
        id = dropWithRecords(20);
      });
      expect(leaks.map((l) => l.bufferId)).toEqual([id]);
      const text = leaks[0]!.text;
      const kept = text.split('\n').filter((l) => /^#\d+:$/.test(l)).length;
      const discarded = /\n: (\d+) leak records were discarded because the leak record count is targeted to the target records setting\. Use BYTEBUF_LEAK_DETECTION_TARGET_RECORDS \(Netty: io\.netty\.leakDetection\.targetRecords\) to increase the limit\.$/.exec(text);
      expect(discarded).not.toBeNull();
      expect(kept + Number(discarded![1])).toBe(20);
      expect(text).toContain('#1:\n\tHint: touch 19\n'); // the newest is always kept
    });
  });

  it('onGcLeak returns an unsubscribe; drainGcLeaks returns and forgets what was reported', async () => {
    await withSettingsAsync({ level: 'paranoid', exactLedger: false }, async () => {
      await collectGarbage();
      const seen: GcLeak[] = [];
      const unsubscribe = onGcLeak((leak) => seen.push(leak));
      const quiet = onGcLeak(() => undefined); // keeps the default stderr report quiet below
      unsubscribe();
      dropPlain();
      // collectGarbage drains what it saw; drainGcLeaks afterwards has nothing left.
      const leaks = await collectGarbage();
      quiet();
      expect(leaks).toHaveLength(1);
      expect(seen).toEqual([]);
      expect(drainGcLeaks()).toEqual([]);
    });
  });
});
