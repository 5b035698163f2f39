/**
 * Netty's `ByteBuf`: a reference-counted byte buffer with separate reader and writer indices
 * (`0 <= readerIndex <= writerIndex <= capacity`). This abstract base holds every index-based
 * operation; subclasses supply the memory primitives, the reference count and the views.
 *
 * Bytes are read and written as unsigned values (0-255), as a `Uint8Array` holds them; writes
 * accept -128..255 and store the low 8 bits, so Java's signed byte literals still work.
 * @packageDocumentation
 */
import { IllegalArgumentException, IllegalReferenceCountException, IndexOutOfBoundsException, ReadOnlyBufferException } from '../errors';
import { checkNonNegativeInt, checkRange, toByte } from '../internal/checks';
import { ByteBuffer, describeValue } from './ByteBuffer';
import type { ByteBufAllocator } from './ByteBufAllocator';

/** Netty's `ReferenceCounted`. */
export interface ReferenceCounted {
  refCnt(): number;
  retain(increment?: number): this;
  release(decrement?: number): boolean;
  touch(hint?: unknown): this;
}

/** Largest capacity a buffer may grow to (Java's `Integer.MAX_VALUE`). */
export const MAX_CAPACITY = 0x7fffffff;

export abstract class ByteBuf implements ReferenceCounted {
  /** @internal */
  protected rIdx = 0;
  /** @internal */
  protected wIdx = 0;

  // ---- what subclasses provide -------------------------------------------------------------
  /** Current capacity in bytes. */
  abstract capacity(): number;
  /** Largest capacity `ensureWritable` may grow this buffer to. */
  abstract maxCapacity(): number;
  abstract refCnt(): number;
  abstract retain(increment?: number): this;
  abstract release(decrement?: number): boolean;
  abstract touch(hint?: unknown): this;

  /**
   * Releases one reference: `using buf = Unpooled.buffer(64)` gives the reference back at the end
   * of the block, on every path out of it. Like `release()`, it throws
   * `IllegalReferenceCountException` if the count already reached 0 (a block that hands the buffer
   * to an owner, or releases it itself, must not also declare it with `using`).
   */
  [Symbol.dispose](): void {
    this.release();
  }

  /** The buffer this one is a view of (Netty's `unwrap()`), or null. */
  abstract unwrap(): ByteBuf | null;
  abstract isDirect(): boolean;
  abstract isReadOnly(): boolean;
  /** The allocator that made this buffer (used for copies and consolidation). */
  abstract alloc(): ByteBufAllocator;
  /** Number of NIO `ByteBuffer`s that `nioBuffers()` returns. */
  abstract nioBufferCount(): number;
  /** NIO views of `[index, index + length)` (default: the readable bytes). Not reference counted. */
  abstract nioBuffers(index?: number, length?: number): ByteBuffer[];
  /**
   * One NIO `ByteBuffer` over `[index, index + length)` (default: the readable bytes): a view over
   * this buffer's memory when `nioBufferCount() === 1`, a copy otherwise. Not reference counted:
   * it can outlive the release of this buffer.
   */
  abstract nioBuffer(index?: number, length?: number): ByteBuffer;
  /** A view of `[index, index + length)` (default: the readable bytes) sharing content and count. */
  abstract slice(index?: number, length?: number): ByteBuf;
  /** A view of the whole buffer with the same indices, sharing content and count. */
  abstract duplicate(): ByteBuf;
  /** A read-only view sharing content and count. */
  abstract asReadOnly(): ByteBuf;
  /** @internal Reads one byte at an absolute index; bounds and liveness already checked. */
  abstract _getByte(index: number): number;
  /** @internal Writes one byte; bounds, liveness and writability already checked. */
  abstract _setByte(index: number, value: number): void;
  /** @internal Copies `length` bytes at `index` into `dst` at `dstIndex`; checks done. */
  abstract _getBytes(index: number, dst: Uint8Array, dstIndex: number, length: number): void;
  /** @internal Copies `length` bytes of `src` at `srcIndex` to `index`; checks done. */
  abstract _setBytes(index: number, src: Uint8Array, srcIndex: number, length: number): void;
  /** @internal Grows the capacity to `newCapacity` (only buffers that own growable memory). */
  protected abstract adjustCapacity(newCapacity: number): void;

  // ---- liveness ----------------------------------------------------------------------------
  /** Throws `IllegalReferenceCountException('refCnt: 0')` if this buffer was freed. */
  ensureAccessible(): void {
    if (this.refCnt() === 0) throw this.accessError();
  }

