/**
 * Derived views, as Netty 4.1's: own reader and writer indices, but the content **and the
 * reference count** are the root buffer's, so releasing a view releases the root.
 * - `UnpooledSlicedByteBuf`: a fixed window (capacity = maxCapacity = its length); it checks its
 *   own bounds before asking the root (so a freed root's slice reports an out-of-range index
 *   first). A slice of a slice, or of a duplicate, is a slice of the root.
 * - `UnpooledDuplicatedByteBuf`: the whole root, with the root's capacity and `maxCapacity`;
 *   growing it grows the root. A duplicate of a slice is a duplicate of the root with the slice's
 *   indices moved to the root's.
 * - `ReadOnlyByteBuf`: any buffer seen read-only, with that buffer's `maxCapacity`; made without
 *   a liveness check (`asReadOnly()`, and its `duplicate()`, succeed on a freed buffer whose
 *   capacity still holds the indices).
 * @packageDocumentation
 */
import { ReadOnlyBufferException, UnsupportedOperationException } from '../errors';
import type { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
import { ByteBuf } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer } from './ByteBuffer';
import type { StackCut } from '../tracking/stack';

/** A counted root that can cut records at a view's method (`AbstractReferenceCountedByteBuf`). */
function isCountedRoot(buf: ByteBuf): buf is AbstractReferenceCountedByteBuf {
  return 'retainVia' in buf;
}

/**
 * Shared by the views: the count, tracking and allocator are the root's.
 *
 * As the buffers' classes (see `UnpooledByteBuf`), the views' abstract classes have no
 * constructor and no field initialisers, so V8 skips them when a view is made: each concrete
 * view's constructor calls `super()`, then `initView`, and defines at least one
 * class field of its own (with none in the whole chain, V8 recompiled the constructor without end).
 */
export abstract class DerivedByteBuf extends ByteBuf {
  /**
   * @internal The buffer that owns the count and the memory: a counted buffer, or (for a
   * read-only view of it) `EMPTY_BUFFER`.
   */
  declare readonly root: ByteBuf;

  /** @internal The constructor's work, for a concrete view's constructor: indices 0, `root`. */
  protected initView(root: ByteBuf): void {
    this.clear();
    (this as { root: ByteBuf }).root = root;
  }

  override refCnt(): number {
    return this.root.refCnt();
  }
  // Through the root's `...Via` methods, so records are cut at this view's method (see `StackCut`).
  override retain(increment = 1): this {
    const r = this.root;
    if (isCountedRoot(r)) r.retainVia(increment, DerivedByteBuf.prototype.retain);
    else r.retain(increment);
    return this;
  }
  override release(decrement = 1): boolean {
    const r = this.root;
    return isCountedRoot(r) ? r.releaseVia(decrement, DerivedByteBuf.prototype.release) : r.release(decrement);
  }
  override touch(hint?: unknown): this {
    const r = this.root;
    if (isCountedRoot(r)) r.touchVia(hint, DerivedByteBuf.prototype.touch);
    return this;
  }
  /** @internal A `derive` record on the root, when it keeps records. */
  protected recordOnRoot(what: string, cut: StackCut): void {
    const r = this.root;
    if (isCountedRoot(r)) r.recordDerivation(what, cut);
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
  override asReadOnly(): ByteBuf {
    if (this.isReadOnly()) return this;
    this.recordOnRoot('asReadOnly', DerivedByteBuf.prototype.asReadOnly);
    return new ReadOnlyByteBuf(this);
  }
}

/** A view whose bytes are the root's from `adjustment` on (slices; duplicates with 0). */
abstract class RootWindowByteBuf extends DerivedByteBuf {
  /** @internal Offset of this view's index 0 in the root: a class field of each concrete view. */
  abstract readonly adjustment: number;

  /** Netty's view reads go to the root's unchecked `_getX` at the root's index. */
  override _checkRelativeRead(index: number, width: number): void {
    this.root._checkRelativeRead(this.adjustment + index, width);
  }

  override unwrap(): ByteBuf {
    return this.root;
  }
  override isDirect(): boolean {
    return this.root.isDirect();
  }
  override _emptyCopySkipsDst(): boolean {
    return this.root._emptyCopySkipsDst();
  }
  override _hasMemoryAddress(): boolean {
    return this.root._hasMemoryAddress();
  }
  /** Netty's views answer `memoryAddress()` with the wrapped buffer's. */
  override _giveAddressOrArray(): void {
    if (this.root._hasMemoryAddress()) this.root._giveAddressOrArray();
    else this.ensureAccessible();
  }
  override _emptyCopyChecksSrc(): boolean {
    return this.root._emptyCopyChecksSrc();
  }
  override _checkSrcRange(srcIndex: number, length: number, srcCapacity: number): void {
    this.root._checkSrcRange(srcIndex, length, srcCapacity);
  }
  override isReadOnly(): boolean {
    return this.root.isReadOnly();
  }
  /** @internal A slice's own bounds check before it hands a range to the root; none for a duplicate. */
  protected abstract checkWindow(index: number, length: number): void;

