/**
 * Netty's `ByteBuf`: a reference-counted byte buffer with separate reader and writer indices
 * (`0 <= readerIndex <= writerIndex <= capacity`). This abstract base holds every index-based
 * operation, with Netty 4.1's check order and messages (`AbstractByteBuf`); subclasses supply
 * the memory primitives, the reference count and the views.
 *
 * As in Netty, `getByte`/`readByte` are signed (-128..127) and `getUnsignedByte`/`readUnsignedByte`
 * are not; every multi-byte accessor exists big-endian and little-endian (`...LE`), and a value
 * written is cut to its width as a Java cast does. Longs are `bigint`.
 * @packageDocumentation
 */
import { IllegalArgumentException, IllegalReferenceCountException, IndexOutOfBoundsException, ReadOnlyBufferException } from '../errors';
import { checkInt, checkNonNegativeInt, checkRange, toByte } from '../internal/checks';
import { ByteBuffer, describeValue } from './ByteBuffer';
import type { ByteBufAllocator } from './ByteBufAllocator';

// Plain-variable copies of the imported bindings used on hot paths: in a CommonJS build each use
// of an imported name is a getter call (see `Unpooled.ts`). Their modules load before this body.
const LocalCheckInt = checkInt;
const LocalCheckNonNegativeInt = checkNonNegativeInt;
const LocalCheckRange = checkRange;
const LocalToByte = toByte;
const LocalByteBuffer = ByteBuffer;

/** Netty's `ReferenceCounted`. */
export interface ReferenceCounted {
  refCnt(): number;
  retain(increment?: number): this;
  release(decrement?: number): boolean;
  touch(hint?: unknown): this;
}

/** Largest capacity a buffer may grow to (Java's `Integer.MAX_VALUE`). */
export const MAX_CAPACITY = 0x7fffffff;

/** Netty's `CALCULATE_THRESHOLD`: growth doubles below 4 MiB and steps by 4 MiB above. */
const GROWTH_THRESHOLD = 4 << 20;

/** Netty's `AbstractByteBufAllocator.calculateNewCapacity`. */
function calculateNewCapacity(minNewCapacity: number, maxCapacity: number): number {
  if (minNewCapacity === GROWTH_THRESHOLD) return GROWTH_THRESHOLD;
  if (minNewCapacity > GROWTH_THRESHOLD) {
    const stepped = Math.floor(minNewCapacity / GROWTH_THRESHOLD) * GROWTH_THRESHOLD;
    return stepped > maxCapacity - GROWTH_THRESHOLD ? maxCapacity : stepped + GROWTH_THRESHOLD;
  }
  let newCapacity = 64;
  while (newCapacity < minNewCapacity) newCapacity <<= 1;
  return Math.min(newCapacity, maxCapacity);
}

/** A `bigint` or integer `number` as the 64-bit pattern Java's `(long)` cast keeps. */
function toLongBits(value: unknown, name: string): bigint {
  if (typeof value === 'bigint') return BigInt.asUintN(64, value);
  return BigInt.asUintN(64, BigInt(LocalCheckInt(value, name)));
}

/**
 * The abstract buffer. It has no constructor and no field initialisers of its own, nor has
 * `AbstractReferenceCountedByteBuf`: V8 then skips both when a buffer is made, instead of calling
 * each as a constructor (measured: about 310 instructions, a quarter of an allocate / retain /
 * touch / release / release cycle). So every concrete class's constructor sets the indices itself,
 * as the harness's own do; a class of the user's that extends this one calls `clear()` in its
 * constructor.
 */
export abstract class ByteBuf implements ReferenceCounted {
  /** @internal Set by the concrete class's constructor (see the class comment). */
  protected declare rIdx: number;
  /** @internal */
  protected declare wIdx: number;

  // ---- what subclasses provide -------------------------------------------------------------
  /** @internal The current capacity in bytes (the getter form of `capacity()`). */
  protected abstract currentCapacity(): number;
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
  /** @internal Reads one byte (unsigned) at an absolute index; bounds and liveness already checked. */
  abstract _getByte(index: number): number;
  /** @internal Writes one byte (0..255); bounds, liveness and writability already checked. */
  abstract _setByte(index: number, value: number): void;
  /** @internal Copies `length` bytes at `index` into `dst` at `dstIndex`; checks done. */
  abstract _getBytes(index: number, dst: Uint8Array, dstIndex: number, length: number): void;
  /** @internal Copies `length` bytes of `src` at `srcIndex` to `index`; checks done. */
  abstract _setBytes(index: number, src: Uint8Array, srcIndex: number, length: number): void;
  /** @internal Sets the capacity (grow or shrink); `capacity(n)` checked liveness and range. */
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