  /** @internal The error for an access after free; subclasses add tracking detail. */
  protected accessError(): IllegalReferenceCountException {
    return new IllegalReferenceCountException(0, 0);
  }

  // ---- indices -----------------------------------------------------------------------------
  /** The reader index, or (with an argument) sets it. */
  readerIndex(): number;
  readerIndex(index: number): this;
  readerIndex(index?: number): number | this {
    if (index === undefined) return this.rIdx;
    if (!Number.isInteger(index) || index < 0 || index > this.wIdx) {
      throw new IndexOutOfBoundsException(
        `readerIndex: ${index} (expected: 0 <= readerIndex <= writerIndex(${this.wIdx}))`,
      );
    }
    this.rIdx = index;
    return this;
  }

  /** The writer index, or (with an argument) sets it. */
  writerIndex(): number;
  writerIndex(index: number): this;
  writerIndex(index?: number): number | this {
    if (index === undefined) return this.wIdx;
    if (!Number.isInteger(index) || index < this.rIdx || index > this.capacity()) {
      throw new IndexOutOfBoundsException(
        `writerIndex: ${index} (expected: readerIndex(${this.rIdx}) <= writerIndex <= capacity(${this.capacity()}))`,
      );
    }
    this.wIdx = index;
    return this;
  }

  /** Sets both indices at once. */
  setIndex(readerIndex: number, writerIndex: number): this {
    if (
      !Number.isInteger(readerIndex) || !Number.isInteger(writerIndex) ||
      readerIndex < 0 || readerIndex > writerIndex || writerIndex > this.capacity()
    ) {
      throw new IndexOutOfBoundsException(
        `readerIndex: ${readerIndex}, writerIndex: ${writerIndex} (expected: 0 <= readerIndex <= writerIndex <= capacity(${this.capacity()}))`,
      );
    }
    this.rIdx = readerIndex;
    this.wIdx = writerIndex;
    return this;
  }

  readableBytes(): number {
    return this.wIdx - this.rIdx;
  }

  writableBytes(): number {
    return this.capacity() - this.wIdx;
  }

  maxWritableBytes(): number {
    return this.maxCapacity() - this.wIdx;
  }

  isReadable(numBytes = 1): boolean {
    return this.wIdx - this.rIdx >= numBytes;
  }

  isWritable(numBytes = 1): boolean {
    return this.capacity() - this.wIdx >= numBytes;
  }

  /** Sets both indices to 0 (the content is not cleared). */
  clear(): this {
    this.rIdx = this.wIdx = 0;
    return this;
  }

  /** Grows the capacity, if needed and allowed, so `minWritableBytes` can be written. */
  ensureWritable(minWritableBytes: number): this {
    checkNonNegativeInt(minWritableBytes, 'minWritableBytes');
    this.ensureAccessible();
    if (minWritableBytes <= this.writableBytes()) return this;
    if (this.isReadOnly()) throw new IndexOutOfBoundsException('buffer is read-only: cannot grow');
    if (minWritableBytes > this.maxCapacity() - this.wIdx) {
      throw new IndexOutOfBoundsException(
        `writerIndex(${this.wIdx}) + minWritableBytes(${minWritableBytes}) exceeds maxCapacity(${this.maxCapacity()}): ${this.toString()}`,
      );
    }
    // Netty's growth: double from 64 up to 4 MiB, then step by 4 MiB; never past maxCapacity.
    const needed = this.wIdx + minWritableBytes;
    let newCapacity = 64;
    while (newCapacity < needed) newCapacity = newCapacity < 4 << 20 ? newCapacity * 2 : newCapacity + (4 << 20);
    this.adjustCapacity(Math.min(newCapacity, this.maxCapacity()));
    return this;
  }

  // ---- absolute access ---------------------------------------------------------------------
  /** The byte at `index` (unsigned), without moving an index. */
  getByte(index: number): number {
    this.checkIndex(index, 1);
    return this._getByte(index);
  }

  /** Sets the byte at `index`, without moving an index. */
  setByte(index: number, value: number): this {
    const b = toByte(value);
    this.checkWritableIndex(index, 1);
    this._setByte(index, b);
    return this;
  }