  /** Netty's derived `getBytes`: its own bounds, then the root's `getBytes` (the root's checks and texts). */
  override getBytes(index: number, dst: Uint8Array | ByteBuffer, dstIndex = 0, length?: number): this {
    this.checkWindow(index, dst instanceof ByteBuffer ? dst.remaining() : (length ?? dst.length - dstIndex));
    this.root.getBytes(this.adjustment + index, dst, dstIndex, length);
    return this;
  }
  /** Netty's derived `setBytes`: its own bounds, then the root's `setBytes`. */
  override setBytes(index: number, src: Uint8Array | ByteBuffer, srcIndex = 0, length?: number): this {
    this.checkWindow(index, src instanceof ByteBuffer ? src.remaining() : (length ?? src.length - srcIndex));
    this.root.setBytes(this.adjustment + index, src, srcIndex, length);
    return this;
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
}

/** Netty's `UnpooledSlicedByteBuf`: `[adjustment, adjustment + length)` of the root. */
export class UnpooledSlicedByteBuf extends RootWindowByteBuf {
  readonly adjustment: number;
  private readonly length: number;

  /** @internal Made by `slice()`; the caller checked the range against the root. */
  constructor(root: ByteBuf, adjustment: number, length: number) {
    super();
    this.initView(root);
    this.adjustment = adjustment;
    this.length = length;
    this.wIdx = length;
  }

