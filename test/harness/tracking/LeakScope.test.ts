/**
 * Scopes: each counts the buffers made while it is current, including in callbacks and
 * continuations of work started in it, even with other scopes interleaving; scopes nest;
 * checkpoints count what came after them; `check()` throws a `LeakError` with the report.
 */
import { ByteBuffer, LeakError, ledger, Unpooled, type ByteBuf, type LeakScope } from '../../../harness';
import { firstLine, inScope, refCntError, trackerOf, useSettings } from '../support';

useSettings({ level: 'paranoid', exactLedger: true });

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Allocates through a different continuation each step: a promise job, a timeout, an immediate. */
function allocateLater(step: number, allocate: () => ByteBuf): Promise<ByteBuf> {
  if (step === 0) return Promise.resolve().then(allocate);
  if (step === 1) return new Promise((resolve) => setTimeout(() => resolve(allocate()), 1));
  return new Promise((resolve) => setImmediate(() => resolve(allocate())));
}

describe('two concurrent scopes interleaved with await', () => {
  it('each counts only its own buffers', async () => {
    const order: string[] = [];
    const turnsA = [gate(), gate(), gate()];
    const turnsB = [gate(), gate(), gate()];
    const keptA: ByteBuf[] = [];
    const keptB: ByteBuf[] = [];
    /** Three steps; before step i it waits for its turn, after it hands the turn over. */
    const worker = async (name: string, mine: typeof turnsA, handOver: (i: number) => void, size: number, kept: ByteBuf[]): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        await mine[i]!.opened;
        kept.push(await allocateLater(i, () => Unpooled.wrappedBuffer(ByteBuffer.allocate(size))));
        order.push(`${name}${i}`);
        handOver(i);
      }
    };
    turnsA[0]!.open();
    const [{ scope: a }, { scope: b }] = await Promise.all([
      ledger.scoped('A', () => worker('A', turnsA, (i) => turnsB[i]!.open(), 10, keptA)),
      ledger.scoped('B', () => worker('B', turnsB, (i) => turnsA[i + 1]?.open(), 20, keptB)),
    ]);
    expect(order).toEqual(['A0', 'B0', 'A1', 'B1', 'A2', 'B2']);
    expect([a.liveCount, a.liveBytes, a.createdCount]).toEqual([3, 30, 3]);
    expect([b.liveCount, b.liveBytes, b.createdCount]).toEqual([3, 60, 3]);
    expect(a.live().map((t) => t.id)).toEqual(keptA.map((buf) => trackerOf(buf)!.id));
    expect(b.live().map((t) => t.id)).toEqual(keptB.map((buf) => trackerOf(buf)!.id));
    expect(a.report().summary).toBe("3 leak(s), 30 byte(s) in scope 'A'");
    // Releasing from anywhere (here: from B) takes a buffer off its own scope's count.
    ledger.runIn(b, () => keptA[0]!.release());
    expect([a.liveCount, b.liveCount]).toEqual([2, 3]);
    for (const buf of [...keptA.slice(1), ...keptB]) buf.release();
    expect([a.liveCount, a.liveBytes, b.liveCount, b.liveBytes]).toEqual([0, 0, 0, 0]);
  });

  it('a misuse is noted in the scope current when it happens', async () => {
    const [{ scope: a }, { scope: b }] = await Promise.all([
      ledger.scoped('A', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        Unpooled.buffer(1).release();
      }),
      ledger.scoped('B', async () => {
        await null;
        const buf = Unpooled.buffer(1);
        buf.release();
        await new Promise((resolve) => setTimeout(resolve, 1));
        expect(firstLine(refCntError(() => buf.release()).message)).toBe('refCnt: 0, decrement: 1');
      }),
    ]);
    expect([a.misuses.length, b.misuses.map((m) => m.kind)]).toEqual([0, ['over-release']]);
    expect([a.isClean(), b.isClean()]).toEqual([true, false]);
  });
});

