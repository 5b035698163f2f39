/**
 * A Node `Readable` over a `ByteBuf` it owns: what `RetainingAsyncWritableChannel.consumeContentAsInputStream`
 * returns (Ambry returns a `ByteBufInputStream` that releases on close).
 * @packageDocumentation
 */
import { Readable } from 'node:stream';
import type { ByteBuf } from '../harness';

/** Bytes per pushed Node `Buffer` (each is a copy, so the stream never hands out views of `buf`). */
const PUSH_SIZE = 64 * 1024;

/**
 * Streams the readable bytes of `content` as copies, then ends. It owns one reference to
 * `content` and releases it exactly once: as soon as the last byte is copied out (before `end`),
 * or when the stream is destroyed earlier. A stream that is neither read to the end nor destroyed
 * keeps the reference: a leak the harness reports, as the spec wants.
 */
export class ByteBufReadableStream extends Readable {
  private content: ByteBuf | null;

  constructor(content: ByteBuf) {
    super();
    this.content = content;
  }

  override _read(): void {
    const buf = this.content;
    if (buf === null) return;
    try {
      const n = Math.min(buf.readableBytes(), PUSH_SIZE);
      if (n > 0) {
        const out = Buffer.allocUnsafe(n);
        buf.readBytes(out);
        this.push(out);
      }
      if (buf.readableBytes() === 0) {
        this.releaseContent();
        this.push(null);
      }
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    try {
      this.releaseContent();
    } catch (releaseError) {
      callback(error ?? (releaseError as Error));
      return;
    }
    callback(error);
  }

  /** Gives back the stream's reference, once. */
  private releaseContent(): void {
    const buf = this.content;
    this.content = null;
    buf?.release();
  }
}
