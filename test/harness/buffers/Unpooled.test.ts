/**
 * `Unpooled`: `wrappedBuffer` shares the caller's memory (empty → the
 * singleton; heap → heap wrapper; direct → direct wrapper that never frees the caller's memory;
 * `ByteBuf` → takes over the reference; several → a composite), `copiedBuffer` copies, `buffer`
 * and `directBuffer` allocate.
 */
import {
  ByteBuffer,
  ByteBufUtil,
  CompositeByteBuf,
  DEFAULT_INITIAL_CAPACITY,
  EMPTY_BUFFER,
  ReadOnlyBufferException,
  Unpooled,
  UnpooledDirectByteBuf,
  UnpooledHeapByteBuf,
  type ByteBuf,
} from '../../../harness';
import { bytes, firstLine, inScope, refCntError, trackerOf, useSettings } from '../support';

useSettings({ level: 'paranoid', exactLedger: true });

describe('Unpooled.buffer / directBuffer allocate', () => {
  it('buffer() is a growable heap buffer of 256 bytes; directBuffer(n) a direct one of n', () => {
    const heap = Unpooled.buffer();
    const direct = Unpooled.directBuffer(16, 32);
    expect(heap).toBeInstanceOf(UnpooledHeapByteBuf);
    expect([heap.capacity(), heap.isDirect(), heap.readableBytes(), heap.writableBytes()]).toEqual([DEFAULT_INITIAL_CAPACITY, false, 0, 256]);
    expect(direct).toBeInstanceOf(UnpooledDirectByteBuf);
    expect([direct.capacity(), direct.maxCapacity(), direct.isDirect()]).toEqual([16, 32, true]);
    expect([trackerOf(heap)!.kind, trackerOf(direct)!.kind]).toEqual(['heap', 'direct']);
    heap.release();
    direct.release();
  });

  it('a buffer grows past its capacity (64, then doubling) up to maxCapacity, and the ledger counts the new size', () => {
    let buf!: ByteBuf;
    const scope = inScope('growth', () => {
      buf = Unpooled.buffer(4, 200);
      buf.writeBytes(bytes(70));
    });
    expect([buf.capacity(), buf.writerIndex(), scope.liveBytes, trackerOf(buf)!.capacity]).toEqual([128, 70, 128, 128]);
    expect(ByteBufUtil.getBytes(buf)).toEqual(bytes(70));
    expect(() => buf.writeBytes(bytes(131))).toThrow('writerIndex(70) + minWritableBytes(131) exceeds maxCapacity(200)');
    buf.release();
    expect([scope.liveCount, scope.liveBytes]).toEqual([0, 0]);
  });
});

describe('Unpooled.wrappedBuffer of an empty source', () => {
  it.each<[string, () => ByteBuf]>([
    ['no source', () => Unpooled.wrappedBuffer()],
    ['ByteBuffer.allocate(0)', () => Unpooled.wrappedBuffer(ByteBuffer.allocate(0))],
    ['a ByteBuffer with position === limit', () => Unpooled.wrappedBuffer(ByteBuffer.allocate(8).position(8))],
    ['an empty direct ByteBuffer', () => Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(4).limit(0))],
    ['new Uint8Array(0)', () => Unpooled.wrappedBuffer(new Uint8Array(0))],
    ['two empty sources', () => Unpooled.wrappedBuffer(new Uint8Array(0), ByteBuffer.allocate(0))],
  ])('%s gives the EMPTY_BUFFER singleton, never in the ledger', (_, wrap) => {
    let result!: ByteBuf;
    const scope = inScope('empty', () => {
      result = wrap();
    });
    expect(result).toBe(EMPTY_BUFFER);
    expect(result).toBe(Unpooled.EMPTY_BUFFER);
    expect([scope.createdCount, scope.liveCount]).toEqual([0, 0]);
  });
});

