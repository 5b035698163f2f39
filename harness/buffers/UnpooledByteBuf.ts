/**
 * Unpooled heap and direct buffers (Netty's `UnpooledHeapByteBuf` / `UnpooledDirectByteBuf`),
 * either owning their memory (allocated) or **wrapping** the caller's (`Unpooled.wrappedBuffer`).
 * A wrapper's `deallocate()` only lets go of the caller's memory: it never frees or clears it.
 * @packageDocumentation
 */
import { IllegalArgumentException } from '../errors';
import { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer } from './ByteBuffer';

const FREED = new Uint8Array(0);

/** Shared implementation; `UnpooledHeapByteBuf` and `UnpooledDirectByteBuf` only name the kind. */
export abstract class UnpooledByteBuf extends AbstractReferenceCountedByteBuf {
  private memory: Uint8Array;
  private readonly allocator: ByteBufAllocator;
  private readonly maxCap: number;
  private readonly readOnly: boolean;
  /** False for wrappers: the memory is the caller's. */
  readonly ownsMemory: boolean;
  /**
   * The caller's `ByteBuffer` or array a wrapper shares. Held (like Java's direct-buffer
   * attachment) so the caller's buffer stays reachable while the wrapper is unreleased.
   */
  private wrapped: ByteBuffer | Uint8Array | null;

  /** @internal Use an allocator or `Unpooled`. */
  constructor(
    allocator: ByteBufAllocator,
    memory: Uint8Array,
    maxCapacity: number,
    options: { ownsMemory: boolean; readOnly?: boolean; wrapped?: ByteBuffer | Uint8Array; writerIndex?: number },
  ) {
    super();
    if (maxCapacity < memory.length) {
      throw new IllegalArgumentException(`initialCapacity(${memory.length}) > maxCapacity(${maxCapacity})`);
    }
    this.allocator = allocator;
    this.memory = memory;
    this.maxCap = maxCapacity;
    this.ownsMemory = options.ownsMemory;
    this.readOnly = options.readOnly ?? false;
    this.wrapped = options.wrapped ?? null;
    this.wIdx = options.writerIndex ?? 0;
  }

  /** The caller's `ByteBuffer` or array this wrapper shares; null for owned memory or once freed. */
  wrappedSource(): ByteBuffer | Uint8Array | null {
    return this.wrapped;
  }
  override capacity(): number {
    return this.memory.length;
  }
  override maxCapacity(): number {
    return this.maxCap;
  }
  override isReadOnly(): boolean {
    return this.readOnly;
  }
  override alloc(): ByteBufAllocator {
    return this.allocator;
  }
  override nioBufferCount(): number {
    return 1;
  }
  override nioBuffers(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer[] {
    return [this.nioBuffer(index, length)];
  }
  override nioBuffer(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer {
    this.checkIndex(index, length);
    const view = this.memory.subarray(index, index + length);
    const direct = this.isDirect();
    return new ByteBuffer(view, direct, this.readOnly, direct ? null : view, 0);
  }
  override _getByte(index: number): number {
    return this.memory[index]!;
  }
  override _setByte(index: number, value: number): void {
    this.memory[index] = value;
  }
  override _getBytes(index: number, dst: Uint8Array, dstIndex: number, length: number): void {
    dst.set(this.memory.subarray(index, index + length), dstIndex);
  }
  override _setBytes(index: number, src: Uint8Array, srcIndex: number, length: number): void {
    this.memory.set(src.subarray(srcIndex, srcIndex + length), index);
  }
  protected override adjustCapacity(newCapacity: number): void {
    if (!this.ownsMemory) {
      throw new IllegalArgumentException(`a wrapped buffer cannot grow past the caller's memory: ${this.toString()}`);
    }
    const grown = new Uint8Array(newCapacity);
    grown.set(this.memory.subarray(0, Math.min(this.memory.length, newCapacity)));
    this.memory = grown;
    if (this.leak !== null) this.leak.resize(newCapacity);
  }
  protected override deallocate(): void {
    // Owned memory is dropped for the GC; a wrapper just stops referencing the caller's memory.
    this.memory = FREED;
    this.wrapped = null;
  }
}

/** A heap buffer (Netty's `UnpooledHeapByteBuf`). */
export class UnpooledHeapByteBuf extends UnpooledByteBuf {
  override isDirect(): boolean {
    return false;
  }
}

/** A direct buffer (Netty's `UnpooledDirectByteBuf`). */
export class UnpooledDirectByteBuf extends UnpooledByteBuf {
  override isDirect(): boolean {
    return true;
  }
}
