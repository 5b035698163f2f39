/**
 * Ambry's `ReadableStreamChannelInputStream` pattern (the seed's first production consumer): a
 * stream that reads a `ByteBufferAsyncWritableChannel` with `getNextChunk`, copies each chunk out
 * and acknowledges it. Here a Node `Readable`, so it works with `stream.pipeline`.
 * @packageDocumentation
 */
import { Readable } from 'node:stream';
import type { ByteBuffer } from '../harness';
import type { BBAWC } from './AbstractByteBufferAsyncWritableChannel';

/** Options of {@link ReadableStreamChannelInputStream}. */
export interface ReadableStreamChannelInputStreamOptions {
  /** The stream's `highWaterMark` in bytes (Node's default when omitted). */
  highWaterMark?: number;
}

/**
 * A byte `Readable` over a channel. Each chunk is copied into a new Node `Buffer`, then resolved
 * with `resolveOldestChunk(null)` (so the producer's callback gets the chunk's full size and a
 * channel-owned wrapper is released at once); only then is the copy pushed.
 *
 * - End: the producer signals the end by closing the channel once its last write was
 *   acknowledged; `getNextChunk` then gives `null` and the stream ends.
 * - The stream **owns the channel's consumer side**: destroying the stream (early close, or an
 *   error anywhere in a `pipeline`) closes the channel, which fails the producer's unacknowledged
 *   writes with `ClosedChannelException` and settles the pending `getNextChunk` with `null`, so no
 *   promise, timer or buffer outlives the stream.
 */
export class ReadableStreamChannelInputStream extends Readable {
  private readonly channel: BBAWC;
  /** True while a `getNextChunk` is pending (Node may call `_read` again meanwhile). */
  private reading = false;

  constructor(channel: BBAWC, options: ReadableStreamChannelInputStreamOptions = {}) {
    super(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark });
    this.channel = channel;
  }

  override _read(): void {
    if (this.reading) return;
    this.reading = true;
    this.channel.getNextChunk().then(
      (chunk) => this.onChunk(chunk),
      (error: unknown) => {
        this.reading = false;
        this.destroy(error as Error);
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    try {
      this.channel.close();
    } catch (closeError) {
      callback(error ?? (closeError as Error));
      return;
    }
    callback(error);
  }

  private onChunk(chunk: ByteBuffer | null): void {
    this.reading = false;
    // Destroyed while the chunk was on its way: close() already acknowledged it; do not touch it.
    if (this.destroyed) return;
    if (chunk === null) {
      this.push(null);
      return;
    }
    const copy = Buffer.allocUnsafe(chunk.remaining());
    chunk.get(copy);
    try {
      this.channel.resolveOldestChunk(null);
    } catch (error) {
      this.destroy(error as Error);
      return;
    }
    // An empty chunk has nothing to push: read the next one. (Node 20 would also read on after an
    // empty push, so the two are alike there: the mutant set lists that one as equivalent.)
    if (copy.length === 0) this._read();
    else this.push(copy);
  }
}
