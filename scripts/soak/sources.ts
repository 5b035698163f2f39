/**
 * The buffers a soak write hands to a channel, made from a write operation: every form a caller
 * can write, each filled with bytes that say which write they came from.
 * @packageDocumentation
 */
import { ByteBuffer, Unpooled, type ByteBuf } from '../../harness';

/** Every source form: `ByteBuf` heap, direct, composite or wrapper of an array; `ByteBuffer` heap or direct. */
export const SOURCE_KINDS = [
  'ByteBuf:heap',
  'ByteBuf:direct',
  'ByteBuf:composite',
  'ByteBuf:wrapped',
  'ByteBuffer:heap',
  'ByteBuffer:direct',
] as const;

/** One source form. */
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** True for the `ByteBuffer` forms (the channel wraps those; the caller releases nothing). */
export function isByteBufferKind(kind: SourceKind): boolean {
  return kind.startsWith('ByteBuffer:');
}

/**
 * True when the source made for (`kind`, `size`) is the shared `EMPTY_BUFFER`, which is never
 * tracked and whose release is a no-op: only an empty wrapper (Netty's `wrappedBuffer` rule).
 */
export function isSharedEmpty(kind: SourceKind, size: number): boolean {
  return kind === 'ByteBuf:wrapped' && size === 0;
}

/** `n` bytes that differ from write to write (`salt`) and along the write, so a mix-up shows. */
export function writeBytes(n: number, salt: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = Math.imul(salt + 1, 0x9e3779b1) >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6b) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/**
 * A new source of `kind` holding `data` (a copy: the channel may consume it). A `ByteBuf` is the
 * caller's (refCnt 1, released by the caller once acknowledged); a composite splits `data` in two
 * parts, either of which may be empty.
 */
export function makeSource(kind: SourceKind, data: Uint8Array): ByteBuffer | ByteBuf {
  switch (kind) {
    case 'ByteBuffer:heap':
      return ByteBuffer.wrap(data.slice());
    case 'ByteBuffer:direct':
      return ByteBuffer.allocateDirect(data.length).put(data).flip();
    case 'ByteBuf:heap':
      return Unpooled.buffer(data.length).writeBytes(data);
    case 'ByteBuf:direct':
      return Unpooled.directBuffer(data.length).writeBytes(data);
    case 'ByteBuf:wrapped':
      return Unpooled.wrappedBuffer(data.slice());
    case 'ByteBuf:composite': {
      const at = data.length >> 2;
      return Unpooled.compositeBuffer().addComponents(
        true,
        Unpooled.buffer(at).writeBytes(data.subarray(0, at)),
        Unpooled.buffer(data.length - at).writeBytes(data.subarray(at)),
      );
    }
  }
}
