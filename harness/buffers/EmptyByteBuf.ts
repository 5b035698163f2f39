/**
 * Netty's `EmptyByteBuf`: the shared zero-capacity buffer. Its `refCnt()` is always 1, `retain()`
 * returns it, `release()` always returns false: it can never be freed, never tracked, never leaked.
 * @packageDocumentation
 */
import { IndexOutOfBoundsException } from '../errors';
import { ByteBuf } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer } from './ByteBuffer';

export class EmptyByteBuf extends ByteBuf {
  private readonly allocator: ByteBufAllocator;

  /** @internal There is one: `Unpooled.EMPTY_BUFFER`. */
  constructor(allocator: ByteBufAllocator) {
    super();
    this.allocator = allocator;
  }

  override capacity(): number {
    return 0;
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
    return false;
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
    return ByteBuffer.empty();
  }
  override slice(index = 0, length = 0): ByteBuf {
    this.checkIndex(index, length);
    return this;
  }
  override duplicate(): ByteBuf {
    return this;
  }
  override asReadOnly(): ByteBuf {
    return this;
  }
  override _getByte(index: number): number {
    throw new IndexOutOfBoundsException(`index: ${index} (expected: range(0, 0))`);
  }
  override _setByte(index: number): void {
    throw new IndexOutOfBoundsException(`index: ${index} (expected: range(0, 0))`);
  }
  override _getBytes(): void {
    // Only reached with length 0 after the range checks.
  }
  override _setBytes(): void {
    // Only reached with length 0 after the range checks.
  }
  protected override adjustCapacity(): void {
    throw new IndexOutOfBoundsException('EMPTY_BUFFER cannot grow');
  }
  override toString(): string {
    return 'EmptyByteBuf';
  }
}
