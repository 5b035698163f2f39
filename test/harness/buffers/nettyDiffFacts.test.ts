/**
 * Facts found by the differential test (`npm run netty-diff`) on Netty 4.1.48 and OpenJDK 17, each
 * checked with a Java probe, pinned on the model: the JDK's `ByteBuffer` errors (classes, check
 * order, texts), `EmptyByteBuf`'s own checks, the order of a slice's checks, and what a read-only
 * view delegates.
 */
import {
  BufferOverflowException,
  BufferUnderflowException,
  ByteBuffer,
  CompositeByteBuf,
  EMPTY_BUFFER,
  HarnessError,
  IllegalArgumentException,
  IllegalStateException,
  IndexOutOfBoundsException,
  InvalidMarkException,
  ReadOnlyBufferException,
  Unpooled,
  UnsupportedOperationException,
} from '../../../harness';
import { inScope, useSettings } from '../support';

useSettings({ level: 'paranoid', exactLedger: true });

/** The error `fn` throws, as `[name, message]`. */
function failure(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (error) {
    // The first line: Netty's text (the harness's tracking detail follows on lines of its own).
    return [(error as Error).name, (error as Error).message.split('\n')[0]!];
  }
  throw new Error('expected a throw');
}

describe('java.nio.ByteBuffer errors, as JDK 17 throws them', () => {
  it('the NIO exception classes, each without a message, in Java\'s hierarchy', () => {
    expect(failure(() => ByteBuffer.allocate(0).get())).toEqual(['BufferUnderflowException', '']);
    expect(failure(() => ByteBuffer.allocate(0).put(1))).toEqual(['BufferOverflowException', '']);
    expect(failure(() => ByteBuffer.allocate(3).reset())).toEqual(['InvalidMarkException', '']);
    expect(failure(() => ByteBuffer.allocate(3).asReadOnlyBuffer().put(1))).toEqual(['ReadOnlyBufferException', '']);
    expect(new InvalidMarkException()).toBeInstanceOf(IllegalStateException);
    expect(new ReadOnlyBufferException()).toBeInstanceOf(UnsupportedOperationException);
    expect(new BufferOverflowException()).not.toBeInstanceOf(IndexOutOfBoundsException);
    expect(new BufferUnderflowException()).toBeInstanceOf(HarnessError);
    expect([new BufferOverflowException().code, new BufferUnderflowException().code, new InvalidMarkException().code]).toEqual([
      'ERR_BUFFER_OVERFLOW',
      'ERR_BUFFER_UNDERFLOW',
      'ERR_INVALID_MARK',
    ]);
  });

  it('index and range texts: a bare IndexOutOfBoundsException for one index, Objects.checkFromIndexSize for a range', () => {
    expect(failure(() => ByteBuffer.allocateDirect(6).get(25))).toEqual(['IndexOutOfBoundsException', '']);
    expect(failure(() => ByteBuffer.allocate(6).put(-1, 1))).toEqual(['IndexOutOfBoundsException', '']);
    expect(failure(() => ByteBuffer.wrap(new Uint8Array(3), 9, 0))).toEqual(['IndexOutOfBoundsException', '']);
    expect(failure(() => ByteBuffer.allocateDirect(4).slice(10, 6))).toEqual(['IndexOutOfBoundsException', 'Range [10, 10 + 6) out of bounds for length 4']);
    expect(failure(() => ByteBuffer.allocate(6).slice(1, -2))).toEqual(['IndexOutOfBoundsException', 'Range [1, 1 + -2) out of bounds for length 6']);
    expect(failure(() => ByteBuffer.allocate(11).get(new Uint8Array(1), 0, 2))).toEqual(['IndexOutOfBoundsException', 'Range [0, 0 + 2) out of bounds for length 1']);
    expect(failure(() => ByteBuffer.allocateDirect(16).put(new Uint8Array(2), 9, 38))).toEqual(['IndexOutOfBoundsException', 'Range [9, 9 + 38) out of bounds for length 2']);
  });

  it('slice(index, length) is bounded by the limit, not the capacity', () => {
    const b = ByteBuffer.allocate(8).limit(4);
    expect(failure(() => b.slice(2, 3))).toEqual(['IndexOutOfBoundsException', 'Range [2, 2 + 3) out of bounds for length 4']);
    expect(b.slice(2, 2).capacity()).toBe(2);
  });

  it('position, limit and allocate texts', () => {
    expect(failure(() => ByteBuffer.allocate(8).position(-2))).toEqual(['IllegalArgumentException', 'newPosition < 0: (-2 < 0)']);
    expect(failure(() => ByteBuffer.allocate(8).limit(-1))).toEqual(['IllegalArgumentException', 'newLimit < 0: (-1 < 0)']);
    expect(failure(() => ByteBuffer.allocate(-1))).toEqual(['IllegalArgumentException', 'capacity < 0: (-1 < 0)']);
    expect(failure(() => ByteBuffer.allocateDirect(-1))).toEqual(['IllegalArgumentException', 'capacity < 0: (-1 < 0)']);
  });

  it('array() and arrayOffset(): a direct buffer, read-only or not, is unsupported; a read-only heap one is read-only', () => {
    expect(failure(() => ByteBuffer.allocateDirect(5).duplicate().arrayOffset())).toEqual(['UnsupportedOperationException', '']);
    expect(failure(() => ByteBuffer.allocateDirect(5).asReadOnlyBuffer().array())).toEqual(['UnsupportedOperationException', '']);
    expect(failure(() => ByteBuffer.allocate(5).asReadOnlyBuffer().array())).toEqual(['ReadOnlyBufferException', '']);
  });

  it('check order: read-only before the index; a direct read-only buffer checks put(itself) first', () => {
    expect(failure(() => ByteBuffer.allocate(6).asReadOnlyBuffer().put(12, 1))).toEqual(['ReadOnlyBufferException', '']);
    const heap = ByteBuffer.allocate(6).asReadOnlyBuffer();
    expect(failure(() => heap.put(heap))).toEqual(['ReadOnlyBufferException', '']);
    const direct = ByteBuffer.allocateDirect(6).asReadOnlyBuffer();
    expect(failure(() => direct.put(direct))).toEqual(['IllegalArgumentException', 'The source buffer is this buffer']);
  });

  it('get() and get(index) return Java\'s signed byte', () => {
    const b = ByteBuffer.wrap(Uint8Array.from([0xe4, 0x05]));
    expect([b.get(), b.get(1)]).toEqual([-28, 5]);
  });
});

