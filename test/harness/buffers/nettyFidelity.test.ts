/**
 * Facts about Netty 4.1.48 (Debian's libnetty-java on OpenJDK 17, leak detection disabled), each
 * seen with a Java probe, pinned on the model: who holds a reference after each composite and
 * wrapping operation, which results are `EMPTY_BUFFER`, the views' capacities and check order,
 * Netty's texts, and the accessors' values.
 */
import {
  ArrayIndexOutOfBoundsException,
  ByteBuffer,
  ByteBufUtil,
  CompositeByteBuf,
  EMPTY_BUFFER,
  IllegalReferenceCountException,
  IndexOutOfBoundsException,
  NullPointerException,
  ReadOnlyBufferException,
  Unpooled,
  UnsupportedOperationException,
  type ByteBuf,
} from '../../../harness';
import { firstLine, inScope, refCntError, trackerOf, useSettings } from '../support';

useSettings({ level: 'paranoid', exactLedger: true });

const HEAP = 'UnpooledByteBufAllocator$InstrumentedUnpooledUnsafeHeapByteBuf';

/** A heap buffer from `Unpooled.buffer(n)` holding `content`. */
function holding(...content: number[]): ByteBuf {
  return Unpooled.buffer(content.length).writeBytes(Uint8Array.from(content));
}

