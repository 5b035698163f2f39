/**
 * Netty's `EmptyByteBuf`: the shared zero-capacity buffer. Its `refCnt()` is always 1, `retain()`
 * returns it, `release()` always returns false: it can never be freed, never tracked, never leaked.
 * As in Netty 4.1 (JDK 17): it reports itself direct, prints as `EmptyByteBufBE`, and its range
 * errors are `IndexOutOfBoundsException`s without a message (Java's `null`, here `''`).
 *
 * Netty's `EmptyByteBuf` overrides every method with checks of its own, so they are here too:
 * every single-value get, set, read and write throws; a bulk op checks only its length (and
 * index), `length: -1 (expected: >= 0)` for a negative one, and touches no other buffer; views
 * and copies are this buffer; `nioBuffer()` is one shared empty direct `ByteBuffer`.
 * @packageDocumentation
 */
import { IndexOutOfBoundsException, ReadOnlyBufferException } from '../errors';
import { checkNonNegativeInt } from '../internal/checks';
import { ByteBuf } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer } from './ByteBuffer';
import { ReadOnlyByteBuf } from './DerivedByteBuf';

/** Netty's bare `new IndexOutOfBoundsException()`. */
function outOfRange(): IndexOutOfBoundsException {
  return new IndexOutOfBoundsException('');
}

/**
 * The one empty direct `ByteBuffer` Netty's `EmptyByteBuf` (and an empty composite) returns from
 * `nioBuffer()`: the same object every time, as `EmptyByteBuf.EMPTY_BYTE_BUFFER`.
 */
export const EMPTY_BYTE_BUFFER: ByteBuffer = ByteBuffer.allocateDirect(0);

/** Netty's `checkPositiveOrZero(length, "length")`, then a non-zero length is out of range. */
function checkLength(length: unknown): void {
  checkNonNegativeInt(length, 'length');
  if (length !== 0) throw outOfRange();
}

/** `checkLength`, then a non-zero index is out of range (Netty's `checkIndex(index, length)`). */
function checkIndexLength(index: unknown, length: unknown): void {
  checkNonNegativeInt(length, 'length');
  if (index !== 0 || length !== 0) throw outOfRange();
}

/** The number of bytes a bulk operand would move: its length, remaining or readable/writable bytes. */
function sizeOf(x: Uint8Array | ByteBuffer | ByteBuf, readable: boolean): number {
  if (x instanceof Uint8Array) return x.length;
  if (x instanceof ByteBuffer) return x.remaining();
  return readable ? x.readableBytes() : x.writableBytes();
}

export class EmptyByteBuf extends ByteBuf {
  private readonly allocator: ByteBufAllocator;

  /** @internal One per allocator: `Unpooled.EMPTY_BUFFER` is the default allocator's. */
  constructor(allocator: ByteBufAllocator) {
    super();
    this.clear();
    this.allocator = allocator;
  }

