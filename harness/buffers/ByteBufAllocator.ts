/**
 * Allocators (Netty's `ByteBufAllocator` / `UnpooledByteBufAllocator`). Every buffer an allocator
 * makes passes through the leak detector's hook, which decides (by level and ledger setting)
 * whether to track it: code under test calls the allocator as usual and is watched without knowing.
 * @packageDocumentation
 */
import { IllegalArgumentException } from '../errors';
import { checkNonNegativeInt } from '../internal/checks';
import { newTracker } from '../tracking/LeakDetection';
import type { BufferKind } from '../tracking/LeakTracker';
import type { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
import { MAX_CAPACITY, type ByteBuf } from './ByteBuf';
import { ByteBuffer } from './ByteBuffer';
import { CompositeByteBuf, DEFAULT_MAX_COMPONENTS } from './CompositeByteBuf';
import { UnpooledDirectByteBuf, UnpooledHeapByteBuf } from './UnpooledByteBuf';

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

/** @internal Hands a new buffer to the leak detector (Netty's `toLeakAwareBuffer`). */
export function toLeakAware<T extends AbstractReferenceCountedByteBuf>(buf: T, kind: BufferKind): T {
  buf.leak = newTracker(kind, buf.capacity(), buf);
  return buf;
}

function checkCapacities(initialCapacity: number, maxCapacity: number): void {
  checkNonNegativeInt(initialCapacity, 'initialCapacity');
  checkNonNegativeInt(maxCapacity, 'maxCapacity');
  if (initialCapacity > maxCapacity) {
    throw new IllegalArgumentException(`initialCapacity: ${initialCapacity} (expected: not greater than maxCapacity(${maxCapacity}))`);
  }
}

/** Netty's `UnpooledByteBufAllocator`: every call allocates fresh memory. */
export class UnpooledByteBufAllocator implements ByteBufAllocator {
  /** The shared instance; `Unpooled` and `ByteBufAllocator.DEFAULT` use it. */
  static readonly DEFAULT = new UnpooledByteBufAllocator(false);

  constructor(private readonly preferDirect = false) {}

  buffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = MAX_CAPACITY): ByteBuf {
    return this.preferDirect ? this.directBuffer(initialCapacity, maxCapacity) : this.heapBuffer(initialCapacity, maxCapacity);
  }

  heapBuffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = MAX_CAPACITY): ByteBuf {
    checkCapacities(initialCapacity, maxCapacity);
    return toLeakAware(new UnpooledHeapByteBuf(this, new Uint8Array(initialCapacity), maxCapacity, { ownsMemory: true }), 'heap');
  }

  directBuffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = MAX_CAPACITY): ByteBuf {
    checkCapacities(initialCapacity, maxCapacity);
    return toLeakAware(new UnpooledDirectByteBuf(this, new Uint8Array(initialCapacity), maxCapacity, { ownsMemory: true }), 'direct');
  }

  compositeBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return this.preferDirect ? this.compositeDirectBuffer(maxNumComponents) : this.compositeHeapBuffer(maxNumComponents);
  }

  compositeHeapBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return toLeakAware(new CompositeByteBuf(this, false, maxNumComponents), 'composite');
  }

  compositeDirectBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return toLeakAware(new CompositeByteBuf(this, true, maxNumComponents), 'composite');
  }

  isDirectBufferPooled(): boolean {
    return false;
  }

  /** @internal A wrapper sharing the remaining bytes of `src` (no copy); used by `Unpooled.wrappedBuffer`. */
  wrapByteBuffer(src: ByteBuffer): ByteBuf {
    const view = src.remainingView();
    const options = { ownsMemory: false, readOnly: src.isReadOnly(), wrapped: src, writerIndex: view.length };
    return src.isDirect()
      ? toLeakAware(new UnpooledDirectByteBuf(this, view, view.length, options), 'direct-wrapper')
      : toLeakAware(new UnpooledHeapByteBuf(this, view, view.length, options), 'heap-wrapper');
  }

  /** @internal A heap wrapper over the caller's array (no copy). */
  wrapArray(array: Uint8Array): ByteBuf {
    const options = { ownsMemory: false, wrapped: array, writerIndex: array.length };
    return toLeakAware(new UnpooledHeapByteBuf(this, array, array.length, options), 'heap-wrapper');
  }
}

/** `ByteBufAllocator.DEFAULT`, as in Netty (here always the unpooled allocator). */
export const ByteBufAllocator: { readonly DEFAULT: ByteBufAllocator } = {
  DEFAULT: UnpooledByteBufAllocator.DEFAULT,
};