describe("EmptyByteBuf's own checks", () => {
  it('bulk ops check only the length (Netty\'s "length" text when negative) and touch no other buffer', () => {
    const dst = Unpooled.buffer(4);
    expect(failure(() => EMPTY_BUFFER.readBytes(dst, 7))).toEqual(['IndexOutOfBoundsException', '']);
    expect(failure(() => EMPTY_BUFFER.writeBytes(EMPTY_BUFFER, 2147483632))).toEqual(['IndexOutOfBoundsException', '']);
    expect(failure(() => EMPTY_BUFFER.skipBytes(-1))).toEqual(['IllegalArgumentException', 'length: -1 (expected: >= 0)']);
    expect(failure(() => EMPTY_BUFFER.readBytes(-1))).toEqual(['IllegalArgumentException', 'length: -1 (expected: >= 0)']);
    expect(failure(() => EMPTY_BUFFER.slice(0, -1))).toEqual(['IllegalArgumentException', 'length: -1 (expected: >= 0)']);
    expect(failure(() => EMPTY_BUFFER.nioBuffer(9, 10))).toEqual(['IndexOutOfBoundsException', '']);
    // A zero length passes whatever the other buffer's range: nothing is read from it.
    expect(EMPTY_BUFFER.getBytes(0, new Uint8Array(4), 3, 0)).toBe(EMPTY_BUFFER);
    expect(EMPTY_BUFFER.readBytes(dst, 0)).toBe(EMPTY_BUFFER);
    expect([dst.writerIndex(), dst.release()]).toEqual([0, true]);
  });

  it('single-value accessors throw whatever the index; isReadable(0) and isWritable(0) are false', () => {
    expect(failure(() => EMPTY_BUFFER.getMediumLE(0))).toEqual(['IndexOutOfBoundsException', '']);
    expect(failure(() => EMPTY_BUFFER.setIntLE(0, 1))).toEqual(['IndexOutOfBoundsException', '']);
    expect(failure(() => EMPTY_BUFFER.asReadOnly().retainedSlice().getMediumLE(0))).toEqual(['IndexOutOfBoundsException', '']);
    expect([EMPTY_BUFFER.isReadable(0), EMPTY_BUFFER.isWritable(0)]).toEqual([false, false]);
  });

  it('nioBuffer() is one shared empty direct ByteBuffer; views and copies are EMPTY_BUFFER itself', () => {
    expect(EMPTY_BUFFER.nioBuffer()).toBe(EMPTY_BUFFER.nioBuffer());
    expect(EMPTY_BUFFER.nioBuffer().isDirect()).toBe(true);
    expect([EMPTY_BUFFER.retainedSlice(0, 0), EMPTY_BUFFER.retainedDuplicate(), EMPTY_BUFFER.readSlice(0)]).toEqual([EMPTY_BUFFER, EMPTY_BUFFER, EMPTY_BUFFER]);
  });
});

