/**
 * Newline-delimited messages. `firstLine` copies the bytes received so far into a chunk buffer and
 * reads the first complete line through a retained slice of it.
 *
 * The planted leak: when no newline has arrived yet it returns undefined without releasing the
 * slice, so the chunk stays at refCnt 1. The sanitizer must name the line that made it.
 */
import { Unpooled } from 'bytebuf-leak-harness';

const NEWLINE = 0x0a;

/** The text of the first line in `received`, or undefined while the line is incomplete. */
export function firstLine(received: Uint8Array): string | undefined {
  const chunk = Unpooled.buffer(received.length).writeBytes(received);
  const written = chunk.writerIndex();
  let end = 0;
  while (end < written && chunk.getByte(end) !== NEWLINE) end++;
  const line = chunk.retainedSlice(0, end);
  chunk.release();
  if (end === written) return undefined;
  const bytes = new Uint8Array(end);
  line.getBytes(0, bytes);
  line.release();
  return new TextDecoder().decode(bytes);
}
