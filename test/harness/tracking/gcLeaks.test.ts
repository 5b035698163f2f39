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
  gcCheckpoint,
  onGcLeak,
  Unpooled,
  type ByteBuf,
  type GcCheckpoint,
  type GcLeak,
  type LeakDetectionSettings,
  type LeakScope,
} from '../../../harness';
import { IllegalArgumentException, ledger } from '../../../harness';
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

/**
 * Collects until no target of `refs` is alive, at most `tries` times; returns how many are still
 * alive and every GC-path report of those collections. Why more than one: V8's optimizing compiler
 * holds the closure it compiles on a helper thread, and with it that closure's context (here a
 * loop iteration's `buf`), until the main thread installs the code, so a buffer can outlive one
 * collection by a few milliseconds (never under `node --no-concurrent-recompilation`). Each wait
 * is longer than the last (10 ms up to 500 ms), for a loaded machine. A harness that held buffers
 * would hold them through every try.
 */
async function aliveAfterCollecting(refs: WeakRef<object>[], tries: number): Promise<{ alive: number; leaks: GcLeak[] }> {
  const leaks: GcLeak[] = [];
  for (let i = 1, waitMs = 10; ; i++, waitMs = Math.min(waitMs * 2, 500)) {
    leaks.push(...(await collectGarbage()));
    const alive = refs.filter((r) => r.deref() !== undefined).length;
    if (alive === 0 || i === tries) return { alive, leaks };
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
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
      expect(await aliveAfterCollecting(refs, 20)).toEqual({ alive: 0, leaks: [] });
    });
  }, 30_000);

  it('the collect-until-gone check of the test above sees buffers something still holds', async () => {
    await withSettingsAsync({ level: 'paranoid', exactLedger: true }, async () => {
      const held: ByteBuf[] = [];
      await inScopeAsync('held', async () => {
        for (let i = 0; i < 3; i++) held.push(Unpooled.directBuffer(8));
      });
      const refs = held.map((b) => new WeakRef(b));
      expect((await aliveAfterCollecting(refs, 2)).alive).toBe(3);
      for (const b of held) b.release();
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

/** Drops `n` buffers; returns their ids. */
function dropMany(n: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(trackerOf(Unpooled.buffer(4))!.id);
  return ids;
}

/**
 * `n` live finalization registries, each with an object dropped: V8 runs each registry's callbacks
 * in a task of its own, in no fixed order with the harness's registry. The caller holds them.
 */
function otherRegistriesWithDropped(n: number): FinalizationRegistry<number>[] {
  const registries: FinalizationRegistry<number>[] = [];
  for (let i = 0; i < n; i++) {
    const r = new FinalizationRegistry<number>(() => undefined);
    r.register({ i }, i);
    registries.push(r);
  }
  return registries;
}

/**
 * Runs `fn` with `settings` applied, after earlier tests' reports are collected, with the default
 * stderr report of GC leaks silenced.
 */
async function quietly(settings: Partial<LeakDetectionSettings>, fn: () => Promise<void>): Promise<void> {
  await withSettingsAsync(settings, async () => {
    await collectGarbage();
    const quiet = onGcLeak(() => undefined);
    try {
      await fn();
    } finally {
      quiet();
    }
  });
}

const byId = (a: number, b: number): number => a - b;

describe('collectGarbage completes', () => {
  it('returns every buffer dropped before it, whatever other registries finalize meanwhile (20 rounds)', async () => {
    // Every buffer watched, without stacks: this is about completion, not about the reports' text.
    await quietly({ level: 'simple', samplingInterval: 1, exactLedger: false }, async () => {
      for (let round = 0; round < 20; round++) {
        const ids = dropMany(200);
        const others = otherRegistriesWithDropped(50);
        const leaks = await collectGarbage();
        others.length = 0;
        const reported = new Set(leaks.map((l) => l.bufferId));
        expect({ round, reported: leaks.length, missing: ids.filter((id) => !reported.has(id)) }).toEqual({ round, reported: 200, missing: [] });
        expect(drainGcLeaks()).toEqual([]);
      }
    });
  }, 60_000);
});

describe('collectGarbage({ since })', () => {
  it('returns only buffers made after the checkpoint; an earlier test\'s leak stays pending for its own caller', async () => {
    await quietly({ level: 'paranoid', exactLedger: false }, async () => {
      const [earlier] = dropMany(1); // "another test"
      const cp = gcCheckpoint();
      const mine = dropMany(2);
      const leaks = await collectGarbage({ since: cp });
      expect(leaks.map((l) => l.bufferId).sort(byId)).toEqual(mine);
      // Not handed out, not lost: the unscoped caller still gets it, once.
      expect((await collectGarbage()).map((l) => l.bufferId)).toEqual([earlier]);
      expect(drainGcLeaks()).toEqual([]);
    });
  });

  it('takes a ledger checkpoint too, and a timeout', async () => {
    await quietly({ level: 'paranoid', exactLedger: true }, async () => {
      let before: number[] = [];
      let mine: number[] = [];
      inScope('before', () => {
        before = dropMany(1);
      });
      const cp = ledger.checkpoint();
      inScope('after', () => {
        mine = dropMany(1);
      });
      expect((await collectGarbage({ since: cp, timeoutMs: 10_000 })).map((l) => l.bufferId)).toEqual(mine);
      expect(drainGcLeaks().map((l) => l.bufferId)).toEqual(before);
    });
  });
});

describe('collectGarbage({ scope })', () => {
  it('returns only the leaks counted in that scope, and says which scope each was counted in', async () => {
    await quietly({ level: 'paranoid', exactLedger: true }, async () => {
      let theirs: number[] = [];
      let mine: number[] = [];
      const mineScope = inScope('mine', () => {
        mine = dropMany(2);
      });
      const theirScope = inScope('theirs', () => {
        theirs = dropMany(1);
      });
      const leaks = await collectGarbage({ scope: mineScope });
      expect(leaks.map((l) => l.bufferId).sort(byId)).toEqual(mine);
      expect(leaks.map((l) => l.scope === mineScope)).toEqual([true, true]);
      const rest = await collectGarbage({ scope: theirScope });
      expect(rest.map((l) => [l.bufferId, l.scope?.name])).toEqual([[theirs[0], 'theirs']]);
      expect(drainGcLeaks()).toEqual([]);
    });
  });

  it('a report stays plain data: its scope (which links to the whole ledger) is not serialised', async () => {
    await quietly({ level: 'paranoid', exactLedger: true }, async () => {
      const scope = inScope('json', () => void dropMany(1));
      const [leak] = await collectGarbage({ scope });
      expect(leak!.scope).toBe(scope);
      expect(Object.keys(leak!)).toEqual(['bufferId', 'text']);
      expect(JSON.parse(JSON.stringify(leak))).toEqual({ bufferId: leak!.bufferId, text: leak!.text });
    });
  });
});

describe('collectGarbage errors', () => {
  it('rejects a timeout that is not a positive number with an IllegalArgumentException', async () => {
    await expect(collectGarbage({ timeoutMs: -1 })).rejects.toThrow(
      new IllegalArgumentException('Expected timeoutMs to be a positive number of milliseconds, got -1'),
    );
    await expect(collectGarbage(Number.NaN)).rejects.toThrow('Expected timeoutMs to be a positive number of milliseconds, got NaN');
  });

  it('rejects a since that is no checkpoint', async () => {
    await expect(collectGarbage({ since: {} as GcCheckpoint })).rejects.toThrow(
      new IllegalArgumentException('Expected since to be a checkpoint from gcCheckpoint() or ledger.checkpoint(), got [object Object]'),
    );
  });
});
