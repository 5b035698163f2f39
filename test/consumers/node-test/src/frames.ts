/**
 * Frames with a header and a body: a 4-byte header (version, flags, body length as 2 bytes), then
 * the body. `bodyIfSupported` hands out the body as a retained slice of the frame's buffer when
 * the frame's version is one this reader knows.
 *
 * The planted leak: for an unknown version it returns undefined without releasing the slice, so
 * the frame's buffer stays at refCnt 1. The sanitizer must name the line that made it.
 */
import { Unpooled, type ByteBuf } from 'bytebuf-leak-harness';

/** The one frame version this reader knows. */
export const VERSION = 2;

const HEADER = 4;

/** The body of `frame` as a retained slice (the caller releases it), or undefined for an unknown version. */
export function bodyIfSupported(frame: Uint8Array): ByteBuf | undefined {
  const buf = Unpooled.buffer(frame.length).writeBytes(frame);
  const bodyLength = ((buf.getByte(2) & 0xff) << 8) | (buf.getByte(3) & 0xff);
  const body = buf.retainedSlice(HEADER, bodyLength);
  const version = buf.getByte(0);
  buf.release();
  if (version !== VERSION) return undefined;
  return body;
}