describe('slice check order', () => {
  it('a negative length fails as the new slice\'s maxCapacity, before the range', () => {
    const buf = Unpooled.buffer(14, 25);
    expect(failure(() => buf.slice(8, -2))).toEqual(['IllegalArgumentException', 'maxCapacity: -2 (expected: >= 0)']);
    expect(failure(() => buf.retainedSlice(1, -2))).toEqual(['IllegalArgumentException', 'maxCapacity: -2 (expected: >= 0)']);
    expect(buf.refCnt()).toBe(1);
    buf.release();
  });

  it('wrappedBuffer(array, offset, length) slices the whole-array wrapper; an empty array\'s is EMPTY_BUFFER.slice', () => {
    expect(failure(() => Unpooled.wrappedBuffer(new Uint8Array(4), 9, -3))).toEqual(['IllegalArgumentException', 'maxCapacity: -3 (expected: >= 0)']);
    expect(failure(() => Unpooled.wrappedBuffer(new Uint8Array(0), 0, 3))).toEqual(['IndexOutOfBoundsException', '']);
  });
});

describe('error classes exported', () => {
  it('IllegalArgumentException stays what the other argument checks throw', () => {
    expect(failure(() => ByteBuffer.allocate(2.5))).toEqual(['IllegalArgumentException', 'capacity: 2.5 (expected: an integer)']);
    expect(new IllegalArgumentException('x')).toBeInstanceOf(HarnessError);
  });
});

describe('composites and copies: who is read, who is released', () => {
  it('addComponents appending the composite itself: Netty\'s NullPointerException, and the composite released as the failing buffer', () => {
    let c!: CompositeByteBuf;
    inScope('append-self', () => {
      c = Unpooled.compositeBuffer();
      expect(failure(() => c.addComponents(false, c))).toEqual(['NullPointerException', 'Cannot read field "endOffset" because "this.components[...]" is null']);
    });
    expect([c.refCnt(), c.numComponents()]).toEqual([0, 0]);
  });

  it('addComponents appending a duplicate of the composite after a good buffer keeps the good one', () => {
    const c = Unpooled.compositeBuffer();
    const good = Unpooled.buffer(2).writeByte(7);
    c.retain();
    expect(failure(() => c.addComponents(true, good, c.duplicate()))[0]).toBe('NullPointerException');
    expect([c.refCnt(), c.numComponents(), c.writerIndex(), c.getByte(0)]).toEqual([1, 1, 1, 7]);
    c.release();
    expect(good.refCnt()).toBe(0);
  });

  it('copiedBuffer(ByteBuf...) with nothing readable is EMPTY_BUFFER, freed sources included', () => {
    const a = Unpooled.buffer(4);
    const b = Unpooled.buffer(4);
    a.release();
    b.release();
    expect(Unpooled.copiedBuffer(a, b, b)).toBe(EMPTY_BUFFER);
  });

  it('a copy of nothing from a freed buffer: a direct or composite receiver does not look at it, a heap one does', () => {
    const src = Unpooled.buffer(4);
    src.release();
    const direct = Unpooled.directBuffer(4);
    const composite = Unpooled.compositeBuffer();
    expect(direct.writeBytes(src)).toBe(direct);
    expect(composite.writeBytes(src)).toBe(composite);
    const heap = Unpooled.buffer(4);
    inScope('heap-copy-of-nothing', () => {
      expect(failure(() => heap.writeBytes(src))).toEqual(['IllegalReferenceCountException', 'refCnt: 0']);
    });
    for (const b of [direct, composite, heap]) b.release();
  });
});

