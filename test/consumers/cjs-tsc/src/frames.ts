/**
 * Records: a tag byte, then a body. `inspectRecord` copies a record into a buffer, takes its body
 * as a retained slice, and reports the tag and the body's length.
 *
 * The planted leak: on the end-of-stream path (tag END_TAG) the body slice is never released, so
 * the record's buffer stays at refCnt 1. The leak report must name the line that made it.
 */
import { Unpooled } from 'bytebuf-leak-harness';

/** The tag of the last record of a stream. */
export const END_TAG = 0xff;

/** What `inspectRecord` found. */
export interface RecordInfo {
  tag: number;
  bodyLength: number;
}

/** Reads the tag and the body length of `bytes` (one record: tag byte then body). */
export function inspectRecord(bytes: Uint8Array): RecordInfo {
  const record = Unpooled.copiedBuffer(bytes);
  const body = record.retainedSlice(1, record.readableBytes() - 1);
  const tag = record.getByte(0) & 0xff;
  record.release();
  if (tag === END_TAG) return { tag, bodyLength: 0 };
  const bodyLength = body.readableBytes();
  body.release();
  return { tag, bodyLength };
}
