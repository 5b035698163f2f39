/**
 * Allocators (Netty's `ByteBufAllocator` / `UnpooledByteBufAllocator`). Every buffer an allocator
 * makes passes through the leak detector's hook, which decides (by level and ledger setting)
 * whether to track it: code under test calls the allocator as usual and is watched without knowing.
 * @packageDocumentation
 */
import { IllegalArgumentException } from '../errors';
import { checkNonNegativeInt } from '../internal/checks';
import { newTracker } from '../tracking/LeakDetection';
import type { StackCut } from '../tracking/stack';
import { MAX_CAPACITY, type ByteBuf } from './ByteBuf';
import { ByteBuffer } from './ByteBuffer';
import { CompositeByteBuf, DEFAULT_MAX_COMPONENTS } from './CompositeByteBuf';
import { EmptyByteBuf } from './EmptyByteBuf';
import { UnpooledDirectByteBuf, UnpooledHeapByteBuf, type UnpooledByteBufOptions } from './UnpooledByteBuf';

// Plain-variable copies of the imported bindings used on hot paths: in a CommonJS build each use
// of an imported name is a getter call (see `Unpooled.ts`). Their modules load before this body.
const LocalCheckNonNegativeInt = checkNonNegativeInt;
const LocalNewTracker = newTracker;
const LOCAL_MAX_CAPACITY = MAX_CAPACITY;
const LocalUnpooledDirectByteBuf = UnpooledDirectByteBuf;
const LocalUnpooledHeapByteBuf = UnpooledHeapByteBuf;

// The class names Netty 4.1.48 prints on JDK 17 (sun.misc.Unsafe available) for each kind.
const ALLOCATED_HEAP = 'UnpooledByteBufAllocator$InstrumentedUnpooledUnsafeHeapByteBuf';
const ALLOCATED_DIRECT = 'UnpooledByteBufAllocator$InstrumentedUnpooledUnsafeDirectByteBuf';
const WRAPPED_ARRAY = 'UnpooledHeapByteBuf';
const WRAPPED_DIRECT = 'UnpooledUnsafeDirectByteBuf';
const WRAPPED_READ_ONLY_HEAP = 'ReadOnlyByteBufferBuf';
const WRAPPED_READ_ONLY_DIRECT = 'ReadOnlyUnsafeDirectByteBuf';

/** Netty's default initial capacity for `buffer()` without arguments. */
export const DEFAULT_INITIAL_CAPACITY = 256;

/** Netty's `ByteBufAllocator`. */
export interface ByteBufAllocator {
  /** A heap or direct buffer, as the allocator prefers. */
  buffer(initialCapacity?: number, maxCapacity?: number): ByteBuf;
  heapBuffer(initialCapacity?: number, maxCapacity?: number): ByteBuf;
  directBuffer(initialCapacity?: number, maxCapacity?: number): ByteBuf;
  /** A composite, heap or direct as the allocator prefers. */
  compositeBuffer(maxNumComponents?: number): CompositeByteBuf;
  compositeHeapBuffer(maxNumComponents?: number): CompositeByteBuf;
  compositeDirectBuffer(maxNumComponents?: number): CompositeByteBuf;
  /** Always false here: there is no pool. */
  isDirectBufferPooled(): boolean;
}

/** Netty's `validate`, with its text (the closing parenthesis is missing in Netty 4.1.48 too). */
function checkCapacities(initialCapacity: number, maxCapacity: number): void {
  LocalCheckNonNegativeInt(initialCapacity, 'initialCapacity');
  if (typeof maxCapacity !== 'number' || !Number.isInteger(maxCapacity)) LocalCheckNonNegativeInt(maxCapacity, 'maxCapacity');
  if (initialCapacity > maxCapacity) {
    throw new IllegalArgumentException(`initialCapacity: ${initialCapacity} (expected: not greater than maxCapacity(${maxCapacity})`);
  }
}

/**
 * Netty's `UnpooledByteBufAllocator`: every call allocates fresh memory, except `(0, 0)`, which
 * is this allocator's shared empty buffer (`EMPTY_BUFFER` for `DEFAULT`).
 */
export class UnpooledByteBufAllocator implements ByteBufAllocator {
  /**
   * The shared instance; `Unpooled` and `ByteBufAllocator.DEFAULT` use it. It prefers direct
   * memory, as Netty's does on JDK 17 with `sun.misc.Unsafe`: `buffer()` (and so
   * `readBytes(length)`) gives a direct buffer.
   */
  static readonly DEFAULT = new UnpooledByteBufAllocator(true);

  /** This allocator's empty buffer: what `buffer(0, 0)` and friends return. */
  readonly emptyBuffer: ByteBuf;

  constructor(private readonly preferDirect = false) {
    this.emptyBuffer = new EmptyByteBuf(this);
  }

  buffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = LOCAL_MAX_CAPACITY): ByteBuf {
    return this.newBuffer(this.preferDirect, initialCapacity, maxCapacity, UnpooledByteBufAllocator.prototype.buffer);
  }

  heapBuffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = LOCAL_MAX_CAPACITY): ByteBuf {
    return this.newBuffer(false, initialCapacity, maxCapacity, UnpooledByteBufAllocator.prototype.heapBuffer);
  }

  directBuffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = LOCAL_MAX_CAPACITY): ByteBuf {
    return this.newBuffer(true, initialCapacity, maxCapacity, UnpooledByteBufAllocator.prototype.directBuffer);
  }

  compositeBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return this.newComposite(this.preferDirect, maxNumComponents, UnpooledByteBufAllocator.prototype.compositeBuffer);
  }

  compositeHeapBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return this.newComposite(false, maxNumComponents, UnpooledByteBufAllocator.prototype.compositeHeapBuffer);
  }

  compositeDirectBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return this.newComposite(true, maxNumComponents, UnpooledByteBufAllocator.prototype.compositeDirectBuffer);
  }

  // The factories below hand each buffer to the leak detector (Netty's `toLeakAwareBuffer`), with
  // `cut`: the public function the caller called (an allocator method, or `Unpooled`'s), so the
  // creation stack starts at the caller's frame (see `StackCut`).

  /** @internal A new heap or direct buffer; its creation stack is cut at `cut`. */
  newBuffer(
    direct: boolean,
    initialCapacity = DEFAULT_INITIAL_CAPACITY,
    maxCapacity = LOCAL_MAX_CAPACITY,
    cut: StackCut = UnpooledByteBufAllocator.prototype.newBuffer,
  ): ByteBuf {
    if (initialCapacity === 0 && maxCapacity === 0) return this.emptyBuffer;
    checkCapacities(initialCapacity, maxCapacity);
    const options: UnpooledByteBufOptions = { ownsMemory: true, className: direct ? ALLOCATED_DIRECT : ALLOCATED_HEAP };
    const memory = new Uint8Array(initialCapacity);
    const buf = direct ? new LocalUnpooledDirectByteBuf(this, memory, maxCapacity, options) : new LocalUnpooledHeapByteBuf(this, memory, maxCapacity, options);
    buf.leak = LocalNewTracker(direct ? 'direct' : 'heap', initialCapacity, buf, cut);
    return buf;
  }

  /** @internal A new, empty composite; its creation stack is cut at `cut`. */
  newComposite(
    direct: boolean,
    maxNumComponents = DEFAULT_MAX_COMPONENTS,
    cut: StackCut = UnpooledByteBufAllocator.prototype.newComposite,
  ): CompositeByteBuf {
    const buf = new CompositeByteBuf(this, direct, maxNumComponents);
    buf.leak = LocalNewTracker('composite', 0, buf, cut);
    return buf;
  }

  isDirectBufferPooled(): boolean {
    return false;
  }

  /** @internal A wrapper sharing the remaining bytes of `src` (no copy); used by `Unpooled.wrappedBuffer`. */
  wrapByteBuffer(src: ByteBuffer, cut: StackCut = UnpooledByteBufAllocator.prototype.wrapByteBuffer): ByteBuf {
    const view = src.remainingView();
    const direct = src.isDirect();
    const readOnly = src.isReadOnly();
    const className = readOnly ? (direct ? WRAPPED_READ_ONLY_DIRECT : WRAPPED_READ_ONLY_HEAP) : direct ? WRAPPED_DIRECT : WRAPPED_ARRAY;
    const options: UnpooledByteBufOptions = {
      ownsMemory: false,
      readOnly,
      wrapped: src,
      writerIndex: view.length,
      className,
      accessCheck: readOnly ? 'nio' : direct ? 'checked' : 'array',
    };
    const buf = direct ? new LocalUnpooledDirectByteBuf(this, view, view.length, options) : new LocalUnpooledHeapByteBuf(this, view, view.length, options);
    buf.leak = LocalNewTracker(direct ? 'direct-wrapper' : 'heap-wrapper', view.length, buf, cut);
    return buf;
  }

  /** @internal A heap wrapper over the caller's array (no copy). */
  wrapArray(array: Uint8Array, cut: StackCut = UnpooledByteBufAllocator.prototype.wrapArray): ByteBuf {
    const options: UnpooledByteBufOptions = { ownsMemory: false, wrapped: array, writerIndex: array.length, className: WRAPPED_ARRAY, accessCheck: 'array' };
    const buf = new LocalUnpooledHeapByteBuf(this, array, array.length, options);
    buf.leak = LocalNewTracker('heap-wrapper', array.length, buf, cut);
    return buf;
  }

  /**
   * @internal A heap buffer owning `bytes` (a copy made by the caller), as Netty's
   * `copiedBuffer(byte[])` makes it: `wrappedBuffer(copy)`, so `maxCapacity` is its length.
   */
  ownArray(bytes: Uint8Array, cut: StackCut = UnpooledByteBufAllocator.prototype.ownArray): ByteBuf {
    const options: UnpooledByteBufOptions = { ownsMemory: true, writerIndex: bytes.length, className: WRAPPED_ARRAY, accessCheck: 'array' };
    const buf = new LocalUnpooledHeapByteBuf(this, bytes, bytes.length, options);
    buf.leak = LocalNewTracker('heap', bytes.length, buf, cut);
    return buf;
  }
}

/** `ByteBufAllocator.DEFAULT`, as in Netty (here always the unpooled allocator). */
export const ByteBufAllocator: { readonly DEFAULT: ByteBufAllocator } = {
  DEFAULT: UnpooledByteBufAllocator.DEFAULT,
};