/** The error `fn` throws. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('Unpooled.wrappedBuffer of several buffers', () => {
  it('is a composite with maxNumComponents = the argument count, so the next add consolidates and frees the parts', () => {
    const [a, b, e] = [holding(1, 2), holding(3), holding(4)];
    const c = Unpooled.wrappedBuffer(a, b) as CompositeByteBuf;
    expect([c.numComponents(), c.maxNumComponents(), c.toString()]).toEqual([2, 2, 'CompositeByteBuf(ridx: 0, widx: 3, cap: 3, components=2)']);
    c.addComponent(true, e);
    expect([c.numComponents(), a.refCnt(), b.refCnt(), e.refCnt()]).toEqual([1, 0, 0, 0]);
    expect(c.component(0).toString()).toBe(`UnpooledDuplicatedByteBuf(ridx: 0, widx: 4, cap: 4, unwrapped: ${HEAP}(ridx: 0, widx: 4, cap: 4))`);
    expect(Array.from(ByteBufUtil.getBytes(c))).toEqual([1, 2, 3, 4]);
    c.release();
  });

  it('growth past the capacity consolidates the same way (a 61-byte padding, then one 64-byte buffer)', () => {
    const [a, b] = [holding(1, 2), holding(3)];
    const c = Unpooled.wrappedBuffer(a, b) as CompositeByteBuf;
    c.writeByte(9);
    expect([c.numComponents(), c.capacity(), c.writerIndex(), a.refCnt(), b.refCnt()]).toEqual([1, 64, 4, 0, 0]);
    c.release();
  });

  it('ByteBuffers and arrays: maxNumComponents is the argument count too', () => {
    const c = Unpooled.wrappedBuffer(ByteBuffer.wrap(Uint8Array.from([1])), ByteBuffer.wrap(Uint8Array.from([2]))) as CompositeByteBuf;
    expect([c.numComponents(), c.maxNumComponents()]).toEqual([2, 2]);
    c.addComponent(true, holding(4));
    expect([c.numComponents(), c.capacity()]).toEqual([1, 3]);
    c.release();
  });

  it('keeps an empty ByteBuf after the first readable one (released with the composite); one before it is released at once', () => {
    const [before, a, after] = [holding(), holding(1), holding()];
    const c = Unpooled.wrappedBuffer(before, a, after) as CompositeByteBuf;
    expect([c.numComponents(), c.maxNumComponents(), before.refCnt(), after.refCnt()]).toEqual([2, 3, 0, 1]);
    c.release();
    expect([a.refCnt(), after.refCnt()]).toEqual([0, 0]);
    const [e1, e2] = [holding(), holding()];
    expect(Unpooled.wrappedBuffer(e1, e2)).toBe(EMPTY_BUFFER);
    expect([e1.refCnt(), e2.refCnt()]).toEqual([0, 0]);
  });

  it('a freed buffer first among them fails the call and everything after it is released', () => {
    let a!: ByteBuf;
    const scope = inScope('freed-first', () => {
      const freed = holding(2);
      freed.release();
      a = holding(1);
      expect(firstLine(refCntError(() => Unpooled.wrappedBuffer(freed, a)).message)).toBe('refCnt: 0');
    });
    expect(a.refCnt()).toBe(0);
    expect(scope.live().map((t) => t.kind)).toEqual(['composite']);
  });
});

describe('CompositeByteBuf ownership on failure', () => {
  it('addComponents on a freed composite throws "refCnt: 0" and releases none of the buffers passed', () => {
    let a!: ByteBuf;
    let b!: ByteBuf;
    inScope('add-to-freed', () => {
      const c = Unpooled.compositeBuffer();
      c.release();
      [a, b] = [holding(1), holding(2)];
      expect(firstLine(refCntError(() => c.addComponents(true, a, b)).message)).toBe('refCnt: 0');
    });
    expect([a.refCnt(), b.refCnt()]).toEqual([1, 1]);
    a.release();
    b.release();
  });

  it('addComponents at a bad index takes nothing; addComponent at a bad index releases the buffer', () => {
    const c = Unpooled.compositeBuffer();
    const [a, b] = [holding(1), holding(2)];
    expect(thrown(() => c.addComponents(2, a))).toEqual(new IndexOutOfBoundsException('cIndex: 2 (expected: >= 0 && <= numComponents(0))'));
    expect(a.refCnt()).toBe(1);
    expect(thrown(() => c.addComponent(2, b))).toEqual(new IndexOutOfBoundsException('cIndex: 2 (expected: >= 0 && <= numComponents(0))'));
    expect(b.refCnt()).toBe(0);
    a.release();
    c.release();
  });

  it('addComponents failing on a freed buffer keeps the ones before it (and their bytes in the writer index), releases the rest', () => {
    let c!: CompositeByteBuf;
    let a!: ByteBuf;
    let b!: ByteBuf;
    const scope = inScope('add-freed-middle', () => {
      c = Unpooled.compositeBuffer();
      const freed = holding(2);
      freed.release();
      [a, b] = [holding(1), holding(3)];
      expect(firstLine(refCntError(() => c.addComponents(true, a, freed, b)).message)).toBe('refCnt: 0');
    });
    expect([a.refCnt(), b.refCnt(), c.numComponents(), c.writerIndex()]).toEqual([1, 0, 1, 1]);
    expect(scope.misuses.map((m) => m.kind)).toEqual(['use-after-free', 'over-release']);
    c.release();
  });

  it('a range read visits an empty component in the middle: freed, it fails the read; single-byte reads skip it', () => {
    let c!: CompositeByteBuf;
    inScope('freed-empty', () => {
      const [a, e, b] = [holding(1), holding(), holding(2)];
      c = Unpooled.compositeBuffer().addComponents(true, a, e, b);
      e.release();
      expect([c.getByte(0), c.getByte(1)]).toEqual([1, 2]);
      expect(firstLine(refCntError(() => c.getBytes(0, new Uint8Array(2))).message)).toBe('refCnt: 0');
      c.getBytes(0, new Uint8Array(1));
      expect(firstLine(refCntError(() => c.setBytes(0, Uint8Array.from([7, 8]))).message)).toBe('refCnt: 0');
      expect(firstLine(refCntError(() => c.nioBuffers()).message)).toBe('refCnt: 0');
      // Netty's setBytes wrote the first component before failing on the freed one.
      expect([c.readByte(), c.readByte()]).toEqual([7, 2]);
    });
    c.removeComponent(2);
    c.removeComponent(0);
    expect(c.numComponents()).toBe(1);
  });

  it('readBytes(n) over a freed component allocates first: the new buffer is left unreleased, as in Netty', () => {
    const scope = inScope('readBytes-leak', () => {
      const [a, b] = [holding(1), holding(2)];
      const c = Unpooled.compositeBuffer().addComponents(true, a, b);
      b.release();
      expect(firstLine(refCntError(() => c.readBytes(2)).message)).toBe('refCnt: 0');
      c.removeComponent(0);
    });
    expect(scope.live().map((t) => [t.kind, t.capacity])).toEqual([['composite', 0], ['direct', 2]]);
  });

  it('consolidate frees part by part: a freed middle part leaves the first freed but listed, the last held, the copy unreleased', () => {
    let a!: ByteBuf;
    let b!: ByteBuf;
    let c!: CompositeByteBuf;
    const scope = inScope('consolidate-freed', () => {
      a = holding(1);
      const freed = holding(2);
      b = holding(3);
      c = Unpooled.compositeBuffer().addComponents(true, a, freed, b);
      freed.release();
      expect(thrown(() => c.consolidate())).toEqual(new IndexOutOfBoundsException('srcIndex: 0, length: 1 (expected: range(0, 0))'));
      expect([a.refCnt(), b.refCnt(), c.numComponents()]).toEqual([0, 1, 3]);
      // Releasing the composite now over-releases the first part and stops there: b is never released.
      expect(firstLine(refCntError(() => c.release()).message)).toBe('refCnt: 0, decrement: 1');
    });
    expect([c.refCnt(), b.refCnt()]).toEqual([0, 1]);
    expect(scope.live().map((t) => [t.kind, t.capacity]).sort()).toEqual([['heap', 1], ['heap', 3]]);
  });

  it('removeComponent of a freed component throws the over-release and keeps it', () => {
    let c!: CompositeByteBuf;
    inScope('remove-freed', () => {
      const [a, r] = [holding(1), holding(2)];
      c = Unpooled.compositeBuffer().addComponents(true, a, r);
      r.release();
      expect(firstLine(refCntError(() => c.removeComponent(1)).message)).toBe('refCnt: 0, decrement: 1');
      expect(c.numComponents()).toBe(2);
      expect(thrown(() => c.removeComponent(2))).toEqual(
        new NullPointerException('Cannot invoke "io.netty.buffer.CompositeByteBuf$Component.free()" because "comp" is null'),
      );
    });
    c.removeComponent(0);
  });

  it('component(i) is a duplicate of the buffer as added, with its current indices; isDirect follows the components', () => {
    const a = holding(1, 2, 3);
    a.readByte();
    const c = Unpooled.compositeBuffer().addComponents(true, a, a.retainedSlice(0, 1));
    a.readerIndex(2);
    expect(c.component(0).toString()).toBe(`UnpooledDuplicatedByteBuf(ridx: 2, widx: 3, cap: 3, unwrapped: ${HEAP}(ridx: 2, widx: 3, cap: 3))`);
    const none = Unpooled.compositeBuffer();
    expect([c.isDirect(), none.isDirect()]).toEqual([false, false]);
    none.release();
    const d = Unpooled.wrappedBuffer(Unpooled.directBuffer(1).writeByte(1), Unpooled.directBuffer(1).writeByte(2));
    expect(d.isDirect()).toBe(true);
    d.release();
    c.release();
  });
});

describe('zero-length results are EMPTY_BUFFER', () => {
  it('readBytes(0), EMPTY_BUFFER.copy(), buffer(0, 0), directBuffer(0, 0), copiedBuffer of nothing readable, wrappedBuffer(array, i, 0)', () => {
    const scope = inScope('empties', () => {
      const buf = holding(1, 2, 3);
      expect(buf.readBytes(0)).toBe(EMPTY_BUFFER);
      expect(buf.slice().readBytes(0)).toBe(EMPTY_BUFFER);
      expect(EMPTY_BUFFER.copy()).toBe(EMPTY_BUFFER);
      expect(Unpooled.buffer(0, 0)).toBe(EMPTY_BUFFER);
      expect(Unpooled.directBuffer(0, 0)).toBe(EMPTY_BUFFER);
      expect(Unpooled.copiedBuffer(new Uint8Array(0))).toBe(EMPTY_BUFFER);
      expect(Unpooled.copiedBuffer(buf.slice(3, 0))).toBe(EMPTY_BUFFER);
      expect(Unpooled.copiedBuffer(ByteBuffer.allocate(0))).toBe(EMPTY_BUFFER);
      expect(Unpooled.wrappedBuffer(new Uint8Array(3), 1, 0)).toBe(EMPTY_BUFFER);
      buf.release();
    });
    expect([scope.createdCount, scope.liveCount]).toEqual([1, 0]);
  });

  it('but copy(i, 0) and buffer(0) are new buffers, as in Netty', () => {
    const buf = holding(1);
    const copy = buf.copy(1, 0);
    const zero = Unpooled.buffer(0);
    expect([copy === EMPTY_BUFFER, zero === EMPTY_BUFFER, copy.toString()]).toEqual([false, false, `${HEAP}(ridx: 0, widx: 0, cap: 0)`]);
    [buf, copy, zero].forEach((b) => b.release());
  });
});

describe('views', () => {
  it('a duplicate of a slice is a duplicate of the parent with the slice indices moved to the parent', () => {
    const buf = holding(1, 2, 3, 4, 5);
    const s = buf.slice(1, 3);
    s.readByte();
    const d = s.duplicate();
    expect([d.readerIndex(), d.writerIndex(), d.capacity(), d.maxCapacity(), d.getByte(0)]).toEqual([2, 4, 5, 0x7fffffff, 1]);
    buf.release();
  });

  it('duplicates have the parent maxCapacity and grow the parent; read-only views have it and cannot grow', () => {
    const buf = Unpooled.buffer(2, 100);
    const d = buf.duplicate().writerIndex(2);
    d.writeByte(7);
    expect([d.capacity(), d.maxCapacity(), buf.capacity()]).toEqual([64, 100, 64]);
    const ro = buf.asReadOnly();
    expect([ro.maxCapacity(), ro.isWritable(), ro.writableBytes()]).toEqual([100, false, 64]);
    expect(() => ro.ensureWritable(0)).toThrow(ReadOnlyBufferException);
    expect(() => buf.slice().capacity(1)).toThrow(new UnsupportedOperationException('sliced buffer'));
    buf.release();
  });

  it('a read-only view: writeByte moves the writer index before it throws; the other writes do not', () => {
    const ro = Unpooled.buffer(16).asReadOnly();
    expect(() => ro.writeByte(1)).toThrow(ReadOnlyBufferException);
    expect(ro.writerIndex()).toBe(1);
    expect(() => ro.writeBoolean(true)).toThrow(ReadOnlyBufferException);
    expect(ro.writerIndex()).toBe(2);
    for (const write of [() => ro.writeShort(1), () => ro.writeInt(1), () => ro.writeLongLE(1n), () => ro.writeBytes(new Uint8Array(2)), () => ro.writeZero(2)]) {
      expect(write).toThrow(ReadOnlyBufferException);
      expect(ro.writerIndex()).toBe(2);
    }
    ro.release();
  });

  it('a freed buffer slice reports its own bounds first, then the count', () => {
    inScope('slice-order', () => {
      const buf = holding(1, 2);
      const s = buf.slice();
      buf.release();
      expect(thrown(() => s.getByte(5))).toEqual(new IndexOutOfBoundsException('index: 5, length: 1 (expected: range(0, 2))'));
      expect(thrown(() => s.getBytes(0, new Uint8Array(5)))).toEqual(new IndexOutOfBoundsException('index: 0, length: 5 (expected: range(0, 2))'));
      expect(thrown(() => s.getByte(0))).toBeInstanceOf(IllegalReferenceCountException);
      expect(thrown(() => buf.getByte(5))).toBeInstanceOf(IllegalReferenceCountException);
      expect(s.toString()).toBe('UnpooledSlicedByteBuf(freed)');
    });
  });
});

describe("Netty's texts", () => {
  it('toString names the classes Netty prints on JDK 17', () => {
    const bufs: [ByteBuf, string][] = [
      [Unpooled.buffer(4), `${HEAP}(ridx: 0, widx: 0, cap: 4)`],
      [Unpooled.directBuffer(4), 'UnpooledByteBufAllocator$InstrumentedUnpooledUnsafeDirectByteBuf(ridx: 0, widx: 0, cap: 4)'],
      [Unpooled.wrappedBuffer(new Uint8Array(3)), 'UnpooledHeapByteBuf(ridx: 0, widx: 3, cap: 3/3)'],
      [Unpooled.wrappedBuffer(new Uint8Array(5), 1, 3), 'UnpooledSlicedByteBuf(ridx: 0, widx: 3, cap: 3/3, unwrapped: UnpooledHeapByteBuf(ridx: 0, widx: 5, cap: 5/5))'],
      [Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(3)), 'UnpooledUnsafeDirectByteBuf(ridx: 0, widx: 3, cap: 3/3)'],
      [Unpooled.wrappedBuffer(ByteBuffer.allocate(3).asReadOnlyBuffer()), 'ReadOnlyByteBufferBuf(ridx: 0, widx: 3, cap: 3/3)'],
      [Unpooled.copiedBuffer(Uint8Array.from([1, 2])), 'UnpooledHeapByteBuf(ridx: 0, widx: 2, cap: 2/2)'],
    ];
    const src = holding(1, 2);
    bufs.push([Unpooled.copiedBuffer(src), `${HEAP}(ridx: 0, widx: 2, cap: 2)`], [src, `${HEAP}(ridx: 0, widx: 2, cap: 2)`]);
    for (const [buf, text] of bufs) {
      expect(buf.toString()).toBe(text);
      buf.release();
      expect(buf.toString()).toBe(`${text.slice(0, text.indexOf('('))}(freed)`);
    }
  });

  it('index errors', () => {
    const w = Unpooled.wrappedBuffer(Uint8Array.from([1, 2, 3]));
    expect(thrown(() => w.readInt())).toEqual(new IndexOutOfBoundsException('readerIndex(0) + length(4) exceeds writerIndex(3): UnpooledHeapByteBuf(ridx: 0, widx: 3, cap: 3/3)'));
    expect(thrown(() => w.getByte(3))).toEqual(new ArrayIndexOutOfBoundsException(3, 3));
    expect(thrown(() => w.getInt(1)).message).toBe('Index 3 out of bounds for length 3');
    expect(thrown(() => w.getBytes(0, new Uint8Array(2), 1, 2))).toEqual(new IndexOutOfBoundsException('dstIndex: 1, length: 2 (expected: range(0, 2))'));
    const [small, big, src] = [Unpooled.buffer(1, 1), Unpooled.buffer(8, 100), holding(1, 2)];
    expect(thrown(() => w.readBytes(small, 3)).message).toBe(`length(3) exceeds dst.writableBytes(1) where dst is: ${HEAP}(ridx: 0, widx: 0, cap: 1/1)`);
    expect(thrown(() => big.writeBytes(src, 5)).message).toBe(`length(5) exceeds src.readableBytes(2) where src is: ${HEAP}(ridx: 0, widx: 2, cap: 2)`);
    expect(thrown(() => big.capacity(200)).message).toBe('newCapacity: 200 (expected: 0-100)');
    expect(thrown(() => Unpooled.wrappedBuffer(new Uint8Array(3), 2, 3)).message).toBe('UnpooledHeapByteBuf(ridx: 0, widx: 3, cap: 3/3).slice(2, 3)');
    [w, small, big, src].forEach((b) => b.release());
  });
});

describe('accessors', () => {
  it('signed and unsigned, big- and little-endian, as Netty reads ff 80 01 fe 00 00 00 00', () => {
    const b = holding(0xff, 0x80, 0x01, 0xfe, 0, 0, 0, 0);
    expect([b.getByte(0), b.getUnsignedByte(0), b.getShort(0), b.getUnsignedShort(0), b.getShortLE(0), b.getUnsignedShortLE(0)]).toEqual([-1, 255, -128, 65408, -32513, 33023]);
    expect([b.getMedium(0), b.getUnsignedMedium(0), b.getMediumLE(0), b.getUnsignedMediumLE(0)]).toEqual([-32767, 16744449, 98559, 98559]);
    expect([b.getInt(0), b.getUnsignedInt(0), b.getIntLE(0), b.getUnsignedIntLE(0)]).toEqual([-8388098, 4286579198, -33455873, 4261511423]);
    expect([b.getLong(0), b.getLongLE(0)]).toEqual([-36026606585643008n, 4261511423n]);
    expect([b.readByte(), b.readUnsignedByte(), b.readShort(), b.readerIndex()]).toEqual([-1, 128, 510, 4]);
    b.release();
  });

  it('writes cut the value to the width, as Java casts do', () => {
    const b = Unpooled.buffer(8);
    b.setShort(0, 0x12345).setMedium(2, -1).setIntLE(4, 0x1234567).writerIndex(8);
    expect(ByteBufUtil.hexDump(b)).toBe('2345ffff67452301');
    b.clear().writeByte(0x1ff).writeLong(-2n).writeInt(0x1_0000_0001);
    expect(ByteBufUtil.hexDump(b)).toBe('fffffffffffffffffe00000001');
    b.release();
  });

  it('capacity(n) grows and shrinks (indices pulled in); discardReadBytes moves the readable bytes to 0', () => {
    const b = holding(1, 2, 3, 4);
    b.readerIndex(3).capacity(2);
    expect(b.toString()).toBe(`${HEAP}(ridx: 2, widx: 2, cap: 2)`);
    b.capacity(4).setIndex(1, 4).discardReadBytes();
    expect([b.readerIndex(), b.writerIndex(), b.getUnsignedByte(0), b.getUnsignedByte(1)]).toEqual([0, 3, 2, 0]);
    b.release();
    const c = Unpooled.compositeBuffer().addComponents(true, holding(1), holding(2, 3));
    c.skipBytes(2).discardReadBytes();
    expect(c.toString()).toBe('CompositeByteBuf(ridx: 0, widx: 1, cap: 1, components=1)');
    c.release();
  });

  it('ByteBuffer.compact() moves the remaining bytes to 0 and readies the buffer for writing', () => {
    const bb = ByteBuffer.allocate(5).put(Uint8Array.from([1, 2, 3])).flip();
    bb.get();
    bb.compact();
    expect([bb.position(), bb.limit(), bb.get(0), bb.get(1)]).toEqual([2, 5, 2, 3]);
    expect(() => ByteBuffer.allocate(1).asReadOnlyBuffer().compact()).toThrow(ReadOnlyBufferException);
  });

  it('addComponent(index, buf) inserts; the writer index grows only with increaseWriterIndex', () => {
    const c = Unpooled.compositeBuffer();
    c.addComponent(true, holding(1)).addComponent(true, 0, holding(2));
    c.addComponents(0, holding(3));
    expect([c.toString(), ByteBufUtil.hexDump(c)]).toEqual(['CompositeByteBuf(ridx: 0, widx: 2, cap: 3, components=3)', '0302']);
    expect(trackerOf(c)).not.toBeNull();
    c.release();
  });
});
