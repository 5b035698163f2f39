/**
 * Type-length-value entries: a type byte, a length byte, then the value. `firstValue` reads the
 * value of the first entry through a retained slice of the entry's buffer.
 *
 * The planted leak: for a padding entry (type PADDING) it returns before releasing the slice, so
 * the entry's buffer stays at refCnt 1. The sanitizer must name the line that made it.
 */
import { Unpooled } from 'bytebuf-leak-harness';

/** The type of a padding entry, whose value readers skip. */
export const PADDING = 0;

/** The value bytes of the first entry in `bytes`, or null for padding. */
export function firstValue(bytes: Uint8Array): number[] | null {
  const entry = Unpooled.copiedBuffer(bytes);
  const type = entry.readUnsignedByte();
  const length = entry.readUnsignedByte();
  const value = entry.retainedSlice(entry.readerIndex(), length);
  entry.release();
  if (type === PADDING) return null;
  const out: number[] = [];
  for (let i = 0; i < value.readableBytes(); i++) out.push(value.getUnsignedByte(i));
  value.release();
  return out;
}
