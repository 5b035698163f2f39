/**
 * Ambry's `RetainingAsyncWritableChannel` (README, Channels): keeps everything written in
 * one composite buffer, acknowledges every write synchronously, enforces a size limit, and hands
 * the content over once.
 * @packageDocumentation
 */
import type { Readable } from 'node:stream';
import {
  ByteBuf,
  ByteBufAllocator,
  ByteBufUtil,
  ByteBuffer,
  IllegalArgumentException,
  IllegalStateException,
  type CompositeByteBuf,
} from '../harness';
import type { AsyncWritableChannel, WriteCallback, WriteFuture } from './AsyncWritableChannel';
import { ByteBufReadableStream } from './ByteBufReadableStream';
import { ClosedChannelException, RestServiceException } from './errors';
import { FutureResult } from './FutureResult';
import { CallbackQueue } from './internal/CallbackQueue';
import { describe } from './internal/describe';

/** Java's `Integer.MAX_VALUE`: the default size limit. */
export const DEFAULT_SIZE_LIMIT_IN_BYTES = 2 ** 31 - 1;

/**
 * Collects every write into one composite from the default allocator.
 *
 * | buffer | who releases it |
 * |---|---|
 * | `ByteBuf` passed to `write` | the caller (its own reference; the channel holds a retained duplicate) |
 * | copy of a written `ByteBuffer` | the channel (it is a component of the composite) |
 * | the composite | `close()`, unless consumed; after a consume, whoever consumed it (see each consume method) |
 *
 * Past 16 components the composite consolidates into one new buffer (Netty's rule, modelled by the
 * harness), which gives the callers' extra references back early.
 */
export class RetainingAsyncWritableChannel implements AsyncWritableChannel {
  private readonly sizeLimitInBytes: number;
  private readonly compositeBuffer: CompositeByteBuf;
  private open = true;
  private consumed = false;
  private totalBytesWritten = 0;
  /** The write callbacks still to run, never one inside another. */
  private readonly callbacks = new CallbackQueue();

  /**
   * @param sizeLimitInBytes the most bytes accepted without `RequestTooLarge`; an integer >= 0.
   * @throws IllegalArgumentException for any other limit.
   */
  constructor(sizeLimitInBytes: number = DEFAULT_SIZE_LIMIT_IN_BYTES) {
    if (typeof sizeLimitInBytes !== 'number' || !Number.isSafeInteger(sizeLimitInBytes) || sizeLimitInBytes < 0) {
      throw new IllegalArgumentException(`sizeLimitInBytes: ${String(sizeLimitInBytes)} (expected: an integer >= 0)`);
    }
    this.sizeLimitInBytes = sizeLimitInBytes;
    this.compositeBuffer = ByteBufAllocator.DEFAULT.compositeHeapBuffer();
  }

  /**
   * Adds `src` to the content and acknowledges the write before returning (future, then
   * callback). Checks, in order: closed → `ClosedChannelException`; already over the limit →
   * `RestServiceException(RequestTooLarge)`; already consumed → `IllegalStateException`; each with
   * 0 bytes and the source untouched. The write that crosses the limit is kept but reported as
   * `RequestTooLarge` with its full byte count. A write made from inside a write callback
   * completes its future at once and runs its callback as soon as the running one returns, so a
   * chain of callbacks that each write the next buffer keeps the stack flat.
   * - `ByteBuf`: a retained duplicate is kept (the caller's refCnt + 1) and the caller's reader
   *   index moves to its writer index; the caller still releases its own reference.
   * - `ByteBuffer`: its remaining bytes are copied (direct if it is direct) and its position moves
   *   to its limit.
   * @throws IllegalArgumentException for a source that is neither, with no callback.
   */
  write(src: ByteBuffer | ByteBuf, callback?: WriteCallback): WriteFuture {
    let take: () => ByteBuf;
    if (src instanceof ByteBuf) take = () => retainAll(src);
    else if (src instanceof ByteBuffer) take = () => copyRemaining(src);
    else throw new IllegalArgumentException(`src: expected a ByteBuffer or ByteBuf, got ${describe(src)}`);

    let bytesWritten = 0;
    let error: Error | null = null;
    try {
      if (!this.open) throw new ClosedChannelException();
      if (this.totalBytesWritten > this.sizeLimitInBytes) throw requestTooLarge(this.sizeLimitInBytes);
      if (this.consumed) throw new IllegalStateException('Content was already consumed');
      const buf = take();
      bytesWritten = buf.readableBytes();
      this.compositeBuffer.addComponent(true, buf);
      this.totalBytesWritten += bytesWritten;
      if (this.totalBytesWritten > this.sizeLimitInBytes) error = requestTooLarge(this.sizeLimitInBytes);
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
    }
    const future = new FutureResult();
    future.done(bytesWritten, error);
    this.callbacks.call(callback, bytesWritten, error);
    return future;
  }

  /** False once `close()` was called. */
  isOpen(): boolean {
    return this.open;
  }

  /** Marks the channel closed and, unless the content was consumed, releases it (each component once). Idempotent. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    if (!this.consumed) this.compositeBuffer.release();
  }

  /** Bytes accepted so far, including the write that crossed the limit. */
  getBytesWritten(): number {
    return this.totalBytesWritten;
  }

  /**
   * Hands the content over as a read-only view of the composite: the caller now owns it and must
   * release it (which releases every component). `close()` then releases nothing.
   * @throws IllegalStateException after a consume or after close.
   */
  consumeContentAsByteBuf(): ByteBuf {
    this.startConsume();
    return this.compositeBuffer.asReadOnly();
  }

  /**
   * A copy of the content; the content is released at once.
   * @throws IllegalStateException after a consume or after close.
   */
  consumeContentAsBytes(): Uint8Array {
    this.startConsume();
    try {
      return ByteBufUtil.getBytes(this.compositeBuffer);
    } finally {
      this.compositeBuffer.release();
    }
  }

  /**
   * The content as a Node `Readable` of copied bytes. The stream owns the content and releases it
   * when fully read or when destroyed; a stream left neither is a leak.
   * @throws IllegalStateException after a consume or after close.
   */
  consumeContentAsInputStream(): Readable {
    this.startConsume();
    return new ByteBufReadableStream(this.compositeBuffer.asReadOnly());
  }

  private startConsume(): void {
    if (!this.open) throw new IllegalStateException('Channel is already closed');
    if (this.consumed) throw new IllegalStateException('Content was already consumed');
    this.consumed = true;
  }
}

/** `src.retainedDuplicate()`, then the caller's reader index moved past everything. */
function retainAll(src: ByteBuf): ByteBuf {
  const duplicate = src.retainedDuplicate();
  src.readerIndex(src.writerIndex());
  return duplicate;
}

/** A channel-owned copy of `src`'s remaining bytes (direct if `src` is); `src`'s position moves to its limit. */
function copyRemaining(src: ByteBuffer): ByteBuf {
  const n = src.remaining();
  const alloc = ByteBufAllocator.DEFAULT;
  const copy = src.isDirect() ? alloc.directBuffer(n, n) : alloc.heapBuffer(n, n);
  return copy.writeBytes(src);
}

function requestTooLarge(limit: number): RestServiceException {
  return new RestServiceException(`Request is larger than allowed size (${limit} bytes)`, 'RequestTooLarge');
}
