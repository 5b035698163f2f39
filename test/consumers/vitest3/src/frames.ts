/**
 * Packets with a trailer: the payload, then one checksum byte (the sum of the payload's bytes,
 * modulo 256). `verifiedPayload` takes the payload as a retained slice of the packet's buffer and
 * hands it to the caller once the checksum matches.
 *
 * The planted leak: on a checksum mismatch it returns null without releasing the slice, so the
 * packet's buffer stays at refCnt 1. The sanitizer must name the line that made it.
 */
import { Unpooled, type ByteBuf } from 'bytebuf-leak-harness';

/** The payload of `packet` as a retained slice (the caller releases it), or null when the checksum is wrong. */
export function verifiedPayload(packet: Uint8Array): ByteBuf | null {
  const buf = Unpooled.copiedBuffer(packet);
  const payloadLength = buf.readableBytes() - 1;
  const payload = buf.retainedSlice(0, payloadLength);
  let sum = 0;
  for (let i = 0; i < payloadLength; i++) sum = (sum + buf.getByte(i)) & 0xff;
  const trailer = buf.getByte(payloadLength) & 0xff;
  buf.release();
  return sum === trailer ? payload : null;
}
