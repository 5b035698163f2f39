/**
 * Composites: a composite owns its components (addComponent takes the
 * reference, a failed add releases it, freeing the composite releases each once), consolidates
 * past maxNumComponents (default 16), and its NIO view of several components is a copy.
 */
import {
  ByteBufUtil,
  CompositeByteBuf,
  DEFAULT_MAX_COMPONENTS,
  IllegalArgumentException,
  Unpooled,
  type ByteBuf,
} from '../../../harness';
import { bytes, firstLine, inScope, refCntError, trackerOf, useSettings } from '../support';

useSettings({ level: 'paranoid', exactLedger: true });

/** A heap buffer holding `content`. */
function holding(...content: number[]): ByteBuf {
  return Unpooled.buffer(content.length).writeBytes(Uint8Array.from(content));
}

describe('addComponent takes over the reference', () => {
  it('does not retain: the caller gives its reference, and the composite release frees the component', () => {
    const a = holding(1, 2);
    const c = Unpooled.compositeBuffer().addComponent(true, a);
    expect([a.refCnt(), c.refCnt()]).toEqual([1, 1]);
    expect(trackerOf(a)!.heldBy).toBe(trackerOf(c));
    expect(trackerOf(a)!.records!.map((r) => [r.kind, r.hint])).toEqual([['add-to-composite', `composite #${trackerOf(c)!.id}`]]);
    expect(c.release()).toBe(true);
    expect(a.refCnt()).toBe(0);
  });

  it('addComponent(true, buf) grows the writer index by the readable bytes; addComponent(false, buf) does not', () => {
    const c = Unpooled.compositeBuffer();
    c.addComponent(true, holding(1, 2, 3).skipBytes(1));
    expect([c.writerIndex(), c.capacity()]).toEqual([2, 2]);
    c.addComponent(false, holding(4, 5));
    expect([c.writerIndex(), c.capacity(), c.numComponents()]).toEqual([2, 4, 2]);
    c.writerIndex(4);
    expect(Array.from(ByteBufUtil.getBytes(c))).toEqual([2, 3, 4, 5]);
    c.release();
  });

  it('reads and writes across component boundaries', () => {
    const c = Unpooled.compositeBuffer().addComponents(true, holding(1, 2), holding(3), holding(4, 5, 6));
    expect(Array.from(ByteBufUtil.getBytes(c, 1, 4))).toEqual([2, 3, 4, 5]);
    c.setBytes(1, Uint8Array.from([20, 30, 40]));
    expect([c.getUnsignedByte(1), c.getUnsignedByte(2), c.getUnsignedByte(3)]).toEqual([20, 30, 40]);
    expect(Array.from(ByteBufUtil.getBytes(c.component(2)))).toEqual([40, 5, 6]);
    c.release();
  });
});

describe('a failing add releases the component (ownership passed anyway)', () => {
  it('adding to a freed composite throws "refCnt: 0" and releases the buffer', () => {
    let a!: ByteBuf;
    const scope = inScope('add-to-freed', () => {
      const c = Unpooled.compositeBuffer();
      c.release();
      a = holding(1);
      expect(firstLine(refCntError(() => c.addComponent(true, a)).message)).toBe('refCnt: 0');
    });
    expect(a.refCnt()).toBe(0);
    expect([scope.liveCount, scope.misuses.length]).toEqual([0, 1]);
  });

  it('adding a freed buffer throws "refCnt: 0, decrement: 1": Netty releases it anyway, and that over-release is the error', () => {
    let c!: CompositeByteBuf;
    const scope = inScope('add-freed', () => {
      c = Unpooled.compositeBuffer();
      const a = holding(1);
      a.release();
      expect(firstLine(refCntError(() => c.addComponent(true, a)).message)).toBe('refCnt: 0, decrement: 1');
    });
    expect(scope.misuses.map((m) => m.kind)).toEqual(['use-after-free', 'over-release']);
    expect([c.numComponents(), c.refCnt()]).toEqual([0, 1]);
    c.release();
  });

  it('addComponents with a bad entry releases the entries it did not reach; those added stay owned', () => {
    const [a, b] = [holding(1), holding(2)];
    const c = Unpooled.compositeBuffer();
    expect(() => c.addComponents(true, a, null as unknown as ByteBuf, b)).toThrow(
      new IllegalArgumentException('buffers[1]: expected a ByteBuf, got null'),
    );
    expect([a.refCnt(), b.refCnt(), c.numComponents()]).toEqual([1, 0, 1]);
    c.release();
    expect(a.refCnt()).toBe(0);
  });
});

