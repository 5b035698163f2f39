/**
 * A reassembler of fragmented messages: each fragment is a continuation byte (1: more follow,
 * 0: last) then its data. `addFragment` keeps the data of every fragment as a retained slice of
 * the fragment's buffer until the last one arrives, then joins them.
 *
 * The planted leak: `reset()` drops the fragments held so far without releasing them, so each
 * dropped fragment's buffer stays at refCnt 1. The sanitizer must name the line that made it.
 */
import { Unpooled, type ByteBuf } from 'bytebuf-leak-harness';

export class Reassembler {
  private held: ByteBuf[] = [];

  /** Adds a fragment; returns the whole message once the last fragment is in, else undefined. */
  addFragment(fragment: Uint8Array): Uint8Array | undefined {
    const buf = Unpooled.copiedBuffer(fragment);
    this.held.push(buf.retainedSlice(1, buf.readableBytes() - 1));
    const more = buf.getByte(0) === 1;
    buf.release();
    if (more) return undefined;
    const size = this.held.reduce((n, part) => n + part.readableBytes(), 0);
    const message = new Uint8Array(size);
    let at = 0;
    for (const part of this.held) {
      part.getBytes(0, message, at, part.readableBytes());
      at += part.readableBytes();
      part.release();
    }
    this.held = [];
    return message;
  }

  /** Forgets the fragments of the message in progress. */
  reset(): void {
    this.held = [];
  }
}