describe('bulk copies with arrays and ByteBuffers, per Netty class', () => {
  it('an Unsafe direct buffer names only the array index; a heap buffer gives the full range text', () => {
    const direct = Unpooled.directBuffer(88);
    const heap = Unpooled.buffer(88);
    expect(failure(() => direct.getBytes(3, new Uint8Array(4), 3, 5))).toEqual(['IndexOutOfBoundsException', 'dstIndex: 3']);
    expect(failure(() => heap.getBytes(3, new Uint8Array(4), 3, 5))).toEqual(['IndexOutOfBoundsException', 'dstIndex: 3, length: 5 (expected: range(0, 4))']);
    expect(failure(() => direct.slice(0, 10).readBytes(new Uint8Array(0), 5, 8))).toEqual(['IndexOutOfBoundsException', 'dstIndex: 5']);
    direct.release();
    heap.release();
  });

  it('a heap buffer hands a ByteBuffer range to the JDK: its Range text over the array, read-only first', () => {
    const heap = Unpooled.buffer(8);
    expect(failure(() => heap.getBytes(1, ByteBuffer.allocate(8)))).toEqual(['IndexOutOfBoundsException', 'Range [1, 1 + 8) out of bounds for length 8']);
    expect(failure(() => heap.setBytes(7, ByteBuffer.allocate(55)))).toEqual(['IndexOutOfBoundsException', 'Range [7, 7 + 55) out of bounds for length 8']);
    expect(failure(() => heap.getBytes(20, ByteBuffer.allocate(1).asReadOnlyBuffer()))).toEqual(['ReadOnlyBufferException', '']);
    heap.release();
  });

  it('an Unsafe direct buffer skips an empty ByteBuffer without any check; nothing is written to an empty read-only one', () => {
    const direct = Unpooled.directBuffer(5, 11);
    expect(direct.setBytes(-3, ByteBuffer.allocate(0))).toBe(direct);
    expect(direct.getBytes(0, ByteBuffer.allocate(0).asReadOnlyBuffer())).toBe(direct);
    direct.release();
  });
});

describe('NIO views', () => {
  it('a heap buffer\'s nioBuffer(i, n) out of range is the JDK\'s bare error; a direct one gives Netty\'s range text', () => {
    const heap = Unpooled.wrappedBuffer(Uint8Array.from([0xe8, 0x6f]));
    const direct = Unpooled.directBuffer(8);
    expect(failure(() => heap.nioBuffer(9, 10))).toEqual(['IndexOutOfBoundsException', '']);
    expect(failure(() => heap.nioBuffers(22, 7))).toEqual(['IndexOutOfBoundsException', '']);
    expect(failure(() => direct.nioBuffer(0, 9))).toEqual(['IndexOutOfBoundsException', 'index: 0, length: 9 (expected: range(0, 8))']);
    heap.release();
    direct.release();
  });

  it('every empty composite returns EMPTY_BUFFER\'s one empty direct ByteBuffer', () => {
    const a = Unpooled.compositeBuffer();
    const b = Unpooled.compositeBuffer(1);
    expect(a.nioBuffer()).toBe(b.nioBuffer());
    expect(a.nioBuffer()).toBe(EMPTY_BUFFER.nioBuffer());
    expect(a.nioBuffers()).toEqual([EMPTY_BUFFER.nioBuffer()]);
    a.release();
    b.release();
  });
});

describe('relative reads', () => {
  it('readByte over a freed component fails before the reader index moves', () => {
    const part = Unpooled.buffer(1).writeByte(0xb1);
    const c = Unpooled.compositeBuffer().addComponent(true, part.retain());
    part.release(2);
    inScope('read-freed-part', () => {
      expect(failure(() => c.readByte())).toEqual(['IllegalReferenceCountException', 'refCnt: 0']);
    });
    expect(c.readerIndex()).toBe(0);
    inScope('release-freed-part', () => {
      expect(failure(() => c.release())[0]).toBe('IllegalReferenceCountException');
    });
  });
});

