/** Helpers in the spirit of Netty's `ByteBufUtil`. @packageDocumentation */
import { IllegalArgumentException } from '../errors';
import { ByteBuf } from './ByteBuf';
import { describeValue } from './ByteBuffer';

function checkBuf(buf: unknown): asserts buf is ByteBuf {
  if (!(buf instanceof ByteBuf)) throw new IllegalArgumentException(`buf: expected a ByteBuf, got ${describeValue(buf)}`);
}

export const ByteBufUtil = {
  /** A copy of `[start, start + length)` (default: the readable bytes), indices unchanged. */
  getBytes(buf: ByteBuf, start?: number, length?: number): Uint8Array {
    checkBuf(buf);
    const from = start ?? buf.readerIndex();
    const len = length ?? buf.writerIndex() - from;
    const out = new Uint8Array(Math.max(len, 0)); // a negative length fails the range check below
    buf.getBytes(from, out, 0, len);
    return out;
  },
  /** Lower-case hex of the readable bytes, for messages and tests. */
  hexDump(buf: ByteBuf): string {
    return Buffer.from(ByteBufUtil.getBytes(buf)).toString('hex');
  },
};