describe('freeing the composite releases each component exactly once', () => {
  it('components the caller also retained keep the caller\'s reference', () => {
    const a = holding(1).retain();
    const b = holding(2).retain(2);
    const c = Unpooled.compositeBuffer().addComponents(true, a, b, b.retainedDuplicate());
    expect([a.refCnt(), b.refCnt()]).toEqual([2, 4]);
    expect(c.release()).toBe(true);
    expect([a.refCnt(), b.refCnt()]).toEqual([1, 2]);
    a.release();
    b.release(2);
  });

  it('removeComponent releases that component only, and (as Netty) leaves the indices as they were', () => {
    const [a, b] = [holding(1, 2), holding(3)];
    const c = Unpooled.compositeBuffer().addComponents(true, a, b);
    c.removeComponent(0);
    expect([a.refCnt(), b.refCnt(), c.numComponents(), c.capacity(), c.writerIndex()]).toEqual([0, 1, 1, 1, 3]);
    c.writerIndex(1);
    c.release();
    expect(b.refCnt()).toBe(0);
  });
});

describe('consolidation past maxNumComponents', () => {
  it(`the 17th add (default ${DEFAULT_MAX_COMPONENTS}) copies into one buffer and releases the old components`, () => {
    let c!: CompositeByteBuf;
    let parts!: ByteBuf[];
    const scope = inScope('consolidate', () => {
      c = Unpooled.compositeBuffer();
      // The caller keeps one reference of each part, to watch the composite's own reference go.
      parts = Array.from({ length: 17 }, (_, i) => holding(i).retain());
      for (const p of parts.slice(0, 16)) c.addComponent(true, p);
      expect(c.numComponents()).toBe(16);
      expect(parts.map((p) => p.refCnt())).toEqual(Array<number>(17).fill(2));
      c.addComponent(true, parts[16]!);
    });
    expect(c.maxNumComponents()).toBe(16);
    expect([c.numComponents(), c.capacity(), c.writerIndex()]).toEqual([1, 17, 17]);
    expect(parts.map((p) => p.refCnt())).toEqual(Array<number>(17).fill(1));
    expect(Array.from(ByteBufUtil.getBytes(c))).toEqual(Array.from(bytes(17)));
    // Live: the 17 parts (the caller's references), the composite, and the merged buffer it holds.
    const merged = scope.live().filter((t) => t.heldBy === trackerOf(c));
    expect(merged.map((t) => [t.kind, t.capacity])).toEqual([['heap', 17]]);
    expect(scope.liveCount).toBe(19);
    c.release();
    for (const p of parts) p.release();
    expect(scope.liveCount).toBe(0);
  });

  it('a composite of maxNumComponents 2 consolidates at the third add', () => {
    const c = Unpooled.compositeBuffer(2).addComponent(true, holding(1)).addComponent(true, holding(2));
    expect(c.numComponents()).toBe(2);
    c.addComponent(true, holding(3));
    expect([c.numComponents(), Array.from(ByteBufUtil.getBytes(c))]).toEqual([1, [1, 2, 3]]);
    c.release();
  });

  it('maxNumComponents must be >= 1', () => {
    expect(() => Unpooled.compositeBuffer(0)).toThrow(new IllegalArgumentException('maxNumComponents: 0 (expected: >= 1)'));
  });
});

describe('nioBufferCount / nioBuffer', () => {
  it.each<[string, () => ByteBuf]>([
    ['heap', () => Unpooled.buffer(4)],
    ['direct', () => Unpooled.directBuffer(4)],
  ])('a plain %s buffer has 1 NIO view over its memory, still readable after release', (_, make) => {
    const buf = make().writeBytes(Uint8Array.from([1, 2, 3]));
    expect(buf.nioBufferCount()).toBe(1);
    const nio = buf.nioBuffer();
    expect([nio.position(), nio.remaining(), nio.isDirect()]).toEqual([0, 3, buf.isDirect()]);
    buf.setByte(0, 0xab);
    expect(nio.get(0)).toBe(-85); // Java's signed byte 0xab
    expect(buf.nioBuffers().map((b) => b.remaining())).toEqual([3]);
    buf.release();
    expect(Array.from(nio.toUint8Array())).toEqual([0xab, 2, 3]);
  });

  it('a multi-component composite has several NIO buffers, and nioBuffer() is a copy', () => {
    const c = Unpooled.compositeBuffer().addComponents(true, holding(1, 2), holding(3), holding(4, 5));
    expect(c.nioBufferCount()).toBe(3);
    expect(c.nioBuffers().map((b) => Array.from(b.toUint8Array()))).toEqual([[1, 2], [3], [4, 5]]);
    const copy = c.nioBuffer();
    expect(Array.from(copy.toUint8Array())).toEqual([1, 2, 3, 4, 5]);
    c.setByte(0, 9);
    expect(copy.get(0)).toBe(1);
    copy.put(1, 7);
    expect(c.getUnsignedByte(1)).toBe(2);
    c.release();
  });

  it('a one-component composite has one NIO view over the component\'s memory', () => {
    const c = Unpooled.compositeBuffer().addComponent(true, holding(1, 2));
    expect(c.nioBufferCount()).toBe(1);
    const view = c.nioBuffer();
    c.setByte(1, 0x22);
    expect(view.get(1)).toBe(0x22);
    c.release();
  });
});
