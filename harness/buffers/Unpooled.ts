/**
 * Netty's `Unpooled` factories, named by what they do to memory:
 * - `buffer()` / `directBuffer()` **allocate** new memory (the caller owns the buffer);
 * - `wrappedBuffer()` **shares** the caller's memory: no copy; the wrapper is reference counted
 *   and must be released by whoever made it, even though releasing it never frees the caller's
 *   memory (this project's whole story is an unreleased `wrappedBuffer`);
 * - `copiedBuffer()` **copies** into new memory.
 *
 * All of them go through the default allocator, so the leak detector sees every buffer,
 * wrappers included (Netty's own detector does not track wrappers).
 * @packageDocumentation
 */
import { IllegalArgumentException, IndexOutOfBoundsException } from '../errors';
import { checkNonNegativeInt } from '../internal/checks';
import { ByteBuf } from './ByteBuf';
import { UnpooledByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer, describeValue } from './ByteBuffer';
import { ByteBufUtil } from './ByteBufUtil';
import type { CompositeByteBuf } from './CompositeByteBuf';
import type { StackCut } from '../tracking/stack';

const ALLOC = UnpooledByteBufAllocator.DEFAULT;

/*
 * Module-level copies of the imported classes used on every call. In a CommonJS build (tsx's
 * esbuild, jest's swc) each use of an imported name calls a getter on the exporting module's
 * exports (esbuild's with a megamorphic keyed load); a copy is a plain variable. The classes
 * never change, and their modules are loaded before this one's body runs.
 */
const LocalByteBuf = ByteBuf;
const LocalByteBuffer = ByteBuffer;

/** Anything `wrappedBuffer` and `copiedBuffer` accept. */
export type BufferSource = ByteBuffer | Uint8Array | ByteBuf;

/**
 * The shared empty buffer (the default allocator's): refCnt always 1, release always false,
 * never tracked. Every zero-length result Netty gives as `EMPTY_BUFFER` is this one.
 */
export const EMPTY_BUFFER: ByteBuf = ALLOC.emptyBuffer;

function checkSource(src: unknown, name: string): asserts src is BufferSource {
  if (!(src instanceof LocalByteBuffer) && !(src instanceof Uint8Array) && !(src instanceof LocalByteBuf)) {
    throw new IllegalArgumentException(`${name}: expected a ByteBuffer, Uint8Array or ByteBuf, got ${describeValue(src)}`);
  }
}

/** True when `src` has bytes to read (no liveness check, as Netty's `isReadable()`). */
function hasBytes(src: BufferSource): boolean {
  if (src instanceof LocalByteBuf) return src.isReadable();
  if (src instanceof LocalByteBuffer) return src.hasRemaining();
  return src.length > 0;
}

/** One source as a buffer (or `EMPTY_BUFFER`), following Netty's single-argument rules. */
function wrapOne(src: BufferSource, cut: StackCut): ByteBuf {
  if (src instanceof LocalByteBuf) {
    // Takes over the caller's reference; an unreadable buffer is released at once.
    if (src.isReadable()) return src.slice();
    src.release();
    return EMPTY_BUFFER;
  }
  if (src instanceof LocalByteBuffer) {
    if (!src.hasRemaining()) return EMPTY_BUFFER;
    // Netty wraps a heap ByteBuffer's array range: the whole-array wrapper, or a slice of it.
    if (src.hasArray()) return wrapArrayRange(src.array(), src.arrayOffset() + src.position(), src.remaining(), cut);
    return ALLOC.wrapByteBuffer(src, cut);
  }
  return src.length > 0 ? ALLOC.wrapArray(src, cut) : EMPTY_BUFFER;
}

/**
 * Netty's `wrappedBuffer(byte[], offset, length)`: `EMPTY_BUFFER` for length 0, the whole-array
 * wrapper when the range is the whole array, else `wrappedBuffer(array).slice(offset, length)`
 * (an empty array's is `EMPTY_BUFFER.slice`). The range is checked before the wrapper is made,
 * in the slice's order (a negative length, then the range, whose text names the wrapper).
 */
function wrapArrayRange(array: Uint8Array, offset: number, length: number, cut: StackCut = wrappedBuffer): ByteBuf {
  if (length === 0) return EMPTY_BUFFER;
  if (offset === 0 && length === array.length) return ALLOC.wrapArray(array, cut);
  const n = array.length;
  if (n === 0) return EMPTY_BUFFER.slice(offset, length);
  checkNonNegativeInt(length, 'maxCapacity');
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || offset + length > n) {
    throw new IndexOutOfBoundsException(`UnpooledHeapByteBuf(ridx: 0, widx: ${n}, cap: ${n}/${n}).slice(${offset}, ${length})`);
  }
  const whole = ALLOC.wrapArray(array, cut);
  return whole.slice(offset, length);
}

// The factories are named functions, each passing itself as the creation stack's cut (see
// `StackCut`): the function object captured here is the one on the stack, whatever happens to
// the `Unpooled` object's properties later (a spy, a replacement).

/** A new heap buffer (Netty's default initial capacity is 256, growable). */
function buffer(initialCapacity?: number, maxCapacity?: number): ByteBuf {
  return ALLOC.newBuffer(false, initialCapacity, maxCapacity, buffer);
}