  // ---- capacity and indices ----------------------------------------------------------------
  /**
   * The capacity, or (with an argument) sets it: growing keeps the content, shrinking cuts it and
   * pulls the indices in (Netty's `capacity(int)`). Throws `IllegalArgumentException`
   * `newCapacity: N (expected: 0-maxCapacity)` out of range; slices cannot change it
   * (`UnsupportedOperationException`), read-only views neither (`ReadOnlyBufferException`).
   */
  capacity(): number;
  capacity(newCapacity: number): this;
  capacity(newCapacity?: number): number | this {
    if (newCapacity === undefined) return this.currentCapacity();
    this.setCapacity(newCapacity);
    return this;
  }

  /** @internal `capacity(n)`: Netty's `checkNewCapacity`, then `adjustCapacity`. Views override. */
  protected setCapacity(newCapacity: number): void {
    this.ensureAccessible();
    const max = this.maxCapacity();
    if (typeof newCapacity !== 'number' || !Number.isInteger(newCapacity) || newCapacity < 0 || newCapacity > max) {
      throw new IllegalArgumentException(`newCapacity: ${String(newCapacity)} (expected: 0-${max})`);
    }
    if (newCapacity !== this.currentCapacity()) this.adjustCapacity(newCapacity);
  }

  /** @internal After a shrink: Netty's `trimIndicesToCapacity`. */
  protected trimIndicesToCapacity(newCapacity: number): void {
    if (this.wIdx > newCapacity) {
      this.rIdx = Math.min(this.rIdx, newCapacity);
      this.wIdx = newCapacity;
    }
  }

  /** The reader index, or (with an argument) sets it. */
  readerIndex(): number;
  readerIndex(index: number): this;
  readerIndex(index?: number): number | this {
    if (index === undefined) return this.rIdx;
    this.checkIndexBounds(index, this.wIdx);
    this.rIdx = index;
    return this;
  }

  /** The writer index, or (with an argument) sets it. */
  writerIndex(): number;
  writerIndex(index: number): this;
  writerIndex(index?: number): number | this {
    if (index === undefined) return this.wIdx;
    this.checkIndexBounds(this.rIdx, index);
    this.wIdx = index;
    return this;
  }

  /** Sets both indices at once. */
  setIndex(readerIndex: number, writerIndex: number): this {
    this.checkIndexBounds(readerIndex, writerIndex);
    this.rIdx = readerIndex;
    this.wIdx = writerIndex;
    return this;
  }

