/**
 * Ambry's `PutOperation` chunk filling (the seed's second production consumer): take the
 * channel's buffers with `getNextByteBuf`, cut fixed-size chunks out of them with
 * `readRetainedSlice` (no copy), send each chunk, and resolve a source buffer once it is fully
 * cut. Here a Node object-mode `Readable` of {@link SentChunk} records, so it works with
 * `stream.pipeline` and stops cleanly on errors and early close.
 * @packageDocumentation
 */
import { Readable } from 'node:stream';
import { IllegalArgumentException, Unpooled, type ByteBuf, type CompositeByteBuf } from '../harness';
import type { BBAWC } from './AbstractByteBufferAsyncWritableChannel';

/**
 * Sends one chunk. The chunk is **borrowed**: the filler releases it as soon as the returned
 * promise settles (fulfilled or rejected). A `send` that keeps the chunk longer must `retain()` it
 * and release that reference itself.
 */
export type SendChunk = (chunk: ByteBuf, index: number) => Promise<void>;

/** Options of {@link ChunkFiller}. */
export interface ChunkFillerOptions {
  /** Bytes per chunk (the last chunk may be shorter); an integer >= 1. */
  chunkSize: number;
  send: SendChunk;
}

/** What the filler emits once a chunk was sent (and released). */
export interface SentChunk {
  /** 0-based position of the chunk. */
  index: number;
  /** Its size in bytes. */
  size: number;
}

/**
 * Fills and sends chunks one at a time (the next chunk is filled only when the stream is read).
 *
 * | buffer | who releases it |
 * |---|---|
 * | source buffer from `getNextByteBuf` | never the filler: borrowed, then resolved once fully cut (the producer releases it in its callback) |
 * | slice cut with `readRetainedSlice` | the chunk holding it (a composite), when the chunk is released |
 * | chunk passed to `send` | the filler, when `send`'s promise settles |
 *
 * End: when the producer closes the channel (after its last write was acknowledged), the
 * remaining bytes go out as a last, shorter chunk and the stream ends. Destroying the stream
 * (early close, a failed `send`, an error elsewhere in a pipeline) closes the channel, which fails
 * the producer's unacknowledged writes; the partly filled chunk is released, and the stream's
 * `close` waits for a `send` in flight to settle (its chunk is released then).
 */
export class ChunkFiller extends Readable {
  private readonly channel: BBAWC;
  private readonly chunkSize: number;
  private readonly send: SendChunk;
  /** The checked-out buffer being cut, until fully cut and resolved. */
  private source: ByteBuf | null = null;
  /** The chunk being filled. */
  private filling: CompositeByteBuf | null = null;
  /** The current fill-and-send step, while one runs. */
  private step: Promise<void> | null = null;
  private nextIndex = 0;
  private sent = 0;
  private stopped = false;

  constructor(channel: BBAWC, options: ChunkFillerOptions) {
    super({ objectMode: true, highWaterMark: 1 });
    const { chunkSize, send } = options;
    if (typeof chunkSize !== 'number' || !Number.isInteger(chunkSize) || chunkSize < 1) {
      throw new IllegalArgumentException(`chunkSize: ${String(chunkSize)} (expected: an integer >= 1)`);
    }
    if (typeof send !== 'function') throw new IllegalArgumentException('send: expected a function');
    this.channel = channel;
    this.chunkSize = chunkSize;
    this.send = send;
  }

  /** Bytes sent so far (in chunks whose `send` fulfilled). */
  get bytesSent(): number {
    return this.sent;
  }

  override _read(): void {
    if (this.step !== null) return;
    this.step = this.fillAndSend().then(
      (record) => {
        this.step = null;
        if (this.stopped) return;
        this.push(record);
      },
      (error: unknown) => {
        this.step = null;
        this.destroy(error as Error);
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stopped = true;
    let closeError: unknown = null;
    try {
      // Fails the producer's unacknowledged writes (the checked-out source included) and settles
      // a pending getNextByteBuf with null.
      this.channel.close();
    } catch (e) {
      closeError = e;
    }
    this.source = null;
    const finish = (): void => {
      try {
        this.releaseFilling();
      } catch (e) {
        closeError ??= e;
      }
      callback(error ?? (closeError as Error | null));
    };
    const step = this.step;
    if (step === null) finish();
    else step.then(finish, finish);
  }

  /** Fills the next chunk and sends it; null when the channel is closed and drained (the end). */
  private async fillAndSend(): Promise<SentChunk | null> {
    const full = await this.fill();
    if (this.stopped) return null;
    const chunk = this.filling;
    this.filling = null;
    if (chunk === null) return null;
    // Closed with nothing left to send: the end (a full chunk is never empty).
    if (!full && chunk.readableBytes() === 0) {
      chunk.release();
      return null;
    }
    const index = this.nextIndex++;
    const size = chunk.readableBytes();
    try {
      await this.send(chunk, index);
    } finally {
      chunk.release();
    }
    this.sent += size;
    return { index, size };
  }

  /**
   * Cuts slices into `filling` until it holds `chunkSize` bytes (true) or the channel is closed
   * (false). Resolves each source as soon as it is fully cut.
   */
  private async fill(): Promise<boolean> {
    const chunk = (this.filling ??= Unpooled.compositeBuffer());
    while (chunk.readableBytes() < this.chunkSize) {
      if (this.source === null) {
        const next = await this.channel.getNextByteBuf();
        // Stopped while waiting: close() already acknowledged this buffer; it is not ours to touch.
        if (this.stopped || next === null) return false;
        this.source = next;
      }
      const source = this.source;
      const n = Math.min(this.chunkSize - chunk.readableBytes(), source.readableBytes());
      if (n > 0) chunk.addComponent(true, source.readRetainedSlice(n));
      if (source.readableBytes() === 0) {
        this.source = null;
        this.channel.resolveOldestChunk(null);
      }
    }
    return true;
  }

  private releaseFilling(): void {
    const chunk = this.filling;
    this.filling = null;
    chunk?.release();
  }
}