/** A new direct buffer. */
function directBuffer(initialCapacity?: number, maxCapacity?: number): ByteBuf {
  return ALLOC.newBuffer(true, initialCapacity, maxCapacity, directBuffer);
}

/**
 * A buffer sharing the caller's memory, no copy:
 * - a `ByteBuffer` with no remaining bytes, or an empty array → `EMPTY_BUFFER`;
 * - a heap `ByteBuffer` or a `Uint8Array` → a heap wrapper; a direct `ByteBuffer` → a direct
 *   wrapper whose release **never frees the caller's memory**;
 * - `(array, offset, length)` → a wrapper of the whole array, sliced to the range;
 * - a `ByteBuf` → takes over that reference (an unreadable one is released → `EMPTY_BUFFER`);
 * - several sources → as Netty's: unreadable sources before the first readable one are dropped
 *   (`ByteBuf`s released); from there a composite whose `maxNumComponents` is the number of
 *   sources takes every `ByteBuf` (empty ones too, released with the composite) and every
 *   non-empty `ByteBuffer` or array. So the composite's next `addComponent`, or its growth,
 *   consolidates. A freed `ByteBuf` among them fails the call: those before it stay in the
 *   composite (which is lost), it and those after it are released.
 * The wrapper starts at refCnt 1 and is tracked as a wrapper; whoever made it releases it.
 */
function wrappedBuffer(array: Uint8Array, offset: number, length: number): ByteBuf;
function wrappedBuffer(...sources: BufferSource[]): ByteBuf;
function wrappedBuffer(): ByteBuf {
  // `arguments`, not a rest parameter: read only by length and index, it is never made, so the
  // one-source call (the channel's, once per chunk) allocates no array and no closure.
  const count = arguments.length;
  if (count === 1) {
    const only: unknown = arguments[0];
    checkSource(only, 'source');
    return wrapOne(only, wrappedBuffer);
  }
  if (count === 3 && arguments[0] instanceof Uint8Array && typeof arguments[1] === 'number' && typeof arguments[2] === 'number') {
    return wrapArrayRange(arguments[0], arguments[1], arguments[2]);
  }
  const sources: unknown[] = [];
  for (let i = 0; i < count; i++) sources.push(arguments[i]);
  return wrapSources(sources);
}

/** `wrappedBuffer` of zero or several sources (see there); one source never comes here. */
function wrapSources(sources: unknown[]): ByteBuf {
  sources.forEach((s, i) => checkSource(s, `sources[${i}]`));
  const checked = sources as BufferSource[];
  if (checked.length === 0) return EMPTY_BUFFER;
  const first = checked.findIndex(hasBytes);
  for (const s of first === -1 ? checked : checked.slice(0, first)) {
    if (s instanceof LocalByteBuf) s.release();
  }
  if (first === -1) return EMPTY_BUFFER;
  const parts = checked.slice(first).flatMap((s): ByteBuf[] => {
    if (s instanceof LocalByteBuf) return [s];
    return hasBytes(s) ? [wrapOne(s, wrappedBuffer)] : [];
  });
  const composite = ALLOC.newComposite(false, checked.length, wrappedBuffer);
  return composite.initComponents(parts, wrappedBuffer);
}

/**
 * A new heap buffer holding a copy of the sources' readable/remaining bytes (sources unchanged),
 * or `EMPTY_BUFFER` when there is nothing to copy. As Netty's: one `ByteBuf` is copied into
 * `buffer(readable)` (allocated before the copy, so a freed source leaves it unreleased);
 * anything else into a new array buffer whose `maxCapacity` is its length.
 */
function copiedBuffer(...sources: BufferSource[]): ByteBuf {
  sources.forEach((s, i) => checkSource(s, sources.length === 1 ? 'source' : `sources[${i}]`));
  const only = sources.length === 1 ? sources[0] : undefined;
  if (only instanceof LocalByteBuf) {
    const readable = only.readableBytes();
    if (readable === 0) return EMPTY_BUFFER;
    const copy = ALLOC.newBuffer(false, readable, undefined, copiedBuffer);
    return copy.writeBytesFrom(only, only.readerIndex(), readable);
  }
  // Netty sums the readable bytes first (no liveness check): nothing to copy is EMPTY_BUFFER even
  // when a source is freed; otherwise every source is read, a freed one failing the call.
  const total = sources.reduce((n, s) => n + (s instanceof LocalByteBuf ? s.readableBytes() : s instanceof LocalByteBuffer ? s.remaining() : s.length), 0);
  if (total === 0) return EMPTY_BUFFER;
  const chunks = sources.map((s) => {
    if (s instanceof LocalByteBuf) return ByteBufUtil.getBytes(s);
    if (s instanceof LocalByteBuffer) return s.toUint8Array();
    return s.slice();
  });
  const merged = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    merged.set(c, at);
    at += c.length;
  }
  return ALLOC.ownArray(merged, copiedBuffer);
}

/** A new, empty composite that consolidates past `maxNumComponents` (default 16). */
function compositeBuffer(maxNumComponents?: number): CompositeByteBuf {
  return ALLOC.newComposite(false, maxNumComponents, compositeBuffer);
}

export const Unpooled = {
  /** The shared empty buffer. */
  EMPTY_BUFFER,
  buffer,
  directBuffer,
  wrappedBuffer,
  copiedBuffer,
  compositeBuffer,
};