describe('absolute sets over a Java array (UnpooledHeapByteBuf)', () => {
  /** The wrapped array's bytes as hex. */
  function hex(bytes: Uint8Array): string {
    return Buffer.from(bytes).toString('hex');
  }

  it('write the bytes that fit, lowest index first in both byte orders, then the array throws', () => {
    const cases: Array<[(b: ReturnType<typeof Unpooled.wrappedBuffer>) => unknown, string]> = [
      [(b) => b.setInt(4, 0x11223344), '000000001122'],
      [(b) => b.setIntLE(4, 0x11223344), '000000004433'],
      [(b) => b.setShortLE(5, 0x1122), '000000000022'],
      [(b) => b.setMedium(4, 0x112233), '000000001122'],
      [(b) => b.setMediumLE(4, 0x112233), '000000003322'],
      [(b) => b.setLongLE(2, 0x1122334455667788n), '000088776655'],
      [(b) => b.duplicate().setInt(4, 0x11223344), '000000001122'],
      [(b) => b.setInt(-1, 0x11223344), '000000000000'],
    ];
    for (const [op, content] of cases) {
      const array = new Uint8Array(6);
      const b = Unpooled.wrappedBuffer(array);
      const [name, message] = failure(() => op(b));
      expect([name, message, hex(array)]).toEqual([
        'ArrayIndexOutOfBoundsException',
        content === '000000000000' ? 'Index -1 out of bounds for length 6' : 'Index 6 out of bounds for length 6',
        content,
      ]);
      b.release();
    }
  });

  it('a copied buffer is one too; an allocated heap buffer and a slice check first and write nothing', () => {
    const copied = Unpooled.copiedBuffer(ByteBuffer.allocate(8));
    expect(failure(() => copied.setLong(1, -3744261654960172406n))).toEqual(['ArrayIndexOutOfBoundsException', 'Index 8 out of bounds for length 8']);
    expect(copied.getLong(0)).toBe(0x00cc09b5dcddfb92n);
    const allocated = Unpooled.buffer(6);
    expect(failure(() => allocated.setInt(4, 1))).toEqual(['IndexOutOfBoundsException', 'index: 4, length: 4 (expected: range(0, 6))']);
    const array = new Uint8Array(6);
    const slice = Unpooled.wrappedBuffer(array).slice(0, 6);
    expect(failure(() => slice.setInt(4, 1))).toEqual(['IndexOutOfBoundsException', 'index: 4, length: 4 (expected: range(0, 6))']);
    expect(hex(array)).toBe('000000000000');
    copied.release();
    allocated.release();
    slice.release();
  });
});

describe('wrappedBuffer(ByteBuffer) of a heap ByteBuffer', () => {
  it('wraps the array range as wrappedBuffer(array, offset, length): a slice when it is not the whole array', () => {
    const bb = ByteBuffer.allocate(3).limit(1);
    const w = Unpooled.wrappedBuffer(bb);
    expect(w.toString()).toBe('UnpooledSlicedByteBuf(ridx: 0, widx: 1, cap: 1/1, unwrapped: UnpooledHeapByteBuf(ridx: 0, widx: 3, cap: 3/3))');
    expect(failure(() => w.setMediumLE(33, 1))).toEqual(['IndexOutOfBoundsException', 'index: 33, length: 3 (expected: range(0, 1))']);
    const whole = Unpooled.wrappedBuffer(ByteBuffer.allocate(6));
    expect(whole.toString()).toBe('UnpooledHeapByteBuf(ridx: 0, widx: 6, cap: 6/6)');
    expect(failure(() => whole.setInt(4, 0x11223344))).toEqual(['ArrayIndexOutOfBoundsException', 'Index 6 out of bounds for length 6']);
    expect(whole.getUnsignedShort(4)).toBe(0x1122);
    w.release();
    whole.release();
  });
});

describe('component(n) and removeComponent(n) at n == numComponents(): Netty reads its internal array', () => {
  const NPE_DUP = ['NullPointerException', 'Cannot invoke "io.netty.buffer.CompositeByteBuf$Component.duplicate()" because "this.components[cIndex]" is null'];
  const NPE_FREE = ['NullPointerException', 'Cannot invoke "io.netty.buffer.CompositeByteBuf$Component.free()" because "comp" is null'];
  const part = (): ReturnType<typeof Unpooled.buffer> => Unpooled.wrappedBuffer(new Uint8Array([1, 2]));

  it('past a full array: ArrayIndexOutOfBoundsException; on an empty slot: NullPointerException', () => {
    const x = new Uint8Array([1, 2]);
    const w3 = Unpooled.wrappedBuffer(x, x, x) as CompositeByteBuf;
    expect(failure(() => w3.component(3))).toEqual(['ArrayIndexOutOfBoundsException', 'Index 3 out of bounds for length 3']);
    expect(failure(() => w3.removeComponent(3))).toEqual(['ArrayIndexOutOfBoundsException', 'Index 3 out of bounds for length 3']);
    const c = Unpooled.compositeBuffer(2);
    expect(failure(() => c.component(0))).toEqual(NPE_DUP);
    c.addComponent(part()).addComponent(part());
    expect(failure(() => c.component(2))).toEqual(['ArrayIndexOutOfBoundsException', 'Index 2 out of bounds for length 2']);
    // The third consolidates into one component; the array has grown to 3 and keeps that length.
    c.addComponent(part());
    expect(c.numComponents()).toBe(1);
    expect(failure(() => c.removeComponent(1))).toEqual(NPE_FREE);
    w3.release();
    c.release();
  });

  it('the array grows by half or to fit, never below numComponents + 1', () => {
    const d = Unpooled.compositeBuffer(1).addComponent(part());
    expect(failure(() => d.component(1))).toEqual(['ArrayIndexOutOfBoundsException', 'Index 1 out of bounds for length 1']);
    d.addComponent(part());
    expect([d.numComponents(), failure(() => d.component(1))]).toEqual([1, NPE_DUP]);
    d.release();
  });
});

