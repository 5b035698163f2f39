/**
 * Ambry's `AsyncWritableChannel`: the interface both channels implement.
 * @packageDocumentation
 */
import type { ByteBuf, ByteBuffer } from '../harness';

/** Ambry's `Callback<Long>.onCompletion(result, exception)`. */
export type WriteCallback = (bytesWritten: number, error: Error | null) => void;

/**
 * Ambry's `Future<Long>` / `FutureResult`: a `PromiseLike<number>` that can also be inspected
 * synchronously. A failed write that nobody awaits never raises `unhandledRejection`: the
 * rejecting promise is made only when someone calls `then`.
 */
export interface WriteFuture extends PromiseLike<number> {
  /** True once the write was acknowledged (success or failure). */
  isDone(): boolean;
  /** Bytes written, once done without error; undefined otherwise. */
  result(): number | undefined;
  /** The failure, once done with one; null while pending or on success. */
  error(): Error | null;
}

/** Events a channel's listener receives (Ambry's `ChannelEvent`). */
export type ChannelEvent = 'Write' | 'Close';

/**
 * Ambry's `AsyncWritableChannel`. Every write is acknowledged exactly once (future, then
 * callback), in write order. **An implementation must not release the caller's `ByteBuf`**: a
 * caller that wants it released does so in its callback. A null or undefined source throws
 * `IllegalArgumentException` synchronously, with no callback.
 */
export interface AsyncWritableChannel {
  write(src: ByteBuffer | ByteBuf, callback?: WriteCallback): WriteFuture;
  isOpen(): boolean;
  /** Idempotent; never throws. */
  close(): void;
}