describe('nested scopes', () => {
  it('an inner scope counts its buffers; the outer one counts its own before and after', async () => {
    let inner!: LeakScope;
    let innerBuf!: ByteBuf;
    let outerLeak!: ByteBuf;
    const outer = (await ledger.scoped('outer', async () => {
      const early = Unpooled.buffer(1);
      inner = (await ledger.scoped('inner', async () => {
        await null;
        expect(ledger.current().name).toBe('inner');
        innerBuf = Unpooled.buffer(2);
        early.release(); // made in outer: outer's count drops
      })).scope;
      expect(ledger.current().name).toBe('outer');
      outerLeak = Unpooled.buffer(4);
    })).scope;
    expect([outer.liveCount, outer.liveBytes, outer.createdCount]).toEqual([1, 4, 2]);
    expect([inner.liveCount, inner.liveBytes, inner.createdCount]).toEqual([1, 2, 1]);
    expect(outer.live().map((t) => t.id)).toEqual([trackerOf(outerLeak)!.id]);
    innerBuf.release();
    outerLeak.release();
    expect([outer.liveCount, inner.liveCount]).toEqual([0, 0]);
  });
});

describe('ledger.checkpoint / leaksSince', () => {
  it('lists the buffers made in the scope after the checkpoint and still live', () => {
    let before!: ByteBuf;
    let after!: ByteBuf;
    const scope = inScope('checkpoint', () => {
      before = Unpooled.buffer(1);
      const checkpoint = ledger.checkpoint();
      expect([checkpoint.scope.name, checkpoint.misuseCount]).toEqual(['checkpoint', 0]);
      after = Unpooled.directBuffer(2);
      Unpooled.buffer(3).release();
      expect(ledger.leaksSince(checkpoint).map((t) => t.id)).toEqual([trackerOf(after)!.id]);
      after.release();
      expect(ledger.leaksSince(checkpoint)).toEqual([]);
    });
    expect(scope.liveCount).toBe(1);
    before.release();
  });
});

describe('LeakScope.check()', () => {
  it('returns quietly for a clean scope', () => {
    const scope = inScope('clean', () => {
      Unpooled.buffer(1).release();
    });
    expect(scope.isClean()).toBe(true);
    expect(() => scope.check()).not.toThrow();
  });

  it('throws a LeakError carrying the report when a buffer is live', () => {
    let buf!: ByteBuf;
    const scope = inScope('leaky', () => {
      buf = Unpooled.buffer(16);
    });
    let error: unknown;
    try {
      scope.check();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LeakError);
    const leak = error as LeakError;
    expect([leak.name, leak.code, leak.report.leakCount, leak.report.leakBytes]).toEqual(['LeakError', 'ERR_BUFFER_LEAK', 1, 16]);
    expect(leak.message.split('\n').at(-1)).toBe("SUMMARY: 1 leak(s), 16 byte(s) in scope 'leaky'");
    buf.release();
    expect(() => scope.check()).not.toThrow();
  });

  it('throws when a misuse was seen, even with nothing live', () => {
    const scope = inScope('misused', () => {
      const buf = Unpooled.buffer(1);
      buf.release();
      refCntError(() => buf.readByte());
    });
    expect(() => scope.check()).toThrow(/^Misuse 1: use-after-free of buffer #\d+: refCnt: 0$/m);
  });
});

describe('touchCreatedSince', () => {
  it('adds the hint to exactly the live buffers made after the checkpoint, newest first in the path', () => {
    const kept: ByteBuf[] = [];
    const scope = inScope('touch-since', () => {
      kept.push(Unpooled.buffer(8));
      const cp = ledger.checkpoint();
      kept.push(Unpooled.buffer(16), Unpooled.wrappedBuffer(ByteBuffer.allocate(32)));
      Unpooled.buffer(4).release(); // made after the checkpoint but released: not touched
      expect(ledger.current().touchCreatedSince(cp.lastId, 'step 1')).toBe(2);
    });
    const hints = kept.map((b) => trackerOf(b)!.records!.filter((r) => r.kind === 'touch').map((r) => r.hint));
    expect(hints).toEqual([[], ['step 1'], ['step 1']]);
    expect(scope.liveCount).toBe(3);
    for (const b of kept) b.release();
    expect(scope.liveCount).toBe(0);
  });
});
