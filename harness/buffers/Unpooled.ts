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
import { IllegalArgumentException } from '../errors';
import { ByteBuf } from './ByteBuf';
import { UnpooledByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer, describeValue } from './ByteBuffer';
import { CompositeByteBuf, DEFAULT_MAX_COMPONENTS } from './CompositeByteBuf';
import { EmptyByteBuf } from './EmptyByteBuf';
import type { StackCut } from '../tracking/stack';

const ALLOC = UnpooledByteBufAllocator.DEFAULT;

/** Anything `wrappedBuffer` and `copiedBuffer` accept. */
export type BufferSource = ByteBuffer | Uint8Array | ByteBuf;

/** The shared empty buffer: refCnt always 1, release always false, never tracked. */
export const EMPTY_BUFFER: ByteBuf = new EmptyByteBuf(ALLOC);

function checkSource(src: unknown, name: string): asserts src is BufferSource {
  if (!(src instanceof ByteBuffer) && !(src instanceof Uint8Array) && !(src instanceof ByteBuf)) {
    throw new IllegalArgumentException(`${name}: expected a ByteBuffer, Uint8Array or ByteBuf, got ${describeValue(src)}`);
  }
}

/** Releases a `ByteBuf` source whose ownership we hold, ignoring a second failure. */
function releaseQuietly(src: BufferSource): void {
  if (!(src instanceof ByteBuf) || src.refCnt() === 0) return;
  try {
    src.release();
  } catch {
    // Already reporting the first failure.
  }
}

/** One source as a buffer (or `EMPTY_BUFFER`), following Netty's single-argument rules. */
function wrapOne(src: BufferSource, cut: StackCut): ByteBuf {
  if (src instanceof ByteBuf) {
    // Takes over the caller's reference; an unreadable buffer is released at once.
    if (src.isReadable()) return src.slice();
    src.release();
    return EMPTY_BUFFER;
  }
  if (src instanceof ByteBuffer) return src.hasRemaining() ? ALLOC.wrapByteBuffer(src, cut) : EMPTY_BUFFER;
  return src.length > 0 ? ALLOC.wrapArray(src, cut) : EMPTY_BUFFER;
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
 * - a `ByteBuf` → takes over that reference (an unreadable one is released → `EMPTY_BUFFER`);
 * - several sources → a composite of the readable ones (unreadable `ByteBuf`s released at once).
 * The wrapper starts at refCnt 1 and is tracked as a wrapper; whoever made it releases it.
 */
function wrappedBuffer(...sources: BufferSource[]): ByteBuf {
  sources.forEach((s, i) => checkSource(s, sources.length === 1 ? 'source' : `sources[${i}]`));
  if (sources.length === 0) return EMPTY_BUFFER;
  if (sources.length === 1) return wrapOne(sources[0]!, wrappedBuffer);
  const parts: ByteBuf[] = [];
  let next = 0;
  try {
    for (; next < sources.length; next++) {
      const part = wrapOne(sources[next]!, wrappedBuffer);
      if (part !== EMPTY_BUFFER) parts.push(part);
    }
  } catch (error) {
    // E.g. a freed ByteBuf among the sources. Ownership of every source passed to us, as in
    // Netty: release the wrappers made so far and the ByteBufs not reached, so nothing leaks.
    for (const part of parts) part.release();
    for (const s of sources.slice(next + 1)) releaseQuietly(s);
    throw error;
  }
  if (parts.length === 0) return EMPTY_BUFFER;
  const composite = ALLOC.newComposite(false, Math.max(sources.length, DEFAULT_MAX_COMPONENTS), wrappedBuffer);
  return composite.addComponents(true, ...parts);
}

/** A new heap buffer holding a copy of the sources' readable/remaining bytes (sources unchanged). */
function copiedBuffer(...sources: BufferSource[]): ByteBuf {
  sources.forEach((s, i) => checkSource(s, sources.length === 1 ? 'source' : `sources[${i}]`));
  const chunks = sources.map((s) => {
    if (s instanceof ByteBuf) return s.nioBuffer().toUint8Array();
    if (s instanceof ByteBuffer) return s.toUint8Array();
    return s.slice();
  });
  const total = chunks.reduce((n, c) => n + c.length, 0);
  if (total === 0) return EMPTY_BUFFER;
  const out = ALLOC.newBuffer(false, total, total, copiedBuffer);
  for (const c of chunks) out.writeBytes(c);
  return out;
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