  /** Copies bytes starting at `index` into `dst` (a `Uint8Array` or the remaining space of a `ByteBuffer`). */
  getBytes(index: number, dst: Uint8Array | ByteBuffer, dstIndex = 0, length?: number): this {
    if (dst instanceof ByteBuffer) {
      const n = dst.remaining();
      this.checkIndex(index, n);
      const tmp = new Uint8Array(n);
      this._getBytes(index, tmp, 0, n);
      dst.put(tmp);
      return this;
    }
    if (!(dst instanceof Uint8Array)) {
      throw new IllegalArgumentException(`dst: expected a Uint8Array or ByteBuffer, got ${describeValue(dst)}`);
    }
    const len = length ?? dst.length - dstIndex;
    checkRange(dstIndex, len, dst.length);
    this.checkIndex(index, len);
    this._getBytes(index, dst, dstIndex, len);
    return this;
  }

  /** Copies `src` (a `Uint8Array`, or the remaining bytes of a `ByteBuffer`) to `index`. */
  setBytes(index: number, src: Uint8Array | ByteBuffer, srcIndex = 0, length?: number): this {
    if (src instanceof ByteBuffer) {
      const n = src.remaining();
      this.checkWritableIndex(index, n);
      this._setBytes(index, src.remainingView(), 0, n);
      src.position(src.limit());
      return this;
    }
    if (!(src instanceof Uint8Array)) {
      throw new IllegalArgumentException(`src: expected a Uint8Array or ByteBuffer, got ${describeValue(src)}`);
    }
    const len = length ?? src.length - srcIndex;
    checkRange(srcIndex, len, src.length);
    this.checkWritableIndex(index, len);
    this._setBytes(index, src, srcIndex, len);
    return this;
  }

  // ---- relative access ---------------------------------------------------------------------
  /** Reads one byte (unsigned) at the reader index and advances it. */
  readByte(): number {
    this.checkReadable(1);
    return this._getByte(this.rIdx++);
  }

  /**
   * Reads bytes and advances the reader index: `readBytes(length)` returns a **new** buffer from
   * this buffer's allocator (the caller owns and releases it); `readBytes(dst)` fills a
   * `Uint8Array`, the remaining space of a `ByteBuffer`, or writes into a `ByteBuf`.
   */
  readBytes(length: number): ByteBuf;
  readBytes(dst: Uint8Array, dstIndex?: number, length?: number): this;
  readBytes(dst: ByteBuffer): this;
  readBytes(dst: ByteBuf, length?: number): this;
  readBytes(arg: number | Uint8Array | ByteBuffer | ByteBuf, second?: number, third?: number): ByteBuf | this {
    if (typeof arg === 'number') {
      checkNonNegativeInt(arg, 'length');
      this.checkReadable(arg);
      const out = this.alloc().buffer(arg, arg);
      const tmp = new Uint8Array(arg);
      this._getBytes(this.rIdx, tmp, 0, arg);
      out.writeBytes(tmp);
      this.rIdx += arg;
      return out;
    }
    if (arg instanceof ByteBuf) {
      const len = second ?? arg.writableBytes();
      checkNonNegativeInt(len, 'length');
      this.checkReadable(len);
      const tmp = new Uint8Array(len);
      this._getBytes(this.rIdx, tmp, 0, len);
      arg.writeBytes(tmp);
      this.rIdx += len;
      return this;
    }
    if (arg instanceof ByteBuffer) {
      const len = arg.remaining();
      this.checkReadable(len);
      this.getBytes(this.rIdx, arg);
      this.rIdx += len;
      return this;
    }
    if (!(arg instanceof Uint8Array)) {
      throw new IllegalArgumentException(`dst: expected a length, Uint8Array, ByteBuffer or ByteBuf, got ${describeValue(arg)}`);
    }
    const dstIndex = second ?? 0;
    const len = third ?? arg.length - dstIndex;
    checkRange(dstIndex, len, arg.length);
    this.checkReadable(len);
    this._getBytes(this.rIdx, arg, dstIndex, len);
    this.rIdx += len;
    return this;
  }

  /** Advances the reader index by `length`. */
  skipBytes(length: number): this {
    checkNonNegativeInt(length, 'length');
    this.checkReadable(length);
    this.rIdx += length;
    return this;
  }

  /** Writes one byte at the writer index and advances it (growing if allowed). */
  writeByte(value: number): this {
    const b = toByte(value);
    this.ensureWritable(1);
    this.checkNotReadOnly();
    this._setByte(this.wIdx++, b);
    return this;
  }

