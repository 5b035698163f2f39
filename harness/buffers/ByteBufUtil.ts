/** Helpers in the spirit of Netty's `ByteBufUtil`. @packageDocumentation */
import type { ByteBuf } from './ByteBuf';

export const ByteBufUtil = {
  /** A copy of `[start, start + length)` (default: the readable bytes), indices unchanged. */
  getBytes(buf: ByteBuf, start = buf.readerIndex(), length = buf.writerIndex() - start): Uint8Array {
    const out = new Uint8Array(length);
    buf.getBytes(start, out, 0, length);
    return out;
  },
  /** Lower-case hex of the readable bytes, for messages and tests. */
  hexDump(buf: ByteBuf): string {
    return Buffer.from(ByteBufUtil.getBytes(buf)).toString('hex');
  },
};
