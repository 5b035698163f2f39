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

/** One source as a buffer (or `EMPTY_BUFFER`), following Netty's single-argument rules. */
function wrapOne(src: BufferSource): ByteBuf {
  if (src instanceof ByteBuf) {
    // Takes over the caller's reference; an unreadable buffer is released at once.
    if (src.isReadable()) return src.slice();
    src.release();
    return EMPTY_BUFFER;
  }
  if (src instanceof ByteBuffer) return src.hasRemaining() ? ALLOC.wrapByteBuffer(src) : EMPTY_BUFFER;
  return src.length > 0 ? ALLOC.wrapArray(src) : EMPTY_BUFFER;
}

export const Unpooled = {
  /** The shared empty buffer. */
  EMPTY_BUFFER,

  /** A new heap buffer (Netty's default initial capacity is 256, growable). */
  buffer(initialCapacity?: number, maxCapacity?: number): ByteBuf {
    return ALLOC.heapBuffer(initialCapacity, maxCapacity);
  },

  /** A new direct buffer. */
  directBuffer(initialCapacity?: number, maxCapacity?: number): ByteBuf {
    return ALLOC.directBuffer(initialCapacity, maxCapacity);
  },

  /**
   * A buffer sharing the caller's memory, no copy:
   * - a `ByteBuffer` with no remaining bytes, or an empty array → `EMPTY_BUFFER`;
   * - a heap `ByteBuffer` or a `Uint8Array` → a heap wrapper; a direct `ByteBuffer` → a direct
   *   wrapper whose release **never frees the caller's memory**;
   * - a `ByteBuf` → takes over that reference (an unreadable one is released → `EMPTY_BUFFER`);
   * - several sources → a composite of the readable ones (unreadable `ByteBuf`s released at once).
   * The wrapper starts at refCnt 1 and is tracked as a wrapper; whoever made it releases it.
   */
  wrappedBuffer(...sources: BufferSource[]): ByteBuf {
    sources.forEach((s, i) => checkSource(s, sources.length === 1 ? 'source' : `sources[${i}]`));
    if (sources.length === 0) return EMPTY_BUFFER;
    if (sources.length === 1) return wrapOne(sources[0]!);
    const parts: ByteBuf[] = [];
    for (const s of sources) {
      const part = wrapOne(s);
      if (part !== EMPTY_BUFFER) parts.push(part);
    }
    if (parts.length === 0) return EMPTY_BUFFER;
    const composite = ALLOC.compositeBuffer(Math.max(sources.length, DEFAULT_MAX_COMPONENTS));
    return composite.addComponents(true, ...parts);
  },

  /** A new heap buffer holding a copy of the sources' readable/remaining bytes (sources unchanged). */
  copiedBuffer(...sources: BufferSource[]): ByteBuf {
    sources.forEach((s, i) => checkSource(s, sources.length === 1 ? 'source' : `sources[${i}]`));
    const chunks = sources.map((s) => {
      if (s instanceof ByteBuf) return s.nioBuffer().toUint8Array();
      if (s instanceof ByteBuffer) return s.toUint8Array();
      return s.slice();
    });
    const total = chunks.reduce((n, c) => n + c.length, 0);
    if (total === 0) return EMPTY_BUFFER;
    const out = ALLOC.heapBuffer(total, total);
    for (const c of chunks) out.writeBytes(c);
    return out;
  },

  /** A new, empty composite that consolidates past `maxNumComponents` (default 16). */
  compositeBuffer(maxNumComponents?: number): CompositeByteBuf {
    return ALLOC.compositeBuffer(maxNumComponents);
  },
};
