/**
 * Unpooled heap and direct buffers (Netty's `UnpooledHeapByteBuf` / `UnpooledDirectByteBuf` and
 * their Unsafe variants), either owning their memory (allocated) or **wrapping** the caller's
 * (`Unpooled.wrappedBuffer`). A wrapper's `deallocate()` only lets go of the caller's memory: it
 * never frees or clears it. As in Netty, a freed heap buffer's capacity reads 0 (its array is
 * gone) while a freed direct buffer keeps reporting its capacity.
 * @packageDocumentation
 */
import { ArrayIndexOutOfBoundsException, IndexOutOfBoundsException, ReadOnlyBufferException } from '../errors';
import { checkFromIndexSize } from '../internal/checks';
import { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer } from './ByteBuffer';

// Plain-variable copies of the imported bindings used on hot paths: in a CommonJS build each use
// of an imported name is a getter call (see `Unpooled.ts`). Their modules load before this body.
const LocalCheckFromIndexSize = checkFromIndexSize;
const LocalByteBuffer = ByteBuffer;

const FREED = new Uint8Array(0);

/**
 * How an absolute get/set out of range fails, per Netty class: `checked` (Netty's `checkIndex`
 * text), `array` (`UnpooledHeapByteBuf` leaves it to the array: `ArrayIndexOutOfBoundsException`
 * naming the first byte out of range), `nio` (a read-only wrapped `ByteBuffer`: the NIO buffer's
 * `IndexOutOfBoundsException`, which has no message).
 */
export type AccessCheck = 'checked' | 'array' | 'nio';

/** What the allocator tells a new buffer about itself. */
export interface UnpooledByteBufOptions {
  ownsMemory: boolean;
  readOnly?: boolean;
  wrapped?: ByteBuffer | Uint8Array;
  writerIndex?: number;
  /** The class name Netty's `toString` prints for this buffer. */
  className: string;
  /** Default `checked`. */
  accessCheck?: AccessCheck;
}

/**
 * Shared implementation; `UnpooledHeapByteBuf` and `UnpooledDirectByteBuf` only name the kind.
 *
 * Like its bases, it has no constructor and no field initialisers: the two concrete classes'
 * constructors call `super()`, which V8 then skips down to the allocation, and set the fields
 * with `init`. So making a buffer calls no constructor but its own class's, which V8 inlines
 * (an allocate / retain / touch / release / release cycle: 825 instructions with this class's
 * constructor called, 546 without).
 */
export abstract class UnpooledByteBuf extends AbstractReferenceCountedByteBuf {
  // Declared only (set by `init`); not readonly, since `init` is not a constructor.
  private declare memory: Uint8Array;
  /** The capacity a freed direct buffer keeps reporting. */
  private declare directCapacity: number;
  private declare allocator: ByteBufAllocator;
  private declare className: string;
  private declare accessCheck: AccessCheck;
  private declare maxCap: number;
  private declare readOnly: boolean;
  /** False for wrappers: the memory is the caller's. */
  declare readonly ownsMemory: boolean;
  /**
   * The caller's `ByteBuffer` or array a wrapper shares. Held (like Java's direct-buffer
   * attachment) so the caller's buffer stays reachable while the wrapper is unreleased.
   *
   * The chain's one class field, defined by each concrete class (and set by `init`): with no
   * class field in the whole chain, Node 20's V8 recompiled the constructor without end ("Bailed
   * out due to dependency change"; measured: a cycle about 20 times as dear).
   */
  protected abstract wrapped: ByteBuffer | Uint8Array | null;

  /** @internal The constructor's work, for the concrete classes' constructors (see the class comment). */
  protected init(
    allocator: ByteBufAllocator,
    memory: Uint8Array,
    maxCapacity: number,
    options: UnpooledByteBufOptions,
  ): void {
    this.initCount();
    this.allocator = allocator;
    this.memory = memory;
    this.directCapacity = memory.length;
    this.className = options.className;
    this.accessCheck = options.accessCheck ?? 'checked';
    this.maxCap = maxCapacity;
    (this as { ownsMemory: boolean }).ownsMemory = options.ownsMemory;
    this.readOnly = options.readOnly ?? false;
    this.wrapped = options.wrapped ?? null;
    this.wIdx = options.writerIndex ?? 0;
  }

