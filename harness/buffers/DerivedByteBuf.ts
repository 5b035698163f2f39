/**
 * Derived views (Netty's sliced, duplicated and read-only buffers): own reader and writer indices,
 * but the content **and the reference count** are the parent's. Releasing a view releases the
 * parent; a view of a view is a view of the same root.
 * @packageDocumentation
 */
import { IndexOutOfBoundsException } from '../errors';
import type { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
import { ByteBuf } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import type { ByteBuffer } from './ByteBuffer';

export class DerivedByteBuf extends ByteBuf {
  /** The buffer that owns the count and the memory. */
  private readonly root: AbstractReferenceCountedByteBuf;
  /** Offset of this view's index 0 in the root. */
  private readonly adjustment: number;
  /** Fixed capacity of a slice; null for duplicates, which follow the root's capacity. */
  private readonly fixedCapacity: number | null;
  private readonly readOnly: boolean;

  /** @internal Made by `slice()`, `duplicate()` and `asReadOnly()`. */
  constructor(root: AbstractReferenceCountedByteBuf, adjustment: number, capacity: number | null, readOnly: boolean) {
    super();
    this.root = root;
    this.adjustment = adjustment;
    this.fixedCapacity = capacity;
    this.readOnly = readOnly;
  }

  override capacity(): number {
    return this.fixedCapacity ?? this.root.capacity() - this.adjustment;
  }
  override maxCapacity(): number {
    return this.capacity();
  }
  override refCnt(): number {
    return this.root.refCnt();
  }
  // Through the root's `...Via` methods, so records are cut at this view's method (see `StackCut`).
  override retain(increment = 1): this {
    this.root.retainVia(increment, DerivedByteBuf.prototype.retain);
    return this;
  }
  override release(decrement = 1): boolean {
    return this.root.releaseVia(decrement, DerivedByteBuf.prototype.release);
  }
  override touch(hint?: unknown): this {
    this.root.touchVia(hint, DerivedByteBuf.prototype.touch);
    return this;
  }
  override unwrap(): ByteBuf {
    return this.root;
  }
  override isDirect(): boolean {
    return this.root.isDirect();
  }
  override isReadOnly(): boolean {
    return this.readOnly;
  }
  override alloc(): ByteBufAllocator {
    return this.root.alloc();
  }
  override ensureAccessible(): void {
    this.root.ensureAccessible();
  }
  override nioBufferCount(): number {
    return this.root.nioBufferCount();
  }
  override nioBuffers(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer[] {
    this.checkIndex(index, length);
    return this.root.nioBuffers(this.adjustment + index, length);
  }
  override nioBuffer(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer {
    this.checkIndex(index, length);
    const b = this.root.nioBuffer(this.adjustment + index, length);
    return this.readOnly ? b.asReadOnlyBuffer() : b;
  }
  override slice(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    this.checkIndex(index, length);
    this.root.recordDerivation('slice', DerivedByteBuf.prototype.slice);
    return new DerivedByteBuf(this.root, this.adjustment + index, length, this.readOnly).setIndex(0, length);
  }
  override duplicate(): ByteBuf {
    this.ensureAccessible();
    this.root.recordDerivation('duplicate', DerivedByteBuf.prototype.duplicate);
    return new DerivedByteBuf(this.root, this.adjustment, this.fixedCapacity, this.readOnly).setIndex(this.rIdx, this.wIdx);
  }
  override asReadOnly(): ByteBuf {
    if (this.readOnly) return this;
    this.ensureAccessible();
    this.root.recordDerivation('asReadOnly', DerivedByteBuf.prototype.asReadOnly);
    return new DerivedByteBuf(this.root, this.adjustment, this.fixedCapacity, true).setIndex(this.rIdx, this.wIdx);
  }
  override _getByte(index: number): number {
    return this.root._getByte(this.adjustment + index);
  }
  override _setByte(index: number, value: number): void {
    this.root._setByte(this.adjustment + index, value);
  }
  override _getBytes(index: number, dst: Uint8Array, dstIndex: number, length: number): void {
    this.root._getBytes(this.adjustment + index, dst, dstIndex, length);
  }
  override _setBytes(index: number, src: Uint8Array, srcIndex: number, length: number): void {
    this.root._setBytes(this.adjustment + index, src, srcIndex, length);
  }
  protected override adjustCapacity(): void {
    throw new IndexOutOfBoundsException(`a derived buffer cannot grow: ${this.toString()}`);
  }
}