describe('readBytes(ByteBuf) into a destination with a memory address', () => {
  it('a read-only view of a direct buffer is written through its address; of a heap buffer it throws', () => {
    const src = Unpooled.buffer(8).writeLong(0x0102030405060708n);
    const direct = Unpooled.directBuffer(8);
    const view = direct.asReadOnly();
    src.readBytes(view, 3);
    expect([view.writerIndex(), direct.getUnsignedMedium(0), src.readerIndex()]).toEqual([3, 0x010203, 3]);
    const heapView = Unpooled.buffer(8).asReadOnly();
    expect(failure(() => src.readBytes(heapView, 0))).toEqual(['ReadOnlyBufferException', '']);
    expect(failure(() => src.readBytes(heapView, 2))).toEqual(['ReadOnlyBufferException', '']);
    src.release();
    direct.release();
    heapView.release();
  });

  it('EMPTY_BUFFER has an address: reading nothing into a read-only view of it succeeds', () => {
    const view = EMPTY_BUFFER.asReadOnly();
    expect(view.readBytes(view)).toBe(view);
    expect(Unpooled.buffer(4).readBytes(view, 0).release()).toBe(true);
  });

  it('an empty composite has EMPTY_BUFFER\'s address: reading nothing into it succeeds even once freed', () => {
    const src = Unpooled.directBuffer(4);
    const c = Unpooled.compositeBuffer(1);
    c.release();
    expect(src.readBytes(c)).toBe(src);
    expect(c.writerIndex()).toBe(0);
    src.release();
  });
});

describe('writeZero', () => {
  it('Netty\'s Unsafe buffers check liveness even for nothing; a wrapped array, a duplicate and a read-only view do not', () => {
    const allocated = Unpooled.buffer(4);
    const directWrapper = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(4));
    const heapWrapper = Unpooled.wrappedBuffer(new Uint8Array(4));
    const dup = Unpooled.buffer(4);
    const view = dup.duplicate();
    for (const b of [allocated, directWrapper, heapWrapper, dup]) b.release();
    inScope('freed-writeZero', () => {
      expect(failure(() => allocated.writeZero(0))).toEqual(['IllegalReferenceCountException', 'refCnt: 0']);
      expect(failure(() => directWrapper.writeZero(0))).toEqual(['IllegalReferenceCountException', 'refCnt: 0']);
      expect(failure(() => allocated.writeZero(-1))).toEqual(['IllegalArgumentException', 'minWritableBytes: -1 (expected: >= 0)']);
      expect(heapWrapper.writeZero(0)).toBe(heapWrapper);
      expect(view.writeZero(0)).toBe(view);
    });
  });

  it('a negative length on a read-only view is its ensureWritable\'s ReadOnlyBufferException', () => {
    const c = Unpooled.compositeBuffer();
    expect(failure(() => c.writeZero(-1))).toEqual(['IllegalArgumentException', 'minWritableBytes: -1 (expected: >= 0)']);
    expect(failure(() => c.asReadOnly().writeZero(-1))).toEqual(['ReadOnlyBufferException', '']);
    expect(c.asReadOnly().writeZero(0).writerIndex()).toBe(0);
    c.release();
  });
});

describe('a heap buffer\'s nioBuffer', () => {
  it('is ByteBuffer.wrap(array, index, length).slice(): array() is the whole array, arrayOffset() the index', () => {
    const b = Unpooled.buffer(11);
    const nio = b.nioBuffer(2, 5);
    expect([nio.arrayOffset(), nio.array().length, nio.remaining()]).toEqual([2, 11, 5]);
    expect(b.nioBuffer().array().length).toBe(11);
    b.release();
  });
});