  /** The caller's `ByteBuffer` or array this wrapper shares; null for owned memory or once freed. */
  wrappedSource(): ByteBuffer | Uint8Array | null {
    return this.wrapped;
  }
  protected override currentCapacity(): number {
    // Netty's `ReadOnlyByteBufferBuf` (`nio`) keeps its ByteBuffer when freed, so its capacity too.
    return this.refCnt() === 0 && (this.isDirect() || this.accessCheck === 'nio') ? this.directCapacity : this.memory.length;
  }
  protected override nettyClassName(): string {
    return this.className;
  }
  override _checkAccess(index: number, width: number): void {
    if (this.accessCheck === 'checked') {
      this.checkIndex(index, width);
      return;
    }
    this.ensureAccessible();
    const length = this.memory.length;
    if (Number.isInteger(index) && index >= 0 && index + width <= length) return;
    if (this.accessCheck === 'nio') throw new IndexOutOfBoundsException('');
    throw new ArrayIndexOutOfBoundsException(index < 0 ? index : Math.max(index, length), length);
  }
  /** Over a Java array (`array`), Netty's heap buffer writes the bytes that fit before the array throws. */
  override _writableLead(index: number, width: number): number {
    if (this.accessCheck !== 'array') return super._writableLead(index, width);
    this.ensureAccessible();
    if (!Number.isInteger(index) || index < 0) return 0;
    return Math.max(0, Math.min(width, this.memory.length - index));
  }
  /** Unsafe direct buffers have one, a read-only direct `ByteBuffer`'s wrapper too (`ReadOnlyUnsafeDirectByteBuf`). */
  override _hasMemoryAddress(): boolean {
    return this.isDirect();
  }
  /**
   * `ReadOnlyUnsafeDirectByteBuf.memoryAddress()` has no liveness check and its ByteBuffer outlives
   * a release: a copy from it reads the memory even once freed.
   */
  override _giveAddressOrArray(): void {
    if (!(this.accessCheck === 'nio' && this.isDirect())) super._giveAddressOrArray();
  }
  /** A copy into it goes to that address too: past its read-only ByteBuffer, as in Netty. */
  override _receiveBytes(index: number, bytes: Uint8Array): void {
    if (this.accessCheck === 'nio' && this.isDirect()) this._setBytes(index, bytes, 0, bytes.length);
    else super._receiveBytes(index, bytes);
  }
  override _copyOut(index: number, dst: Uint8Array, length: number): void {
    if (this.accessCheck === 'nio' && this.isDirect()) this._getBytes(index, dst, 0, length);
    else super._copyOut(index, dst, length);
  }
  /**
   * Netty's Unsafe buffers (allocated ones, a direct `ByteBuffer`'s wrapper) override `writeZero`
   * without the zero-length shortcut: `ensureWritable(0)` still checks liveness.
   */
  override writeZero(length: number): this {
    if (length === 0 && this.className.includes('Unsafe') && !this.readOnly) return this.ensureWritable(0);
    return super.writeZero(length);
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
    if (!this.isDirect() && this.accessCheck !== 'nio') {
      // Netty's heap buffer: `ByteBuffer.wrap(array, index, length).slice()`, the JDK's bare range error.
      this.ensureAccessible();
      const n = this.memory.length;
      if (!Number.isInteger(index) || !Number.isInteger(length) || index < 0 || length < 0 || index > n - length) throw new IndexOutOfBoundsException('');
    }
    this.checkIndex(index, length);
    // The whole memory needs no new typed array (about 360 instructions per view): the
    // ByteBuffer never hands its memory out, only copies and new views of it.
    const memory = this.memory;
    const view = index === 0 && length === memory.length ? memory : memory.subarray(index, index + length);
    const direct = this.isDirect();
    // A heap buffer's is `ByteBuffer.wrap(array, index, length).slice()`: the whole array, offset `index`.
    return new LocalByteBuffer(view, direct, this.readOnly, direct ? null : this.memory, direct ? 0 : index);
  }
  /**
   * Netty's per-class bulk copies with a `ByteBuffer` or an array, when they differ from
   * `AbstractByteBuf`'s: a heap buffer hands the range to the JDK (`ByteBuffer.put/get(array, ...)`:
   * read-only first, then the JDK's range text over its array); an Unsafe direct one checks the
   * array range with the short `dstIndex: N` and skips an empty `ByteBuffer` without any check.
   * A wrapped read-only `ByteBuffer` keeps the base checks.
   */
  override getBytes(index: number, dst: Uint8Array | ByteBuffer, dstIndex = 0, length?: number): this {
    if (this.accessCheck === 'nio') return super.getBytes(index, dst, dstIndex, length);
    if (dst instanceof LocalByteBuffer && !this.isDirect()) {
      const n = dst.remaining();
      this.ensureAccessible();
      if (dst.isReadOnly()) throw new ReadOnlyBufferException();
      LocalCheckFromIndexSize(index, n, this.memory.length);
      dst.put(this.memory.subarray(index, index + n));
      return this;
    }
    if (dst instanceof Uint8Array && this.isDirect()) {
      const len = length ?? dst.length - dstIndex;
      this.checkIndex(index, len);
      if (!Number.isInteger(dstIndex) || dstIndex < 0 || dstIndex > dst.length - len) throw new IndexOutOfBoundsException(`dstIndex: ${dstIndex}`);
      this._getBytes(index, dst, dstIndex, len);
      return this;
    }
    return super.getBytes(index, dst, dstIndex, length);
  }
  override setBytes(index: number, src: Uint8Array | ByteBuffer, srcIndex = 0, length?: number): this {
    if (this.accessCheck === 'nio' || !(src instanceof LocalByteBuffer)) return super.setBytes(index, src, srcIndex, length);
    const n = src.remaining();
    if (this.isDirect()) {
      if (n === 0) return this;
      return super.setBytes(index, src);
    }
    this.ensureAccessible();
    LocalCheckFromIndexSize(index, n, this.memory.length);
    src.get(this.memory.subarray(index, index + n));
    return this;
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
  /**
   * New memory of `newCapacity` holding what fits of the old (a wrapper then no longer shares the
   * caller's memory, as Netty's replaces its array); a shrink pulls the indices in.
   */
  protected override adjustCapacity(newCapacity: number): void {
    if (newCapacity < this.memory.length) this.trimIndicesToCapacity(newCapacity);
    const next = new Uint8Array(newCapacity);
    next.set(this.memory.subarray(0, Math.min(this.memory.length, newCapacity)));
    this.memory = next;
    this.directCapacity = newCapacity;
    if (this.leak !== null) this.leak.resize(newCapacity);
  }
  protected override deallocate(): void {
    // Owned memory is dropped for the GC; a wrapper just stops referencing the caller's memory
    // (Netty's read-only ByteBuffer wrappers keep the ByteBuffer, and read it through an address).
    if (this.accessCheck !== 'nio') this.memory = FREED;
    this.wrapped = null;
  }
  override _emptyCopyChecksSrc(): boolean {
    return !this.isDirect();
  }
  /** An Unsafe direct buffer's `UnsafeByteBufUtil.setBytes` text: `srcIndex: N`. */
  override _checkSrcRange(srcIndex: number, length: number, srcCapacity: number): void {
    if (!this.isDirect() || this.accessCheck === 'nio') {
      super._checkSrcRange(srcIndex, length, srcCapacity);
    } else if (!Number.isInteger(srcIndex) || srcIndex < 0 || length < 0 || srcIndex > srcCapacity - length) {
      throw new IndexOutOfBoundsException(`srcIndex: ${srcIndex}`);
    }
  }
}

/** A heap buffer (Netty's `UnpooledHeapByteBuf`). */
export class UnpooledHeapByteBuf extends UnpooledByteBuf {
  /** A class field of this class's own (see `UnpooledByteBuf.wrapped`). */
  protected wrapped: ByteBuffer | Uint8Array | null = null;

  /** @internal Use an allocator or `Unpooled`. */
  constructor(allocator: ByteBufAllocator, memory: Uint8Array, maxCapacity: number, options: UnpooledByteBufOptions) {
    super();
    this.init(allocator, memory, maxCapacity, options);
  }

  override isDirect(): boolean {
    return false;
  }
}

/** A direct buffer (Netty's `UnpooledDirectByteBuf`). */
export class UnpooledDirectByteBuf extends UnpooledByteBuf {
  /** A class field of this class's own (see `UnpooledByteBuf.wrapped`). */
  protected wrapped: ByteBuffer | Uint8Array | null = null;

  /** @internal Use an allocator or `Unpooled`. */
  constructor(allocator: ByteBufAllocator, memory: Uint8Array, maxCapacity: number, options: UnpooledByteBufOptions) {
    super();
    this.init(allocator, memory, maxCapacity, options);
  }

  override isDirect(): boolean {
    return true;
  }
}