describe('Unpooled.wrappedBuffer of a heap source', () => {
  it('is a heap wrapper over the same memory: a write through one is seen by the other, no copy', () => {
    const src = ByteBuffer.wrap(bytes(8)).position(2);
    const w = Unpooled.wrappedBuffer(src);
    // As Netty's: the remaining range of the array, so a slice of the whole-array wrapper.
    expect(w.toString()).toBe('UnpooledSlicedByteBuf(ridx: 0, widx: 6, cap: 6/6, unwrapped: UnpooledHeapByteBuf(ridx: 0, widx: 8, cap: 8/8))');
    expect(w.unwrap()).toBeInstanceOf(UnpooledHeapByteBuf);
    expect([w.isDirect(), w.readerIndex(), w.writerIndex(), w.capacity()]).toEqual([false, 0, 6, 6]);
    expect(Array.from(ByteBufUtil.getBytes(w))).toEqual([2, 3, 4, 5, 6, 7]);
    w.setByte(0, 0xee);
    expect(src.get(2)).toBe(-18) // Java's signed byte 0xee;
    src.put(7, 0x77);
    expect(w.getUnsignedByte(5)).toBe(0x77);
    expect([src.position(), src.limit()]).toEqual([2, 8]);
    const t = trackerOf(w.unwrap()!)!;
    expect([t.kind, t.ownsMemory, t.capacity]).toEqual(['heap-wrapper', false, 8]);
    expect(w.release()).toBe(true);
  });

  it('a Uint8Array source is a heap wrapper sharing the array', () => {
    const array = bytes(4);
    const w = Unpooled.wrappedBuffer(array);
    w.setByte(3, 0x99);
    expect(array[3]).toBe(0x99);
    expect(trackerOf(w)!.kind).toBe('heap-wrapper');
    w.release();
    expect(Array.from(array)).toEqual([0, 1, 2, 0x99]);
  });

  it.each([
    ['heap', () => Unpooled.wrappedBuffer(bytes(8))],
    ['direct', () => Unpooled.directBuffer(8).writeBytes(bytes(8))],
  ])('nioBuffer() of a whole %s buffer is a view like a part\'s: shared bytes, its own indices, the same array', (_kind, make) => {
    const buf = make();
    const whole = buf.nioBuffer();
    const part = buf.nioBuffer(2, 6);
    expect([whole.position(), whole.limit(), whole.capacity(), part.capacity()]).toEqual([0, 8, 8, 6]);
    buf.setByte(7, 0x7e);
    expect([whole.get(7), part.get(5)]).toEqual([0x7e, 0x7e]);
    whole.put(2, 0x22);
    expect([buf.getByte(2), part.get(0)]).toEqual([0x22, 0x22]);
    whole.position(8);
    expect([buf.readerIndex(), part.position(), buf.nioBuffer().position()]).toEqual([0, 0, 0]);
    if (!buf.isDirect()) {
      expect(whole.array()).toBe(part.array());
      expect([whole.arrayOffset(), part.arrayOffset()]).toEqual([0, 2]);
    }
    buf.release();
    expect(whole.get(7)).toBe(0x7e);
  });

  it('a read-only ByteBuffer gives a read-only wrapper', () => {
    const w = Unpooled.wrappedBuffer(ByteBuffer.wrap(bytes(4)).asReadOnlyBuffer());
    expect(w.isReadOnly()).toBe(true);
    expect(() => w.setByte(0, 1)).toThrow(ReadOnlyBufferException);
    w.release();
  });
});

describe('Unpooled.wrappedBuffer of a direct source', () => {
  it('is a direct wrapper; its release leaves the caller\'s ByteBuffer intact and readable', () => {
    const src = ByteBuffer.allocateDirect(6).put(bytes(6, 10)).flip().position(1);
    const w = Unpooled.wrappedBuffer(src);
    expect(w).toBeInstanceOf(UnpooledDirectByteBuf);
    expect([w.isDirect(), w.readableBytes()]).toEqual([true, 5]);
    expect(trackerOf(w)!.kind).toBe('direct-wrapper');
    w.setByte(0, 0x42); // no copy: the caller sees it
    expect(src.get(1)).toBe(0x42);
    expect(w.release()).toBe(true);
    expect([src.position(), src.limit(), src.remaining()]).toEqual([1, 6, 5]);
    expect(Array.from(src.toUint8Array())).toEqual([0x42, 12, 13, 14, 15]);
    expect(src.get()).toBe(0x42);
    const after = inScope('wrapper-after-free', () => {
      expect(firstLine(refCntError(() => w.getUnsignedByte(0)).message)).toBe('refCnt: 0');
    });
    expect(after.misuses).toHaveLength(1);
  });
});

