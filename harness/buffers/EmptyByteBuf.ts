/**
 * Netty's `EmptyByteBuf`: the shared zero-capacity buffer. Its `refCnt()` is always 1, `retain()`
 * returns it, `release()` always returns false: it can never be freed, never tracked, never leaked.
 * As in Netty 4.1 (JDK 17): it reports itself direct, prints as `EmptyByteBufBE`, and its range
 * errors are `IndexOutOfBoundsException`s without a message (Java's `null`, here `''`).
 * @packageDocumentation
 */
import { IllegalArgumentException, IndexOutOfBoundsException, ReadOnlyBufferException } from '../errors';
import { checkNonNegativeInt } from '../internal/checks';
import { ByteBuf } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer } from './ByteBuffer';
import { ReadOnlyByteBuf } from './DerivedByteBuf';

/** Netty's bare `new IndexOutOfBoundsException()`. */
function outOfRange(): IndexOutOfBoundsException {
  return new IndexOutOfBoundsException('');
}

export class EmptyByteBuf extends ByteBuf {
  private readonly allocator: ByteBufAllocator;

  /** @internal One per allocator: `Unpooled.EMPTY_BUFFER` is the default allocator's. */
  constructor(allocator: ByteBufAllocator) {
    super();
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
    return [this.nioBuffer(index, length)];
  }
  override nioBuffer(index = 0, length = 0): ByteBuffer {
    this.checkIndex(index, length);
    return ByteBuffer.allocateDirect(0);
  }
  override slice(index = 0, length = 0): ByteBuf {
    this.checkIndex(index, length);
    return this;
  }
  override duplicate(): ByteBuf {
    return this;
  }
  /** Netty's `Unpooled.unmodifiableBuffer(this)`: a new read-only view, not `EMPTY_BUFFER` itself. */
  override asReadOnly(): ByteBuf {
    return new ReadOnlyByteBuf(this);
  }
  /** `EMPTY_BUFFER` itself, as Netty's. */
  override copy(index = 0, length = 0): ByteBuf {
    this.checkIndex(index, length);
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
    if (typeof length === 'number' && length < 0) throw new IllegalArgumentException(`length: ${length}`);
    if (index !== 0 || length !== 0) throw outOfRange();
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