  protected override currentCapacity(): number {
    return 0;
  }
  protected override setCapacity(): void {
    throw new ReadOnlyBufferException();
  }
  override maxCapacity(): number {
    return 0;
  }
  override refCnt(): number {
    return 1;
  }
  override retain(): this {
    return this;
  }
  override release(): boolean {
    return false;
  }
  override touch(): this {
    return this;
  }
  override unwrap(): null {
    return null;
  }
  override isDirect(): boolean {
    return true;
  }
  override isReadOnly(): boolean {
    return false;
  }
  override alloc(): ByteBufAllocator {
    return this.allocator;
  }
  override nioBufferCount(): number {
    return 1;
  }
  override nioBuffers(index = 0, length = 0): ByteBuffer[] {
    checkIndexLength(index, length);
    return [EMPTY_BYTE_BUFFER];
  }
  override nioBuffer(index = 0, length = 0): ByteBuffer {
    checkIndexLength(index, length);
    return EMPTY_BYTE_BUFFER;
  }
  override slice(index = 0, length = 0): ByteBuf {
    checkIndexLength(index, length);
    return this;
  }
  override retainedSlice(index = 0, length = 0): ByteBuf {
    checkIndexLength(index, length);
    return this;
  }
  override duplicate(): ByteBuf {
    return this;
  }
  override retainedDuplicate(): ByteBuf {
    return this;
  }
  override isReadable(): boolean {
    return false;
  }
  override isWritable(): boolean {
    return false;
  }
  override getBytes(index: number, dst: Uint8Array | ByteBuffer, _dstIndex = 0, length?: number): this {
    checkIndexLength(index, length ?? sizeOf(dst, false));
    return this;
  }
  override setBytes(index: number, src: Uint8Array | ByteBuffer, _srcIndex = 0, length?: number): this {
    checkIndexLength(index, length ?? sizeOf(src, true));
    return this;
  }
  override readBytes(length: number): ByteBuf;
  override readBytes(dst: Uint8Array, dstIndex?: number, length?: number): this;
  override readBytes(dst: ByteBuffer): this;
  override readBytes(dst: ByteBuf, length?: number): this;
  override readBytes(arg: number | Uint8Array | ByteBuffer | ByteBuf, second?: number, third?: number): ByteBuf | this {
    if (typeof arg === 'number') checkLength(arg);
    else if (arg instanceof Uint8Array) checkLength(third ?? arg.length - (second ?? 0));
    else checkLength(second ?? sizeOf(arg, false));
    return this;
  }
  override readSlice(length: number): ByteBuf {
    checkLength(length);
    return this;
  }
  override readRetainedSlice(length: number): ByteBuf {
    checkLength(length);
    return this;
  }
  override skipBytes(length: number): this {
    checkLength(length);
    return this;
  }
  override writeBytes(src: Uint8Array | ByteBuffer | ByteBuf, srcIndex?: number, length?: number): this {
    if (src instanceof Uint8Array) checkLength(length ?? src.length - (srcIndex ?? 0));
    else checkLength(srcIndex ?? sizeOf(src, true));
    return this;
  }
  override writeZero(length: number): this {
    checkLength(length);
    return this;
  }
  /** Every single-value get and set: Netty's `EmptyByteBuf` throws whatever the index. */
  override _checkAccess(): void {
    throw outOfRange();
  }
  /** Netty's has one (its empty direct `ByteBuffer`'s), so a copy into a read-only view of it writes there. */
  override _hasMemoryAddress(): boolean {
    return true;
  }
  /** Netty's `Unpooled.unmodifiableBuffer(this)`: a new read-only view, not `EMPTY_BUFFER` itself. */
  override asReadOnly(): ByteBuf {
    return new ReadOnlyByteBuf(this);
  }
  /** `EMPTY_BUFFER` itself, as Netty's. */
  override copy(index = 0, length = 0): ByteBuf {
    checkIndexLength(index, length);
    return this;
  }
  override discardReadBytes(): this {
    return this;
  }
  override _getByte(): number {
    throw outOfRange();
  }
  override _setByte(): void {
    throw outOfRange();
  }
  override _getBytes(): void {
    // Only reached with length 0 after the range checks.
  }
  override _setBytes(): void {
    // Only reached with length 0 after the range checks.
  }
  protected override adjustCapacity(): void {
    throw new ReadOnlyBufferException();
  }
  protected override nettyClassName(): string {
    return 'EmptyByteBufBE';
  }
  override toString(): string {
    return 'EmptyByteBufBE';
  }
  protected override checkIndex0(index: number, length: number): void {
    checkIndexLength(index, length);
  }
  protected override checkReadableBytes0(length: number): void {
    if (length !== 0) throw outOfRange();
  }
  protected override ensureWritable0(minWritableBytes: number): void {
    checkNonNegativeInt(minWritableBytes, 'minWritableBytes');
    if (minWritableBytes !== 0) throw outOfRange();
  }
  protected override checkIndexBounds(readerIndex: number, writerIndex: number): void {
    if (readerIndex !== 0 || writerIndex !== 0) throw outOfRange();
  }
}