  /**
   * Writes bytes at the writer index and advances it (growing if allowed): a `Uint8Array` (or a
   * part of it), the remaining bytes of a `ByteBuffer` (its position moves to its limit), or the
   * readable bytes of a `ByteBuf` (its reader index advances).
   */
  writeBytes(src: Uint8Array | ByteBuffer | ByteBuf, srcIndex?: number, length?: number): this {
    let bytes: Uint8Array;
    if (src instanceof ByteBuf) {
      // Netty's writeBytes(ByteBuf src, int length): the second argument is a length. This buffer
      // is checked before the source's reader index moves, so a failed write consumes nothing.
      const len = checkNonNegativeInt(srcIndex ?? src.readableBytes(), 'length');
      this.ensureWritable(len);
      this.checkNotReadOnly();
      bytes = new Uint8Array(len);
      src.readBytes(bytes);
    } else if (src instanceof ByteBuffer) {
      bytes = src.remainingView();
      this.ensureWritable(bytes.length);
      this.checkNotReadOnly();
      this._setBytes(this.wIdx, bytes, 0, bytes.length);
      src.position(src.limit());
      this.wIdx += bytes.length;
      return this;
    } else if (src instanceof Uint8Array) {
      const from = srcIndex ?? 0;
      const len = length ?? src.length - from;
      checkRange(from, len, src.length);
      bytes = src.subarray(from, from + len);
    } else {
      throw new IllegalArgumentException(`src: expected a Uint8Array, ByteBuffer or ByteBuf, got ${describeValue(src)}`);
    }
    this.ensureWritable(bytes.length);
    this.checkNotReadOnly();
    this._setBytes(this.wIdx, bytes, 0, bytes.length);
    this.wIdx += bytes.length;
    return this;
  }

  /** Writes `length` zero bytes. */
  writeZero(length: number): this {
    checkNonNegativeInt(length, 'length');
    return this.writeBytes(new Uint8Array(length));
  }

  // ---- views and copies --------------------------------------------------------------------
  /** A slice of the next `length` readable bytes; advances the reader index. Shares the count. */
  readSlice(length: number): ByteBuf {
    checkNonNegativeInt(length, 'length');
    this.checkReadable(length);
    const s = this.slice(this.rIdx, length);
    this.rIdx += length;
    return s;
  }

  /** `readSlice(length).retain()`: the caller owns one more reference. */
  readRetainedSlice(length: number): ByteBuf {
    return this.readSlice(length).retain();
  }

  /** `slice(...).retain()`. */
  retainedSlice(index?: number, length?: number): ByteBuf {
    return this.slice(index, length).retain();
  }

  /** `duplicate().retain()`. */
  retainedDuplicate(): ByteBuf {
    return this.duplicate().retain();
  }

  /** A new buffer (from this buffer's allocator) holding a copy of `[index, index + length)`. */
  copy(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    this.checkIndex(index, length);
    const tmp = new Uint8Array(length);
    this._getBytes(index, tmp, 0, length);
    const out = this.isDirect() ? this.alloc().directBuffer(length) : this.alloc().heapBuffer(length);
    return out.writeBytes(tmp);
  }

  /** Netty-style description: `ClassName(ridx: 0, widx: 100, cap: 100)`, or `(freed)`. */
  toString(): string {
    if (this.refCnt() === 0) return `${this.constructor.name}(freed)`;
    return `${this.constructor.name}(ridx: ${this.rIdx}, widx: ${this.wIdx}, cap: ${this.capacity()})`;
  }

  // ---- checks ------------------------------------------------------------------------------
  /** @internal Liveness, then `[index, index + length)` within capacity. */
  protected checkIndex(index: number, length: number): void {
    this.ensureAccessible();
    if (!Number.isInteger(index) || !Number.isInteger(length) || index < 0 || length < 0 || index + length > this.capacity()) {
      throw new IndexOutOfBoundsException(
        `index: ${index}, length: ${length} (expected: range(0, ${this.capacity()}))`,
      );
    }
  }

  /** @internal As `checkIndex`, and the buffer is writable. */
  protected checkWritableIndex(index: number, length: number): void {
    this.checkIndex(index, length);
    this.checkNotReadOnly();
  }

  /** @internal Liveness, then at least `length` readable bytes. */
  protected checkReadable(length: number): void {
    this.ensureAccessible();
    if (this.rIdx + length > this.wIdx) {
      throw new IndexOutOfBoundsException(
        `readerIndex(${this.rIdx}) + length(${length}) exceeds writerIndex(${this.wIdx}): ${this.toString()}`,
      );
    }
  }

  /** @internal */
  protected checkNotReadOnly(): void {
    if (this.isReadOnly()) throw new ReadOnlyBufferException();
  }
}