  protected override currentCapacity(): number {
    return this.length;
  }
  override maxCapacity(): number {
    return this.length;
  }
  protected override setCapacity(): void {
    throw new UnsupportedOperationException('sliced buffer');
  }
  protected override nettyClassName(): string {
    return 'UnpooledSlicedByteBuf';
  }
  protected override checkWindow(index: number, length: number): void {
    this.checkIndex0(index, length);
  }
  /** Its own bounds first, then the root's checks (liveness first) at the root's index. */
  protected override checkIndex(index: number, length: number): void {
    this.checkIndex0(index, length);
    this.root._checkIndex(this.adjustment + index, length);
  }
  override _checkAccess(index: number, width: number): void {
    this.checkIndex0(index, width);
    this.root._checkAccess(this.adjustment + index, width);
  }
  override _writableLead(index: number, width: number): number {
    this.checkIndex0(index, width);
    return this.root._writableLead(this.adjustment + index, width);
  }
  override nioBuffer(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer {
    this.checkIndex0(index, length);
    return this.root.nioBuffer(this.adjustment + index, length);
  }
  override nioBuffers(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer[] {
    this.checkIndex0(index, length);
    return this.root.nioBuffers(this.adjustment + index, length);
  }
  override slice(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    this.checkIndex0(index, length);
    return this.root.slice(this.adjustment + index, length);
  }
  override duplicate(): ByteBuf {
    return this.root.duplicate().setIndex(this.adjustment + this.rIdx, this.adjustment + this.wIdx);
  }
  override copy(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    this.checkIndex0(index, length);
    return this.root.copy(this.adjustment + index, length);
  }
  protected override adjustCapacity(): void {
    throw new UnsupportedOperationException('sliced buffer');
  }
}

/** Netty's `UnpooledDuplicatedByteBuf`: the whole root with indices of its own. */
export class UnpooledDuplicatedByteBuf extends RootWindowByteBuf {
  /** A duplicate's bytes are the root's at the same indices. */
  readonly adjustment = 0;

  /** @internal Made by `duplicate()` with the indices it should start with. */
  constructor(root: ByteBuf, readerIndex: number, writerIndex: number) {
    super();
    this.initView(root);
    this.setIndex(readerIndex, writerIndex);
  }

  protected override currentCapacity(): number {
    return this.root.capacity();
  }
  override maxCapacity(): number {
    return this.root.maxCapacity();
  }
  /** Grows or shrinks the root. */
  protected override setCapacity(newCapacity: number): void {
    this.root.capacity(newCapacity);
  }
  protected override nettyClassName(): string {
    return 'UnpooledDuplicatedByteBuf';
  }
  protected override checkWindow(): void {
    // The whole root: the root checks.
  }
  protected override checkIndex(index: number, length: number): void {
    this.root._checkIndex(index, length);
  }
  override _checkAccess(index: number, width: number): void {
    this.root._checkAccess(index, width);
  }
  /** Netty's duplicate sets through the root's `setX`: a heap root's partial write too. */
  override _writableLead(index: number, width: number): number {
    return this.root._writableLead(index, width);
  }
  override nioBuffer(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer {
    return this.root.nioBuffer(index, length);
  }
  override nioBuffers(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer[] {
    return this.root.nioBuffers(index, length);
  }
  override slice(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    this.ensureAccessible();
    return this.root.slice(index, length);
  }
  override duplicate(): ByteBuf {
    this.ensureAccessible();
    this.recordOnRoot('duplicate', UnpooledDuplicatedByteBuf.prototype.duplicate);
    return new UnpooledDuplicatedByteBuf(this.root, this.rIdx, this.wIdx);
  }
  override copy(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    return this.root.copy(index, length);
  }
  protected override adjustCapacity(newCapacity: number): void {
    this.root.capacity(newCapacity);
  }
}

/** Netty's `ReadOnlyByteBuf`: reads go to the wrapped buffer, every write throws. */
export class ReadOnlyByteBuf extends DerivedByteBuf {
  /** The buffer seen read-only (a duplicate or read-only view is replaced by what it wraps). */
  private readonly inner: ByteBuf;
  private readonly maxCap: number;

  /** @internal Made by `asReadOnly()`, without a liveness check (as Netty's). */
  constructor(buffer: ByteBuf) {
    const inner = buffer instanceof ReadOnlyByteBuf || buffer instanceof UnpooledDuplicatedByteBuf ? buffer.unwrap() : buffer;
    super();
    this.initView(buffer instanceof DerivedByteBuf ? buffer.root : buffer);
    this.inner = inner;
    this.maxCap = buffer.maxCapacity();
    this.setIndex(buffer.readerIndex(), buffer.writerIndex());
  }

  protected override currentCapacity(): number {
    return this.inner.capacity();
  }
  override maxCapacity(): number {
    return this.maxCap;
  }
  protected override setCapacity(): void {
    throw new ReadOnlyBufferException();
  }
  override ensureWritable(): this {
    throw new ReadOnlyBufferException();
  }
  override isWritable(): boolean {
    return false;
  }
  override discardReadBytes(): this {
    throw new ReadOnlyBufferException();
  }
  override unwrap(): ByteBuf {
    return this.inner;
  }
  override isDirect(): boolean {
    return this.inner.isDirect();
  }
  override isReadOnly(): boolean {
    return true;
  }
  override _hasMemoryAddress(): boolean {
    return this.inner._hasMemoryAddress();
  }
  override _giveAddressOrArray(): void {
    if (this.inner._hasMemoryAddress()) this.inner._giveAddressOrArray();
    else this.ensureAccessible();
  }
  override _checkRelativeRead(index: number, width: number): void {
    this.inner._checkRelativeRead(index, width);
  }
  /** Netty's `hasMemoryAddress()`/`memoryAddress()` are the wrapped buffer's: a copy into it writes there. */
  override _receiveBytes(index: number, bytes: Uint8Array): void {
    if (this.inner._hasMemoryAddress()) this.inner._receiveBytes(index, bytes);
    else super._receiveBytes(index, bytes);
  }
  override asReadOnly(): ByteBuf {
    return this;
  }
  protected override nettyClassName(): string {
    return 'ReadOnlyByteBuf';
  }
  override getBytes(index: number, dst: Uint8Array | ByteBuffer, dstIndex = 0, length?: number): this {
    this.inner.getBytes(index, dst, dstIndex, length);
    return this;
  }
  override nioBuffer(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer {
    return this.inner.nioBuffer(index, length).asReadOnlyBuffer();
  }
  override nioBufferCount(): number {
    return this.inner.nioBufferCount();
  }
  override nioBuffers(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer[] {
    return this.inner.nioBuffers(index, length).map((b) => b.asReadOnlyBuffer());
  }
  override slice(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    return new ReadOnlyByteBuf(this.inner.slice(index, length));
  }
  /** Netty's `new ReadOnlyByteBuf(this)`: no liveness check. */
  override duplicate(): ByteBuf {
    this.recordOnRoot('duplicate', ReadOnlyByteBuf.prototype.duplicate);
    return new ReadOnlyByteBuf(this);
  }
  override copy(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    return this.inner.copy(index, length);
  }
  /** Netty's `ReadOnlyByteBuf.getX(i)` is the wrapped buffer's `getX(i)`: its checks, not ours. */
  override _checkAccess(index: number, width: number): void {
    this.inner._checkAccess(index, width);
  }
  override _getByte(index: number): number {
    return this.inner._getByte(index);
  }
  override _setByte(): void {
    throw new ReadOnlyBufferException();
  }
  override _getBytes(index: number, dst: Uint8Array, dstIndex: number, length: number): void {
    this.inner._getBytes(index, dst, dstIndex, length);
  }
  override _setBytes(): void {
    throw new ReadOnlyBufferException();
  }
  protected override adjustCapacity(): void {
    throw new ReadOnlyBufferException();
  }
}
