/** The NIO-like `ByteBuffer`: Java's position/limit/capacity rules, views, and its errors. */
import {
  BufferOverflowException,
  BufferUnderflowException,
  ByteBuffer,
  IllegalArgumentException,
  IndexOutOfBoundsException,
  InvalidMarkException,
  ReadOnlyBufferException,
  UnsupportedOperationException,
} from '../../../harness';
import { bytes } from '../support';

describe('factories', () => {
  it('allocate(n): a heap buffer of n zero bytes, position 0, limit n, with an array', () => {
    const b = ByteBuffer.allocate(8);
    expect([b.capacity(), b.position(), b.limit(), b.remaining(), b.hasRemaining(), b.isDirect(), b.hasArray()]).toEqual([8, 0, 8, 8, true, false, true]);
    expect(Array.from(b.array())).toEqual(Array<number>(8).fill(0));
    expect(b.arrayOffset()).toBe(0);
    expect(b.toString()).toBe('java.nio.HeapByteBuffer[pos=0 lim=8 cap=8]');
  });

  it('allocateDirect(n): a direct buffer without an accessible array', () => {
    const b = ByteBuffer.allocateDirect(4);
    expect([b.isDirect(), b.hasArray()]).toEqual([true, false]);
    expect(() => b.array()).toThrow(new UnsupportedOperationException(''));
    expect(b.toString()).toBe('java.nio.DirectByteBuffer[pos=0 lim=4 cap=4]');
  });

  it('wrap(array, offset, length): the caller\'s array, not a copy, position offset, limit offset + length', () => {
    const array = bytes(6);
    const b = ByteBuffer.wrap(array, 1, 3);
    expect([b.capacity(), b.position(), b.limit()]).toEqual([6, 1, 4]);
    b.put(2, 0x7f);
    expect(array[2]).toBe(0x7f);
    array[1] = 0x11;
    expect(b.get()).toBe(0x11);
    expect(b.array()).toBe(array);
  });
});

describe('relative and absolute get/put, flip, rewind, clear, mark/reset', () => {
  it('put advances the position; flip makes what was written readable', () => {
    const b = ByteBuffer.allocate(4).put(1).put(Uint8Array.from([2, 3]));
    expect(b.position()).toBe(3);
    b.flip();
    expect([b.position(), b.limit()]).toEqual([0, 3]);
    expect([b.get(), b.get(), b.get()]).toEqual([1, 2, 3]);
    expect(b.hasRemaining()).toBe(false);
  });

  it('bytes are signed, as Java\'s: put(255) stores -1, get() reads -128..127', () => {
    const b = ByteBuffer.allocate(2).put(255).put(1, -128);
    expect([b.get(0), b.get(1)]).toEqual([-1, -128]);
    expect(Array.from(b.clear().toUint8Array())).toEqual([255, 128]);
  });

  it('bulk get copies into an array and advances; put(ByteBuffer) drains the source', () => {
    const src = ByteBuffer.wrap(bytes(4));
    const dst = ByteBuffer.allocate(6).put(src);
    expect([src.remaining(), dst.position()]).toEqual([0, 4]);
    const out = new Uint8Array(3);
    dst.flip().get(out, 1, 2);
    expect(Array.from(out)).toEqual([0, 0, 1]);
    expect(dst.position()).toBe(2);
  });

  it('rewind, clear, mark/reset move the indices as in Java', () => {
    const b = ByteBuffer.allocate(8).position(3).mark().position(5);
    b.reset();
    expect(b.position()).toBe(3);
    b.limit(4).rewind();
    expect([b.position(), b.limit()]).toEqual([0, 4]);
    b.clear();
    expect([b.position(), b.limit()]).toEqual([0, 8]);
    expect(() => b.reset()).toThrow(new InvalidMarkException());
  });

  it('limit below the position pulls the position down', () => {
    const b = ByteBuffer.allocate(8).position(6).limit(2);
    expect([b.position(), b.limit()]).toEqual([2, 2]);
  });
});