describe('consolidating a freed empty composite part', () => {
  it('copies nothing from EMPTY_BUFFER\'s address without a check, then over-releases it: refCnt: 0, decrement: 1', () => {
    const c = Unpooled.compositeBuffer(1);
    const part = Unpooled.compositeBuffer(4);
    inScope('double-add', () => {
      expect(failure(() => c.addComponents(true, part, part))).toEqual(['IllegalReferenceCountException', 'refCnt: 0, decrement: 1']);
    });
    expect(part.refCnt()).toBe(0);
    // The composite still lists the freed part twice, as Netty's: releasing it over-releases again.
    inScope('release-after-failed-consolidation', () => {
      expect(failure(() => c.release())).toEqual(['IllegalReferenceCountException', 'refCnt: 0, decrement: 1']);
    });
  });
});

describe('relative reads past the capacity of a composite (removeComponent keeps the indices)', () => {
  it('Netty\'s component search reads slot numComponents(): an empty slot, or past a full array', () => {
    const c = Unpooled.compositeBuffer(1).writeZero(8).removeComponent(0);
    expect(failure(() => c.readMedium())).toEqual(['NullPointerException', 'Cannot read field "endOffset" because "c" is null']);
    const x = new Uint8Array([1, 2]);
    const w = (Unpooled.wrappedBuffer(x, x, x) as CompositeByteBuf).removeComponent(0).addComponent(Unpooled.wrappedBuffer(new Uint8Array([9])));
    expect(w.toString()).toBe('CompositeByteBuf(ridx: 0, widx: 6, cap: 5, components=3)');
    w.skipBytes(4);
    expect(failure(() => w.readShort())).toEqual(['ArrayIndexOutOfBoundsException', 'Index 3 out of bounds for length 3']);
    expect([w.readerIndex(), w.readByte()]).toEqual([4, 9]);
    c.release();
    w.release();
  });
});

describe('a copy into a composite holding itself', () => {
  it('asks the destination for its memory address first, which recurses as Netty\'s does (StackOverflowError there)', () => {
    const c = Unpooled.compositeBuffer();
    c.addComponent(true, c);
    const heap = Unpooled.buffer(12);
    const direct = Unpooled.directBuffer(9);
    for (const src of [heap, direct]) {
      expect(failure(() => src.readBytes(c, 0))).toEqual(['RangeError', 'Maximum call stack size exceeded']);
      expect(src.readerIndex()).toBe(0);
    }
    heap.release();
    direct.release();
  });
});

describe('ensureWritable in Java int arithmetic', () => {
  it('writerIndex + minWritableBytes past 2^31 - 1 wraps negative and passes; the write\'s own range check fails', () => {
    const b = Unpooled.buffer(54).writeByte(1);
    expect(failure(() => b.writeBytes(new Uint8Array(3), 9, 2147483647))).toEqual(['IndexOutOfBoundsException', 'index: 1, length: 2147483647 (expected: range(0, 54))']);
    expect(b.ensureWritable(2147483647).capacity()).toBe(54);
    b.release();
  });
});

describe('a freed wrapper of a read-only ByteBuffer (ReadOnlyByteBufferBuf)', () => {
  it('keeps its ByteBuffer, so its capacity, where a freed heap wrapper reads 0', () => {
    const ro = Unpooled.wrappedBuffer(ByteBuffer.allocate(10).asReadOnlyBuffer());
    const heap = Unpooled.wrappedBuffer(ByteBuffer.allocate(10));
    const roDirect = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(10).asReadOnlyBuffer());
    for (const b of [ro, heap, roDirect]) b.release();
    expect([ro.capacity(), heap.capacity(), roDirect.capacity()]).toEqual([10, 0, 10]);
  });
});

describe('getBytes(int, ByteBuffer) over a composite', () => {
  it('copies part by part into the ByteBuffer, so a later component sharing its array sees the earlier parts', () => {
    const small = new Uint8Array([0x2e, 0xb4]);
    const shared = ByteBuffer.allocate(7);
    const c = Unpooled.wrappedBuffer(shared, shared, shared, ByteBuffer.wrap(small));
    c.setBytes(7, small);
    expect(Buffer.from(shared.array()).toString('hex')).toBe('2eb40000000000');
    c.getBytes(9, shared);
    expect([Buffer.from(shared.array()).toString('hex'), shared.position(), shared.limit()]).toEqual(['00000000000000', 7, 7]);
    c.release();
  });
});

