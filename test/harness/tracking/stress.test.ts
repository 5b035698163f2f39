/**
 * No false positives: 20,000 allocate / retain / derive / release cycles at `paranoid` with the
 * exact ledger, in 8 scopes of 25 interleaved promise chains each (awaits and immediates between
 * steps), every buffer released correctly: every scope ends with zero leaks and zero misuses, and
 * the GC path reports nothing.
 */
import { ByteBuffer, collectGarbage, ledger, onGcLeak, Unpooled, type CompositeByteBuf, type GcLeak } from '../../../harness';
import { useSettings } from '../support';

const SCOPES = 8;
const CHAINS_PER_SCOPE = 25;
const CYCLES_PER_CHAIN = 100;
/** Buffers each of the 5 cycle kinds allocates (see `cycle`), summed. */
const ALLOCATIONS_PER_5_CYCLES = 1 + 1 + 3 + 1 + 2;

useSettings({ level: 'paranoid', exactLedger: true });

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One correct cycle of kind `i % 5`; awaits between the steps. */
async function cycle(i: number): Promise<void> {
  switch (i % 5) {
    case 0: {
      const buf = Unpooled.buffer(32).writeBytes(Uint8Array.of(i & 0xff, 1, 2, 3));
      buf.retain();
      await null;
      buf.slice(1, 2).touch('slice');
      buf.release();
      await null;
      buf.release();
      return;
    }
    case 1: {
      const wrapper = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(16));
      const part = wrapper.readRetainedSlice(4);
      await null;
      part.release();
      wrapper.retain().touch('retained').release();
      wrapper.release();
      return;
    }
    case 2: {
      const c: CompositeByteBuf = Unpooled.compositeBuffer().addComponents(true, Unpooled.buffer(8).writeZero(8), Unpooled.directBuffer(8).writeZero(8));
      const view = c.retainedDuplicate();
      await null;
      view.readByte();
      view.release();
      c.release();
      return;
    }
    case 3: {
      const w = Unpooled.wrappedBuffer(new Uint8Array(12));
      const d = w.duplicate().retain();
      await null;
      d.release();
      w.release();
      return;
    }
    default: {
      const copy = Unpooled.copiedBuffer(Uint8Array.of(1, 2, 3, 4, 5, 6));
      const head = copy.readBytes(3);
      await null;
      head.release();
      copy.release();
    }
  }
}

async function chain(seed: number): Promise<void> {
  for (let i = 0; i < CYCLES_PER_CHAIN; i++) {
    await cycle(seed + i);
    if (i % 10 === 0) await tick();
  }
}

describe('stress', () => {
  it(`${SCOPES * CHAINS_PER_SCOPE * CYCLES_PER_CHAIN} cycles across interleaved promises in ${SCOPES} scopes: zero leaks, zero misuses`, async () => {
    const gcLeaks: GcLeak[] = [];
    const unsubscribe = onGcLeak((leak) => gcLeaks.push(leak));
    try {
      const scopes = (await Promise.all(
        Array.from({ length: SCOPES }, (_, s) =>
          ledger.scoped(`stress ${s}`, () => Promise.all(Array.from({ length: CHAINS_PER_SCOPE }, (__, c) => chain(s * 7 + c)))),
        ),
      )).map((s) => s.scope);
      const perScope = (CHAINS_PER_SCOPE * CYCLES_PER_CHAIN * ALLOCATIONS_PER_5_CYCLES) / 5;
      expect(scopes.map((s) => [s.createdCount, s.liveCount, s.liveBytes, s.misuses.length])).toEqual(Array(SCOPES).fill([perScope, 0, 0, 0]));
      expect(scopes.map((s) => s.report().summary)).toEqual(scopes.map((s) => `0 leak(s), 0 byte(s) in scope '${s.name}'`));
      await collectGarbage();
      expect(gcLeaks).toEqual([]);
    } finally {
      unsubscribe();
    }
  }, 60_000); // 20,000 cycles at paranoid: slow on a loaded 2-core machine
});
