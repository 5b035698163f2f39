/**
 * Length-prefixed frames: a 2-byte big-endian payload length, then the payload. `payloadOf` gives
 * the payload as a retained slice of the frame's buffer; `checksum` sums a frame's payload bytes.
 *
 * The planted leak: `checksum` returns early for an empty payload without releasing the slice, so
 * the frame's buffer stays at refCnt 1. The leak report must name the line that made it.
 */
import { Unpooled, type ByteBuf } from 'bytebuf-leak-harness';

/** Bytes of the length prefix. */
export const HEADER_BYTES = 2;

/** The payload of the frame in `bytes`, as a retained slice: the caller releases it. */
export function payloadOf(bytes: Uint8Array): ByteBuf {
  const frame = Unpooled.buffer(bytes.length);
  frame.writeBytes(bytes);
  const length = ((frame.getByte(0) & 0xff) << 8) | (frame.getByte(1) & 0xff);
  const payload = frame.retainedSlice(HEADER_BYTES, length);
  frame.release();
  return payload;
}

/** The sum of the payload's bytes, modulo 256. */
export function checksum(bytes: Uint8Array): number {
  const payload = payloadOf(bytes);
  if (payload.readableBytes() === 0) return 0;
  let sum = 0;
  for (let i = 0; i < payload.readableBytes(); i++) sum = (sum + payload.getByte(i)) & 0xff;
  payload.release();
  return sum;
}