describe('views: slice, duplicate, asReadOnlyBuffer', () => {
  it('slice() spans the remaining bytes, shares memory, and has its own indices', () => {
    const b = ByteBuffer.wrap(bytes(6)).position(2).limit(5);
    const s = b.slice();
    expect([s.position(), s.limit(), s.capacity(), s.arrayOffset()]).toEqual([0, 3, 3, 2]);
    s.put(0, 0xcc);
    expect(b.get(2)).toBe(-52);
    s.position(3);
    expect(b.position()).toBe(2);
  });

  it('duplicate() shares memory and starts with the same indices', () => {
    const b = ByteBuffer.allocateDirect(4).position(1);
    const d = b.duplicate();
    expect([d.position(), d.limit(), d.isDirect()]).toEqual([1, 4, true]);
    d.put(3, 9).position(2);
    expect([b.get(3), b.position()]).toEqual([9, 1]);
  });

  it('asReadOnlyBuffer() shares memory and refuses writes and the array', () => {
    const b = ByteBuffer.allocate(2);
    const r = b.asReadOnlyBuffer();
    b.put(0, 5);
    expect([r.isReadOnly(), r.get(0), r.hasArray()]).toEqual([true, 5, false]);
    expect(() => r.put(1)).toThrow(ReadOnlyBufferException);
    expect(() => r.put(0, 1)).toThrow(new ReadOnlyBufferException());
    expect(() => r.array()).toThrow(ReadOnlyBufferException);
    expect(r.toString()).toBe('java.nio.HeapByteBufferR[pos=0 lim=2 cap=2]');
  });
});

describe('errors', () => {
  it.each<[string, () => unknown, Error]>([
    ['get() past the limit', () => ByteBuffer.allocate(1).position(1).get(), new BufferUnderflowException('')],
    ['bulk get past the limit', () => ByteBuffer.allocate(1).get(new Uint8Array(2)), new BufferUnderflowException()],
    ['put() past the limit', () => ByteBuffer.allocate(1).put(1).put(2), new BufferOverflowException('')],
    ['bulk put past the limit', () => ByteBuffer.allocate(1).put(Uint8Array.from([1, 2])), new BufferOverflowException()],
    ['put(itself)', () => { const b = ByteBuffer.allocate(1); b.put(b); }, new IllegalArgumentException('The source buffer is this buffer')],
    ['get(index) at the limit', () => ByteBuffer.allocate(8).limit(4).get(4), new IndexOutOfBoundsException('')],
    ['put(index) below 0', () => ByteBuffer.allocate(8).put(-1, 0), new IndexOutOfBoundsException('')],
    ['put(300)', () => ByteBuffer.allocate(1).put(300), new IllegalArgumentException('value: 300 (expected: an integer in [-128, 255])')],
    ['position past the limit', () => ByteBuffer.allocate(8).limit(4).position(5), new IllegalArgumentException('newPosition > limit: (5 > 4)')],
    ['position(-1)', () => ByteBuffer.allocate(8).position(-1), new IllegalArgumentException('newPosition < 0: (-1 < 0)')],
    ['limit past the capacity', () => ByteBuffer.allocate(8).limit(9), new IllegalArgumentException('newLimit > capacity: (9 > 8)')],
    ['allocate(-1)', () => ByteBuffer.allocate(-1), new IllegalArgumentException('capacity < 0: (-1 < 0)')],
    ['allocateDirect(2.5)', () => ByteBuffer.allocateDirect(2.5), new IllegalArgumentException('capacity: 2.5 (expected: an integer)')],
    ['wrap(array, 4, 3) out of range', () => ByteBuffer.wrap(new Uint8Array(6), 4, 3), new IndexOutOfBoundsException('')],
    ['wrap(null)', () => ByteBuffer.wrap(null as unknown as Uint8Array), new IllegalArgumentException('array: expected a Uint8Array, got null')],
    ['wrap("abc")', () => ByteBuffer.wrap('abc' as unknown as Uint8Array), new IllegalArgumentException('array: expected a Uint8Array, got string abc')],
    ['wrap(42)', () => ByteBuffer.wrap(42 as unknown as Uint8Array), new IllegalArgumentException('array: expected a Uint8Array, got number 42')],
    ['put("abc")', () => ByteBuffer.allocate(4).put('abc' as unknown as Uint8Array), new IllegalArgumentException('src: expected a Uint8Array or ByteBuffer, got string abc')],
    ['get("abc")', () => ByteBuffer.allocate(4).get('abc' as unknown as Uint8Array), new IllegalArgumentException('dst: expected an index or a Uint8Array, got string abc')],
  ])('%s throws a typed error with a clear message', (_, call, expected) => {
    let caught: unknown;
    try {
      call();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(expected.constructor);
    expect((caught as Error).message).toBe(expected.message);
  });

  it('a failed put leaves the position where it was', () => {
    const b = ByteBuffer.allocate(2).put(1);
    expect(() => b.put(Uint8Array.from([1, 2]))).toThrow(BufferOverflowException);
    expect(b.position()).toBe(1);
  });
});