describe('a wrapper of a read-only direct ByteBuffer (ReadOnlyUnsafeDirectByteBuf) has an unchecked memory address', () => {
  it('a copy into it writes its memory; a copy from it reads the memory even once freed', () => {
    const bb = ByteBuffer.allocateDirect(4);
    const dst = Unpooled.wrappedBuffer(bb.asReadOnlyBuffer()).writerIndex(0);
    const src = Unpooled.buffer(4).writeInt(0x11223344);
    src.readBytes(dst, 2);
    expect([dst.writerIndex(), bb.get(0), bb.get(1)]).toEqual([2, 0x11, 0x22]);
    const freed = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(4).put(0, 7).asReadOnlyBuffer());
    freed.release();
    const out = Unpooled.buffer(4).writeBytes(freed, 0).writeBytes(freed, 4);
    expect([out.writerIndex(), out.getByte(0)]).toEqual([4, 7]);
    for (const b of [dst, src, out]) b.release();
  });

  it('wrapped in several parts, consolidating after the composite took itself copies its freed parts, then over-releases them', () => {
    const bb = ByteBuffer.allocateDirect(48);
    const ro = bb.asReadOnlyBuffer();
    const c = Unpooled.wrappedBuffer(ro, bb, ro) as CompositeByteBuf;
    inScope('self-add', () => {
      expect(failure(() => c.addComponent(true, c))[0]).toBe('IllegalReferenceCountException');
      expect(failure(() => c.writeMedium(2493034))).toEqual(['IllegalReferenceCountException', 'refCnt: 0, decrement: 1']);
    });
  });
});

describe('a copy of nothing from a view', () => {
  it('asks the view for its memory address, which is the wrapped buffer\'s: a read-only view of a freed empty composite passes', () => {
    const c = Unpooled.compositeBuffer(1);
    const view = c.asReadOnly();
    expect(Unpooled.wrappedBuffer(view)).toBe(EMPTY_BUFFER);
    expect(c.refCnt()).toBe(0);
    const heap = Unpooled.copiedBuffer(new Uint8Array(7));
    expect(heap.writeBytes(view).writerIndex()).toBe(7);
    heap.release();
  });
});

describe('a composite\'s nioBuffer(index, length)', () => {
  it('within one component is that component\'s NIO buffer (shared memory); across several, a copy', () => {
    const x = new Uint8Array(4);
    const y = new Uint8Array(4);
    const c = Unpooled.wrappedBuffer(x, y);
    const one = c.nioBuffer(4, 4);
    const both = c.nioBuffer(2, 4);
    y[1] = 9;
    y[0] = 5;
    expect([one.get(1), one.array() === y, both.get(2)]).toEqual([9, true, 0]);
    c.release();
  });

  it('asks each part for its NIO buffer count first: a composite holding itself overflows the stack', () => {
    const x = new Uint8Array(17);
    const self = Unpooled.wrappedBuffer(x, x) as CompositeByteBuf;
    inScope('self-add', () => {
      expect(failure(() => self.addComponent(self))[0]).toBe('IllegalReferenceCountException');
    });
    const slice = self.retainedSlice(9, 27);
    const outer = Unpooled.wrappedBuffer(slice, Unpooled.copiedBuffer(new Uint8Array(2)));
    expect(failure(() => outer.nioBuffer())).toEqual(['RangeError', 'Maximum call stack size exceeded']);
    expect(outer.release()).toBe(true);
    // Releasing the self-holding composite frees its parts: the freed ones over-release.
    inScope('release-self', () => {
      expect(failure(() => self.release())).toEqual(['IllegalReferenceCountException', 'refCnt: 0, decrement: 1']);
    });
  });
});

describe('relative reads through a view of a composite past its capacity', () => {
  it('go to the composite\'s unchecked component search, as Netty\'s views do', () => {
    const c = Unpooled.compositeBuffer().writeByte(163);
    const slice = c.slice();
    c.removeComponent(0);
    expect(failure(() => slice.readUnsignedByte())).toEqual(['NullPointerException', 'Cannot read field "endOffset" because "c" is null']);
    const d = Unpooled.compositeBuffer().writeShort(1);
    const dup = d.duplicate();
    d.removeComponent(0);
    expect(failure(() => dup.readShort())).toEqual(['NullPointerException', 'Cannot read field "endOffset" because "c" is null']);
    c.release();
    d.release();
  });
});