  /** @internal Netty 4.1's one index check for `readerIndex(n)`, `writerIndex(n)` and `setIndex`. */
  protected checkIndexBounds(readerIndex: number, writerIndex: number): void {
    const capacity = this.capacity();
    if (
      !Number.isInteger(readerIndex) || !Number.isInteger(writerIndex) ||
      readerIndex < 0 || readerIndex > writerIndex || writerIndex > capacity
    ) {
      throw new IndexOutOfBoundsException(
        `readerIndex: ${readerIndex}, writerIndex: ${writerIndex} (expected: 0 <= readerIndex <= writerIndex <= capacity(${capacity}))`,
      );
    }
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

  /**
   * Moves the readable bytes to index 0 (Netty's `discardReadBytes`): the writer index drops by
   * the reader index, which becomes 0. The bytes past the new writer index are left as they were.
   */
  discardReadBytes(): this {
    const r = this.rIdx;
    if (r === 0) {
      this.ensureAccessible();
      return this;
    }
    if (r !== this.wIdx) {
      const n = this.wIdx - r;
      this.checkIndex(r, n);
      this.checkNotReadOnly();
      const tmp = new Uint8Array(n);
      this._getBytes(r, tmp, 0, n);
      this._setBytes(0, tmp, 0, n);
      this.wIdx = n;
      this.rIdx = 0;
    } else {
      this.ensureAccessible();
      this.rIdx = this.wIdx = 0;
    }
    return this;
  }

  /**
   * Grows the capacity, if needed and allowed, so `minWritableBytes` can be written: Netty's
   * growth (64, doubling up to 4 MiB, then 4 MiB steps, never past `maxCapacity`).
   */
  ensureWritable(minWritableBytes: number): this {
    LocalCheckNonNegativeInt(minWritableBytes, 'minWritableBytes');
    this.ensureWritable0(minWritableBytes);
    return this;
  }

  /** @internal Netty's `ensureWritable0`: liveness, the `maxCapacity` bound, then `capacity(n)`. */
  protected ensureWritable0(minWritableBytes: number): void {
    const w = this.wIdx;
    // Java int arithmetic: a sum past 2^31 - 1 wraps negative and passes as "fits", as in Netty,
    // leaving the range to the write's own check.
    const target = (w + minWritableBytes) | 0;
    if (target <= this.capacity()) {
      this.ensureAccessible();
      return;
    }
    const max = this.maxCapacity();
    if (target > max) {
      this.ensureAccessible();
      throw new IndexOutOfBoundsException(
        `writerIndex(${w}) + minWritableBytes(${minWritableBytes}) exceeds maxCapacity(${max}): ${this.toString()}`,
      );
    }
    this.capacity(calculateNewCapacity(target, max));
  }

  /**
   * @internal Netty's relative reads skip `checkIndex` (the writer index is trusted to be within
   * the capacity); a buffer whose writer index can pass its capacity says here how such a read fails.
   */
  _checkRelativeRead(_index: number, _width: number): void {
    // Within the capacity whenever the writer index is.
  }

  /**
   * @internal How a bulk copy into another `ByteBuf` reads `length` bytes of this one (the range
   * already checked against this capacity): `getBytes`, or the memory address where Netty has one.
   */
  _copyOut(index: number, dst: Uint8Array, length: number): void {
    this.getBytes(index, dst, 0, length);
  }

  /** @internal What a heap buffer's copy of nothing from this buffer checks: `memoryAddress()` or `array()`, a liveness check. */
  _giveAddressOrArray(): void {
    this.ensureAccessible();
  }

  /** @internal Netty's `hasMemoryAddress()`: an Unsafe direct buffer, or a view of one. */
  _hasMemoryAddress(): boolean {
    return false;
  }

  /**
   * @internal Where a bulk copy from another `ByteBuf` puts its bytes: Netty's copies write to the
   * destination's memory address when it has one (so past a read-only view), else call its `setBytes`.
   */
  _receiveBytes(index: number, bytes: Uint8Array): void {
    // Asked first, as Netty's copies do (a composite holding itself overflows the stack here).
    this._hasMemoryAddress();
    this.setBytes(index, bytes);
  }

  /** @internal True when a copy of nothing into a `ByteBuf` returns before it looks at that buffer (composites). */
  _emptyCopySkipsDst(): boolean {
    return false;
  }

  /** @internal True when a copy of nothing from a `ByteBuf` still checks that buffer is live (heap buffers). */
  _emptyCopyChecksSrc(): boolean {
    return false;
  }

  /** @internal The source range check of a copy from a `ByteBuf` (`checkSrcIndex`'s text by default). */
  _checkSrcRange(srcIndex: number, length: number, srcCapacity: number): void {
    LocalCheckRange(srcIndex, length, srcCapacity, 'srcIndex');
  }

  // ---- absolute access ---------------------------------------------------------------------
  /** @internal The check before an absolute get/set of `width` bytes (Netty's `checkIndex`). */
  _checkAccess(index: number, width: number): void {
    this.checkIndex(index, width);
  }

  /**
   * @internal The check before an absolute set of `width` bytes: how many leading bytes the set
   * writes before it fails. Netty checks first (all or nothing); a buffer over a Java array
   * writes what fits and then fails, which `_checkAccess` then throws.
   */
  _writableLead(index: number, width: number): number {
    this._checkAccess(index, width);
    return width;
  }

  /** @internal `checkIndex` for a view asking its root. */
  _checkIndex(index: number, length: number): void {
    this.checkIndex(index, length);
  }

  /** @internal `width` bytes at `index` as an unsigned big-endian number (width <= 4). */
  private getUnsignedBE(index: number, width: number): number {
    this._checkAccess(index, width);
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + this._getByte(index + k);
    return v;
  }

  /** @internal `width` bytes at `index` as an unsigned little-endian number (width <= 4). */
  private getUnsignedLE(index: number, width: number): number {
    this._checkAccess(index, width);
    let v = 0;
    for (let k = width - 1; k >= 0; k--) v = v * 256 + this._getByte(index + k);
    return v;
  }

  /** @internal Writes the low `width` bytes of `value` at `index`, big- or little-endian. */
  private setBits(index: number, width: number, value: number, littleEndian: boolean): void {
    // Netty's read-only buffers throw before any check.
    this.checkNotReadOnly();
    const lead = this._writableLead(index, width);
    // Both byte orders write the lowest index first, so a partial write is a leading run.
    for (let k = 0; k < lead; k++) {
      const shift = 8 * (littleEndian ? k : width - 1 - k);
      this._setByte(index + k, (value >>> shift) & 0xff);
    }
    if (lead < width) this._checkAccess(index, width);
  }

  /** The byte at `index`, signed (-128..127) as Netty's; without moving an index. */
  getByte(index: number): number {
    return (this.getUnsignedBE(index, 1) << 24) >> 24;
  }
  /** The byte at `index`, unsigned (0..255). */
  getUnsignedByte(index: number): number {
    return this.getUnsignedBE(index, 1);
  }
  /** `getByte(index) !== 0`. */
  getBoolean(index: number): boolean {
    return this.getUnsignedBE(index, 1) !== 0;
  }
  /** The big-endian 16-bit signed integer at `index`. */
  getShort(index: number): number {
    return (this.getUnsignedBE(index, 2) << 16) >> 16;
  }
  /** The little-endian 16-bit signed integer at `index`. */
  getShortLE(index: number): number {
    return (this.getUnsignedLE(index, 2) << 16) >> 16;
  }
  /** The big-endian 16-bit unsigned integer at `index`. */
  getUnsignedShort(index: number): number {
    return this.getUnsignedBE(index, 2);
  }
  /** The little-endian 16-bit unsigned integer at `index`. */
  getUnsignedShortLE(index: number): number {
    return this.getUnsignedLE(index, 2);
  }
  /** The big-endian 24-bit signed integer at `index`. */
  getMedium(index: number): number {
    return (this.getUnsignedBE(index, 3) << 8) >> 8;
  }
  /** The little-endian 24-bit signed integer at `index`. */
  getMediumLE(index: number): number {
    return (this.getUnsignedLE(index, 3) << 8) >> 8;
  }
  /** The big-endian 24-bit unsigned integer at `index`. */
  getUnsignedMedium(index: number): number {
    return this.getUnsignedBE(index, 3);
  }
  /** The little-endian 24-bit unsigned integer at `index`. */
  getUnsignedMediumLE(index: number): number {
    return this.getUnsignedLE(index, 3);
  }
  /** The big-endian 32-bit signed integer at `index`. */
  getInt(index: number): number {
    return this.getUnsignedBE(index, 4) | 0;
  }
  /** The little-endian 32-bit signed integer at `index`. */
  getIntLE(index: number): number {
    return this.getUnsignedLE(index, 4) | 0;
  }
  /** The big-endian 32-bit unsigned integer at `index`. */
  getUnsignedInt(index: number): number {
    return this.getUnsignedBE(index, 4);
  }
  /** The little-endian 32-bit unsigned integer at `index`. */
  getUnsignedIntLE(index: number): number {
    return this.getUnsignedLE(index, 4);
  }
  /** The big-endian 64-bit signed integer at `index`, as a `bigint`. */
  getLong(index: number): bigint {
    this._checkAccess(index, 8);
    let v = 0n;
    for (let k = 0; k < 8; k++) v = (v << 8n) | BigInt(this._getByte(index + k));
    return BigInt.asIntN(64, v);
  }
  /** The little-endian 64-bit signed integer at `index`, as a `bigint`. */
  getLongLE(index: number): bigint {
    this._checkAccess(index, 8);
    let v = 0n;
    for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(this._getByte(index + k));
    return BigInt.asIntN(64, v);
  }

  /** Sets the byte at `index` to the low 8 bits of `value`, without moving an index. */
  setByte(index: number, value: number): this {
    this.setBits(index, 1, LocalToByte(value), false);
    return this;
  }
  /** Sets the byte at `index` to 1 or 0. */
  setBoolean(index: number, value: boolean): this {
    return this.setByte(index, value ? 1 : 0);
  }
  /** Sets the low 16 bits of `value` at `index`, big-endian. */
  setShort(index: number, value: number): this {
    this.setBits(index, 2, LocalCheckInt(value, 'value'), false);
    return this;
  }
  /** Sets the low 16 bits of `value` at `index`, little-endian. */
  setShortLE(index: number, value: number): this {
    this.setBits(index, 2, LocalCheckInt(value, 'value'), true);
    return this;
  }
  /** Sets the low 24 bits of `value` at `index`, big-endian. */
  setMedium(index: number, value: number): this {
    this.setBits(index, 3, LocalCheckInt(value, 'value'), false);
    return this;
  }
  /** Sets the low 24 bits of `value` at `index`, little-endian. */
  setMediumLE(index: number, value: number): this {
    this.setBits(index, 3, LocalCheckInt(value, 'value'), true);
    return this;
  }
  /** Sets the low 32 bits of `value` at `index`, big-endian. */
  setInt(index: number, value: number): this {
    this.setBits(index, 4, LocalCheckInt(value, 'value'), false);
    return this;
  }
  /** Sets the low 32 bits of `value` at `index`, little-endian. */
  setIntLE(index: number, value: number): this {
    this.setBits(index, 4, LocalCheckInt(value, 'value'), true);
    return this;
  }
  /** Sets the 64 bits of `value` (a `bigint`, or an integer `number`) at `index`, big-endian. */
  setLong(index: number, value: bigint | number): this {
    const bits = toLongBits(value, 'value');
    this.checkNotReadOnly();
    const lead = this._writableLead(index, 8);
    for (let k = 0; k < lead; k++) this._setByte(index + k, Number((bits >> BigInt(8 * (7 - k))) & 0xffn));
    if (lead < 8) this._checkAccess(index, 8);
    return this;
  }
  /** Sets the 64 bits of `value` at `index`, little-endian. */
  setLongLE(index: number, value: bigint | number): this {
    const bits = toLongBits(value, 'value');
    this.checkNotReadOnly();
    const lead = this._writableLead(index, 8);
    for (let k = 0; k < lead; k++) this._setByte(index + k, Number((bits >> BigInt(8 * k)) & 0xffn));
    if (lead < 8) this._checkAccess(index, 8);
    return this;
  }

  /**
   * Copies bytes starting at `index` into `dst` (a `Uint8Array`, the remaining space of a
   * `ByteBuffer`), without moving an index. This buffer's range is checked before `dst`'s.
   */
  getBytes(index: number, dst: Uint8Array | ByteBuffer, dstIndex = 0, length?: number): this {
    if (dst instanceof LocalByteBuffer) {
      const n = dst.remaining();
      this.checkIndex(index, n);
      // Netty returns here: a read-only ByteBuffer with nothing remaining is not written to.
      if (n === 0) return this;
      const tmp = new Uint8Array(n);
      this._getBytes(index, tmp, 0, n);
      dst.put(tmp);
      return this;
    }
    if (!(dst instanceof Uint8Array)) {
      throw new IllegalArgumentException(`dst: expected a Uint8Array or ByteBuffer, got ${describeValue(dst)}`);
    }
    const len = length ?? dst.length - dstIndex;
    this.checkIndex(index, len);
    LocalCheckRange(dstIndex, len, dst.length, 'dstIndex');
    this._getBytes(index, dst, dstIndex, len);
    return this;
  }

  /** Copies `src` (a `Uint8Array`, or the remaining bytes of a `ByteBuffer`) to `index`. */
  setBytes(index: number, src: Uint8Array | ByteBuffer, srcIndex = 0, length?: number): this {
    if (src instanceof LocalByteBuffer) {
      const n = src.remaining();
      this.checkNotReadOnly();
      this.checkIndex(index, n);
      if (n === 0) return this;
      this._setBytes(index, src.remainingView(), 0, n);
      src.position(src.limit());
      return this;
    }
    if (!(src instanceof Uint8Array)) {
      throw new IllegalArgumentException(`src: expected a Uint8Array or ByteBuffer, got ${describeValue(src)}`);
    }
    const len = length ?? src.length - srcIndex;
    this.checkNotReadOnly();
    this.checkIndex(index, len);
    LocalCheckRange(srcIndex, len, src.length, 'srcIndex');
    this._setBytes(index, src, srcIndex, len);
    return this;
  }

  // ---- relative access ---------------------------------------------------------------------
  /** @internal Liveness and `width` readable bytes, `get` at the reader index, then the index moves. */
  private readWith<T>(width: number, get: (index: number) => T): T {
    this.checkReadableBytes0(width);
    this._checkRelativeRead(this.rIdx, width);
    const v = get(this.rIdx);
    this.rIdx += width;
    return v;
  }

  /** Reads one signed byte (-128..127, as Netty's) at the reader index and advances it. */
  readByte(): number {
    // As Netty's: the byte is read before the index moves (a failing read leaves it).
    return this.readWith(1, (i) => (this._getByte(i) << 24) >> 24);
  }
  /** Reads one unsigned byte (0..255). */
  readUnsignedByte(): number {
    return this.readWith(1, (i) => this._getByte(i));
  }
  /** Reads one byte as a boolean (`!== 0`). */
  readBoolean(): boolean {
    return this.readWith(1, (i) => this._getByte(i) !== 0);
  }
  /** Reads a big-endian 16-bit signed integer. */
  readShort(): number {
    return this.readWith(2, (i) => this.getShort(i));
  }
  /** Reads a little-endian 16-bit signed integer. */
  readShortLE(): number {
    return this.readWith(2, (i) => this.getShortLE(i));
  }
  /** Reads a big-endian 16-bit unsigned integer. */
  readUnsignedShort(): number {
    return this.readShort() & 0xffff;
  }
  /** Reads a little-endian 16-bit unsigned integer. */
  readUnsignedShortLE(): number {
    return this.readShortLE() & 0xffff;
  }
  /** Reads a big-endian 24-bit signed integer. */
  readMedium(): number {
    return (this.readUnsignedMedium() << 8) >> 8;
  }
  /** Reads a little-endian 24-bit signed integer. */
  readMediumLE(): number {
    return (this.readUnsignedMediumLE() << 8) >> 8;
  }
  /** Reads a big-endian 24-bit unsigned integer. */
  readUnsignedMedium(): number {
    return this.readWith(3, (i) => this.getUnsignedMedium(i));
  }
  /** Reads a little-endian 24-bit unsigned integer. */
  readUnsignedMediumLE(): number {
    return this.readWith(3, (i) => this.getUnsignedMediumLE(i));
  }
  /** Reads a big-endian 32-bit signed integer. */
  readInt(): number {
    return this.readWith(4, (i) => this.getInt(i));
  }
  /** Reads a little-endian 32-bit signed integer. */
  readIntLE(): number {
    return this.readWith(4, (i) => this.getIntLE(i));
  }
  /** Reads a big-endian 32-bit unsigned integer. */
  readUnsignedInt(): number {
    return this.readInt() >>> 0;
  }
  /** Reads a little-endian 32-bit unsigned integer. */
  readUnsignedIntLE(): number {
    return this.readIntLE() >>> 0;
  }
  /** Reads a big-endian 64-bit signed integer, as a `bigint`. */
  readLong(): bigint {
    return this.readWith(8, (i) => this.getLong(i));
  }
  /** Reads a little-endian 64-bit signed integer, as a `bigint`. */
  readLongLE(): bigint {
    return this.readWith(8, (i) => this.getLongLE(i));
  }

  /**
   * Reads bytes and advances the reader index: `readBytes(length)` returns a **new** buffer from
   * this buffer's allocator (the caller owns and releases it), or `EMPTY_BUFFER` for length 0;
   * `readBytes(dst)` fills a `Uint8Array`, the remaining space of a `ByteBuffer`, or the
   * writable space of a `ByteBuf` (`readBytes(dst, length)`: `length` bytes, never growing `dst`).
   */
  readBytes(length: number): ByteBuf;
  readBytes(dst: Uint8Array, dstIndex?: number, length?: number): this;
  readBytes(dst: ByteBuffer): this;
  readBytes(dst: ByteBuf, length?: number): this;
  readBytes(arg: number | Uint8Array | ByteBuffer | ByteBuf, second?: number, third?: number): ByteBuf | this {
    if (typeof arg === 'number') {
      this.checkReadableBytes(arg);
      if (arg === 0) return this.emptyBuffer();
      // Netty allocates first and copies after: a failing copy leaves the new buffer unreleased.
      const out = this.alloc().buffer(arg, this.maxCapacity());
      out.writeBytesFrom(this, this.rIdx, arg);
      this.rIdx += arg;
      return out;
    }
    if (arg instanceof ByteBuf) {
      const len = second ?? arg.writableBytes();
      if (len > arg.writableBytes()) {
        throw new IndexOutOfBoundsException(
          `length(${len}) exceeds dst.writableBytes(${arg.writableBytes()}) where dst is: ${arg.toString()}`,
        );
      }
      this.checkReadableBytes(len);
      const tmp = new Uint8Array(len);
      this.getBytes(this.rIdx, tmp, 0, len);
      // Netty's `getBytes(index, ByteBuf dst, ...)` of nothing: a composite returns before it looks
      // at `dst`; the others still ask `dst` for its array or address (a liveness check).
      if (len > 0 || !this._emptyCopySkipsDst()) arg._receiveBytes(arg.writerIndex(), tmp);
      this.rIdx += len;
      arg.writerIndex(arg.writerIndex() + len);
      return this;
    }
    if (arg instanceof LocalByteBuffer) {
      const len = arg.remaining();
      this.checkReadableBytes(len);
      this.getBytes(this.rIdx, arg);
      this.rIdx += len;
      return this;
    }
    if (!(arg instanceof Uint8Array)) {
      throw new IllegalArgumentException(`dst: expected a length, Uint8Array, ByteBuffer or ByteBuf, got ${describeValue(arg)}`);
    }
    const dstIndex = second ?? 0;
    const len = third ?? arg.length - dstIndex;
    this.checkReadableBytes(len);
    this.getBytes(this.rIdx, arg, dstIndex, len);
    this.rIdx += len;
    return this;
  }

  /** @internal The allocator's shared empty buffer (`EMPTY_BUFFER` for the default allocator). */
  protected emptyBuffer(): ByteBuf {
    return this.alloc().buffer(0, 0);
  }

  /** Advances the reader index by `length`. */
  skipBytes(length: number): this {
    this.checkReadableBytes(length);
    this.rIdx += length;
    return this;
  }

  /** Writes the low 8 bits of `value` at the writer index and advances it (growing if allowed). */
  writeByte(value: number): this {
    const b = LocalToByte(value);
    this.ensureWritable0(1);
    // As Netty's `_setByte(writerIndex++, value)`: the index moves before a read-only view throws.
    const at = this.wIdx++;
    this.checkNotReadOnly();
    this._setByte(at, b);
    return this;
  }
  /** Writes 1 or 0. */
  writeBoolean(value: boolean): this {
    return this.writeByte(value ? 1 : 0);
  }
  /** @internal `ensureWritable0(width)`, the set at the writer index, then the index moves. */
  private writeWith(width: number, set: (index: number) => void): this {
    this.ensureWritable0(width);
    set(this.wIdx);
    this.wIdx += width;
    return this;
  }
  /** Writes the low 16 bits of `value`, big-endian. */
  writeShort(value: number): this {
    LocalCheckInt(value, 'value');
    return this.writeWith(2, (i) => this.setShort(i, value));
  }
  /** Writes the low 16 bits of `value`, little-endian. */
  writeShortLE(value: number): this {
    LocalCheckInt(value, 'value');
    return this.writeWith(2, (i) => this.setShortLE(i, value));
  }
  /** Writes the low 24 bits of `value`, big-endian. */
  writeMedium(value: number): this {
    LocalCheckInt(value, 'value');
    return this.writeWith(3, (i) => this.setMedium(i, value));
  }
  /** Writes the low 24 bits of `value`, little-endian. */
  writeMediumLE(value: number): this {
    LocalCheckInt(value, 'value');
    return this.writeWith(3, (i) => this.setMediumLE(i, value));
  }
  /** Writes the low 32 bits of `value`, big-endian. */
  writeInt(value: number): this {
    LocalCheckInt(value, 'value');
    return this.writeWith(4, (i) => this.setInt(i, value));
  }
  /** Writes the low 32 bits of `value`, little-endian. */
  writeIntLE(value: number): this {
    LocalCheckInt(value, 'value');
    return this.writeWith(4, (i) => this.setIntLE(i, value));
  }
  /** Writes 64 bits (a `bigint`, or an integer `number`), big-endian. */
  writeLong(value: bigint | number): this {
    toLongBits(value, 'value');
    return this.writeWith(8, (i) => this.setLong(i, value));
  }
  /** Writes 64 bits, little-endian. */
  writeLongLE(value: bigint | number): this {
    toLongBits(value, 'value');
    return this.writeWith(8, (i) => this.setLongLE(i, value));
  }

  /**
   * Writes bytes at the writer index and advances it (growing if allowed): a `Uint8Array` (or a
   * part of it), the remaining bytes of a `ByteBuffer` (its position moves to its limit), or the
   * readable bytes of a `ByteBuf` (`writeBytes(buf, length)`: `length` of them; its reader index
   * advances).
   */
  writeBytes(src: Uint8Array | ByteBuffer | ByteBuf, srcIndex?: number, length?: number): this {
    if (src instanceof ByteBuf) {
      // Netty's writeBytes(ByteBuf src, int length): the second argument is a length, checked
      // against the source first; this buffer is checked before the source's reader index moves.
      const len = srcIndex ?? src.readableBytes();
      if (len > src.readableBytes()) {
        throw new IndexOutOfBoundsException(
          `length(${len}) exceeds src.readableBytes(${src.readableBytes()}) where src is: ${src.toString()}`,
        );
      }
      this.writeBytesFrom(src, src.readerIndex(), len);
      src.readerIndex(src.readerIndex() + len);
      return this;
    }
    if (src instanceof LocalByteBuffer) {
      // Netty's: grow, then `setBytes(writerIndex, src)` (this buffer's own checks), then the index.
      const n = src.remaining();
      this.ensureWritable0(n);
      this.setBytes(this.wIdx, src);
      this.wIdx += n;
      return this;
    }
    if (!(src instanceof Uint8Array)) {
      throw new IllegalArgumentException(`src: expected a Uint8Array, ByteBuffer or ByteBuf, got ${describeValue(src)}`);
    }
    const from = srcIndex ?? 0;
    const len = length ?? src.length - from;
    this.ensureWritable(len);
    this.setBytes(this.wIdx, src, from, len);
    this.wIdx += len;
    return this;
  }

  /**
   * @internal Netty's `writeBytes(ByteBuf src, int srcIndex, int length)`: grows this buffer, then
   * copies `[srcIndex, srcIndex + length)` of `src` (range checked against `src.capacity()`, as
   * `checkSrcIndex` does) without moving `src`'s indices.
   */
  writeBytesFrom(src: ByteBuf, srcIndex: number, length: number): this {
    this.ensureWritable(length);
    this.checkIndex(this.wIdx, length);
    this._checkSrcRange(srcIndex, length, src.capacity());
    const tmp = new Uint8Array(length);
    // As Netty's `setBytes(index, ByteBuf, ...)`: for length 0 nothing is read, and only a heap
    // buffer still asks the source for its array or address (a liveness check).
    if (length > 0) src._copyOut(srcIndex, tmp, length);
    else if (this._emptyCopyChecksSrc()) src._giveAddressOrArray();
    this.checkNotReadOnly();
    this._setBytes(this.wIdx, tmp, 0, length);
    this.wIdx += length;
    return this;
  }

  /** Writes `length` zero bytes. */
  writeZero(length: number): this {
    // Netty's order: nothing to write returns at once; then `ensureWritable` (a read-only view's throws first).
    if (length === 0) return this;
    this.ensureWritable(length);
    return this.writeBytes(new Uint8Array(length));
  }

  // ---- views and copies --------------------------------------------------------------------
  /** A slice of the next `length` readable bytes; advances the reader index. Shares the count. */
  readSlice(length: number): ByteBuf {
    this.checkReadableBytes(length);
    const s = this.slice(this.rIdx, length);
    this.rIdx += length;
    return s;
  }

  /** `readSlice(length).retain()`: the caller owns one more reference. */
  readRetainedSlice(length: number): ByteBuf {
    this.checkReadableBytes(length);
    const s = this.retainedSlice(this.rIdx, length);
    this.rIdx += length;
    return s;
  }

  /** `slice(...).retain()`. */
  retainedSlice(index?: number, length?: number): ByteBuf {
    return this.slice(index, length).retain();
  }

  /** `duplicate().retain()`. */
  retainedDuplicate(): ByteBuf {
    return this.duplicate().retain();
  }

  /**
   * A read-only view sharing content and count (Netty's `ReadOnlyByteBuf`), or this buffer if it
   * is read-only already. Like Netty's, it does not check that the buffer is live.
   */
  abstract asReadOnly(): ByteBuf;

  /**
   * A new buffer (from this buffer's allocator, with this buffer's `maxCapacity`) holding a copy
   * of `[index, index + length)`; a zero-length copy is a new empty buffer, as in Netty.
   */
  copy(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    this.checkIndex(index, length);
    const out = this.isDirect() ? this.alloc().directBuffer(length, this.maxCapacity()) : this.alloc().heapBuffer(length, this.maxCapacity());
    const tmp = new Uint8Array(length);
    this._getBytes(index, tmp, 0, length);
    return out.writeBytes(tmp);
  }

  /** @internal The class name Netty's `toString` prints for this kind of buffer. */
  protected abstract nettyClassName(): string;

  /**
   * Netty's description: `ClassName(ridx: 0, widx: 3, cap: 3/3)` (`/max` when `maxCapacity` is
   * not `Integer.MAX_VALUE`, then `, unwrapped: ...` for a view), or `ClassName(freed)`. Class
   * names are the ones Netty 4.1.48 prints on JDK 17.
   */
  toString(): string {
    const name = this.nettyClassName();
    if (this.refCnt() === 0) return `${name}(freed)`;
    let s = `${name}(ridx: ${this.rIdx}, widx: ${this.wIdx}, cap: ${this.capacity()}`;
    const max = this.maxCapacity();
    if (max !== MAX_CAPACITY) s += `/${max}`;
    const unwrapped = this.unwrap();
    if (unwrapped !== null) s += `, unwrapped: ${unwrapped.toString()}`;
    return `${s})`;
  }

  // ---- checks ------------------------------------------------------------------------------
  /** @internal Liveness, then `[index, index + length)` within capacity. */
  protected checkIndex(index: number, length: number): void {
    this.ensureAccessible();
    this.checkIndex0(index, length);
  }

  /** @internal `[index, index + length)` within capacity, without the liveness check. */
  protected checkIndex0(index: number, length: number): void {
    LocalCheckRange(index, length, this.capacity());
  }

  /** @internal Netty's `checkReadableBytes`: the argument, then liveness and readable bytes. */
  protected checkReadableBytes(length: number): void {
    LocalCheckNonNegativeInt(length, 'minimumReadableBytes');
    this.checkReadableBytes0(length);
  }

  /** @internal Liveness, then at least `length` readable bytes. */
  protected checkReadableBytes0(length: number): void {
    this.ensureAccessible();
    if (this.rIdx > this.wIdx - length) {
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