describe('Unpooled.wrappedBuffer of a ByteBuf', () => {
  it('takes over the caller\'s reference: same count, and its release frees the source', () => {
    const src = Unpooled.buffer(8).writeBytes(bytes(3));
    const w = Unpooled.wrappedBuffer(src);
    expect([src.refCnt(), w.refCnt()]).toEqual([1, 1]);
    expect(w.unwrap()).toBe(src);
    expect(Array.from(ByteBufUtil.getBytes(w))).toEqual([0, 1, 2]);
    expect(w.release()).toBe(true);
    expect(src.refCnt()).toBe(0);
  });

  it('an unreadable ByteBuf is released at once and EMPTY_BUFFER returned', () => {
    const src = Unpooled.buffer(8);
    expect(Unpooled.wrappedBuffer(src)).toBe(EMPTY_BUFFER);
    expect(src.refCnt()).toBe(0);
  });
});

describe('Unpooled.wrappedBuffer of several sources', () => {
  it('is a composite from the first readable source on: ByteBufs all kept (empty ones too), empty ByteBuffers and arrays skipped', () => {
    const leading = Unpooled.buffer(4);
    const readable = Unpooled.buffer(4).writeBytes(Uint8Array.from([7, 8]));
    const unreadable = Unpooled.directBuffer(4);
    const array = Uint8Array.from([1, 2]);
    let c!: ByteBuf;
    const scope = inScope('several', () => {
      c = Unpooled.wrappedBuffer(leading, array, unreadable, ByteBuffer.allocate(0), readable, ByteBuffer.wrap(Uint8Array.from([9])));
    });
    // Netty: an unreadable ByteBuf before the first readable source is released; one after it is a component.
    expect([leading.refCnt(), unreadable.refCnt()]).toEqual([0, 1]);
    expect(c).toBeInstanceOf(CompositeByteBuf);
    expect([(c as CompositeByteBuf).numComponents(), (c as CompositeByteBuf).maxNumComponents()]).toEqual([4, 6]);
    expect(Array.from(ByteBufUtil.getBytes(c))).toEqual([1, 2, 7, 8, 9]);
    expect([readable.refCnt(), c.refCnt()]).toEqual([1, 1]);
    // The two wrappers made here are held by the composite; the composite is the one owner.
    expect(scope.live().map((t) => [t.kind, t.heldBy === trackerOf(c)])).toEqual([
      ['heap-wrapper', true],
      ['heap-wrapper', true],
      ['composite', false],
    ]);
    expect(trackerOf(unreadable)!.heldBy).toBe(trackerOf(c));
    c.release();
    expect([readable.refCnt(), unreadable.refCnt()]).toEqual([0, 0]);
  });

});

describe('Unpooled.copiedBuffer', () => {
  it('copies the readable/remaining bytes into a new heap buffer and leaves the sources as they were', () => {
    const bb = ByteBuffer.wrap(bytes(4)).position(1);
    const src = Unpooled.buffer(4).writeBytes(Uint8Array.from([9, 8]));
    const array = Uint8Array.from([5]);
    const copy = Unpooled.copiedBuffer(bb, src, array);
    expect(Array.from(ByteBufUtil.getBytes(copy))).toEqual([1, 2, 3, 9, 8, 5]);
    expect([bb.position(), src.readerIndex()]).toEqual([1, 0]);
    array[0] = 0;
    bb.put(1, 0);
    src.setByte(0, 0);
    expect(Array.from(ByteBufUtil.getBytes(copy))).toEqual([1, 2, 3, 9, 8, 5]);
    expect([trackerOf(copy)!.kind, trackerOf(copy)!.ownsMemory]).toEqual(['heap', true]);
    expect(Unpooled.copiedBuffer(new Uint8Array(0))).toBe(EMPTY_BUFFER);
    copy.release();
    src.release();
  });
});
