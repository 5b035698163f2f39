/**
 * The code all three `ByteBufferAsyncWritableChannel` versions share (Ambry's
 * `ByteBufferAsyncWritableChannel`; README, Channels): a hand-off queue from a producer
 * that writes buffers to a consumer that checks them out and acknowledges them. The versions differ
 * only by their {@link OwnershipPolicy} (section 3.7).
 * @packageDocumentation
 */
import { ByteBuf, ByteBuffer, IllegalArgumentException, Unpooled } from '../harness';
import type { AsyncWritableChannel, ChannelEvent, WriteCallback, WriteFuture } from './AsyncWritableChannel';
import { ClosedChannelException } from './errors';
import { FutureResult } from './FutureResult';
import { CallbackQueue } from './internal/CallbackQueue';
import { describe } from './internal/describe';
import { Fifo } from './internal/Fifo';
import { LinkedQueue } from './internal/LinkedQueue';
import type { ChannelVersion, OwnershipPolicy } from './ownership';

/*
 * Module-level copies of the imported bindings used once or more per chunk. In a CommonJS build
 * (tsx's esbuild, jest's swc) every use of an imported name calls a getter on the exporting
 * module's exports (two getters deep through `harness/index.ts`, each with a megamorphic keyed
 * load); a copy is a plain variable. The bindings are classes and an object that never change.
 */
const LocalByteBuf = ByteBuf;
const LocalByteBuffer = ByteBuffer;
const LocalUnpooled = Unpooled;
const LocalFutureResult = FutureResult;

/** Largest timeout `setTimeout` honours (larger values would fire after 1 ms). */
export const MAX_TIMEOUT_MS = 0x7fffffff;

/**
 * What every `ByteBufferAsyncWritableChannel` version offers: the type the scenario engine and the
 * integration consumers program against.
 */
export interface BBAWC extends AsyncWritableChannel {
  /** Which behaviour of section 3.7 this channel reproduces. */
  readonly version: ChannelVersion;
  /**
   * Queues `src` for the consumer and returns its future; the callback runs when the consumer
   * acknowledges it (or the channel closes). A `ByteBuffer` is wrapped without copying; a `ByteBuf`
   * is borrowed, never retained or released (except by the legacy version, see 3.7).
   * @throws IllegalArgumentException for a source that is neither (null, undefined, ...), with no callback.
   */
  write(src: ByteBuffer | ByteBuf, callback?: WriteCallback): WriteFuture;
  /**
   * The next chunk as a `ByteBuffer`: a view of the written memory when it has one NIO buffer, a
   * heap copy when it has several, and the chunk's reader index advanced past what is returned.
   * Settles `null` when the channel is closed (at once, or when it closes while waiting) or when
   * `timeoutMs` passes (0 = poll; none = wait until a chunk arrives or the channel closes).
   * @throws IllegalArgumentException synchronously for a timeout that is not an integer in [0, 2^31 - 1].
   */
  getNextChunk(timeoutMs?: number): Promise<ByteBuffer | null>;
  /** As {@link getNextChunk}, but the very buffer that was written: borrowed until resolved. */
  getNextByteBuf(timeoutMs?: number): Promise<ByteBuf | null>;
  /**
   * Acknowledges the oldest checked-out chunk: its future, then its callback, get
   * `(readerIndex - readerIndexAtWrite, error)`. No-op when nothing is checked out. Called from
   * inside a write callback, the future completes at once and the callback runs as soon as the
   * running one returns (so a chain of callbacks that each resolve the next chunk stays flat).
   */
  resolveOldestChunk(error: Error | null): void;
}

/** One write, from `write` until it is acknowledged (Ambry's `ChunkData`). */
class Chunk {
  constructor(
    readonly buf: ByteBuf,
    /** Reader index at write time: bytes written = reader index at resolution - this. */
    readonly startPos: number,
    readonly callback: WriteCallback | undefined,
    readonly future: FutureResult,
    /** True when the channel made `buf` (a wrapper of a written `ByteBuffer`): its to release. */
    readonly ownsBuffer: boolean,
  ) {}
}

/** A consumer waiting in `getNextChunk`/`getNextByteBuf` for a chunk. */
interface Waiter {
  /** Hands over a chunk (checked out by the channel already). */
  deliver(chunk: Chunk): void;
  /** Settles with null: the channel closed. */
  wake(): void;
}

/** Throws unless `timeoutMs` is undefined or an integer in [0, MAX_TIMEOUT_MS]. */
function checkTimeout(timeoutMs: number | undefined): void {
  if (timeoutMs === undefined) return;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new IllegalArgumentException(`timeoutMs: ${String(timeoutMs)} (expected: an integer in [0, ${MAX_TIMEOUT_MS}])`);
  }
}

/**
 * Ambry's conversion of a checked-out buffer to a `ByteBuffer` (3.4): 0 NIO buffers → an empty
 * buffer, reader index unchanged; 1 → a view of the same memory, reader index advanced past it;
 * more (a composite) → a heap copy of the readable bytes, reader index advanced.
 */
export function convertToByteBuffer(buf: ByteBuf): ByteBuffer {
  const count = buf.nioBufferCount();
  if (count === 0) return ByteBuffer.allocate(0);
  if (count === 1) {
    const view = buf.nioBuffer();
    buf.skipBytes(view.remaining());
    return view;
  }
  const copy = ByteBuffer.allocate(buf.readableBytes());
  buf.readBytes(copy);
  return copy.flip();
}

const asByteBuf = (buf: ByteBuf): ByteBuf => buf;

/**
 * The shared implementation. Subclasses only pick a policy; see `ByteBufferAsyncWritableChannel`
 * (fixed), `LegacyByteBufferAsyncWritableChannel` and `RegressionByteBufferAsyncWritableChannel`.
 *
 * Single-threaded design choices (documented differences from the Java code):
 * - A consumer waiting for a chunk is handed it synchronously inside `write`, so the check-out
 *   (and the `ByteBuffer` conversion) happens while the channel is open; there is no window in
 *   which a chunk is taken after `close()` drained the queues.
 * - `close()` settles waiting consumers with `null` directly instead of queueing a poison chunk,
 *   and a write after close fails at once, so nothing is ever queued after the drain (3.8).
 * - A callback that throws does not stop the channel's own bookkeeping: the wrapper is still
 *   released (fixed/regression), `close()` still acknowledges every other write and wakes every
 *   consumer; the first callback error is then rethrown to whoever triggered the acknowledgement.
 * - No write callback runs inside another callback of the same channel: one triggered from a
 *   callback (by `resolveOldestChunk`, by a write to the closed channel, by `close()`) runs right
 *   after it returns, its future already complete. Chains of any length keep the stack flat, in
 *   write order.
 * - `close()` re-entered (from a callback it runs, or from its `Close` listener) returns at once
 *   and makes the outer call fire `Close` once more, after its own: never a recursion, never an
 *   event while writes are still being acknowledged.
 */
export abstract class AbstractByteBufferAsyncWritableChannel implements BBAWC {
  readonly version: ChannelVersion;
  /** The version's decisions of section 3.7. */
  protected readonly policy: OwnershipPolicy;
  private readonly listener: ((event: ChannelEvent) => void) | undefined;
  private open = true;
  /** Written, not yet checked out (write order). */
  private readonly chunks = new Fifo<Chunk>();
  /** Checked out, not yet resolved (check-out order). */
  private readonly chunksAwaitingResolution = new Fifo<Chunk>();
  /** Consumers waiting for a chunk; only non-empty while `chunks` is empty. O(1) removal on timeout. */
  private readonly waiters = new LinkedQueue<Waiter>();
  /** The write callbacks still to run, never one inside another. */
  private readonly callbacks = new CallbackQueue();
  /** True while `close()` runs: a `close()` then is re-entrant. */
  private closing = false;
  /** Set by a re-entrant `close()`: the running one fires `Close` once more. */
  private closedAgain = false;

  protected constructor(policy: OwnershipPolicy, listener?: (event: ChannelEvent) => void) {
    this.policy = policy;
    this.version = policy.version;
    this.listener = listener;
  }

  write(src: ByteBuffer | ByteBuf, callback?: WriteCallback): WriteFuture {
    // ByteBuffer first: the common source, decided by one instanceof (the two classes are disjoint).
    if (src instanceof LocalByteBuffer) {
      // Shares the caller's memory; an empty source gives EMPTY_BUFFER, whose release is a no-op.
      return this.enqueue(LocalUnpooled.wrappedBuffer(src), true, callback);
    }
    if (src instanceof LocalByteBuf) return this.enqueue(src, false, callback);
    throw new IllegalArgumentException(`src: expected a ByteBuffer or ByteBuf, got ${describe(src)}`);
  }

  getNextChunk(timeoutMs?: number): Promise<ByteBuffer | null> {
    return this.takeNext(timeoutMs, convertToByteBuffer);
  }

  getNextByteBuf(timeoutMs?: number): Promise<ByteBuf | null> {
    return this.takeNext(timeoutMs, asByteBuf);
  }

  resolveOldestChunk(error: Error | null): void {
    const chunk = this.chunksAwaitingResolution.shift();
    if (chunk !== undefined) this.acknowledge(chunk, error, 'call');
  }

  /** False once `close()` was called. */
  isOpen(): boolean {
    return this.open;
  }

  /**
   * Closes the channel (3.6). The first call fails every checked-out chunk (oldest first), then
   * every queued chunk (write order), with one shared `ClosedChannelException` and each chunk's
   * own byte count, and settles every waiting consumer with `null`; every callback has run when
   * it returns. The `Close` event fires on every call, after the acknowledgements. A `close()`
   * made while one runs (from a callback it runs, or from the `Close` listener) returns at once,
   * and the running call fires `Close` exactly once more after its own, however many such calls
   * there were (those made during that last event are absorbed): a listener that always calls
   * `close()` gets two events, not a recursion. The channel itself never throws here; a
   * callback's (or the listener's) error is rethrown at the end.
   */
  close(): void {
    if (this.closing) {
      this.closedAgain = true;
      return;
    }
    this.closing = true;
    let failure: { error: unknown } | undefined;
    try {
      if (this.open) {
        this.open = false;
        const error = new ClosedChannelException();
        for (const chunk of this.chunksAwaitingResolution.drain()) this.acknowledge(chunk, error, 'enqueue');
        for (const chunk of this.chunks.drain()) this.acknowledge(chunk, error, 'enqueue');
        try {
          this.callbacks.flush();
        } catch (e) {
          failure = { error: e };
        }
        for (const waiter of this.waiters.drain()) waiter.wake();
      }
      this.listener?.('Close');
      if (this.closedAgain) this.listener?.('Close');
    } finally {
      this.closing = false;
      this.closedAgain = false;
    }
    if (failure !== undefined) throw failure.error;
  }

  /** `write(ByteBuf)` with ownership known (3.3). */
  private enqueue(buf: ByteBuf, ownsBuffer: boolean, callback: WriteCallback | undefined): WriteFuture {
    if (!this.open) return this.failClosedWrite(buf, ownsBuffer, callback);
    const chunk = new Chunk(buf, buf.readerIndex(), callback, new LocalFutureResult(), ownsBuffer);
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter.deliver(chunk);
    else this.chunks.push(chunk);
    this.listener?.('Write');
    return chunk.future;
  }

  /** A write to a closed channel: failed future, then `callback(0, ClosedChannelException)`, synchronously. */
  private failClosedWrite(buf: ByteBuf, ownsBuffer: boolean, callback: WriteCallback | undefined): WriteFuture {
    const error = new ClosedChannelException();
    const future = FutureResult.failed(error);
    const rule = this.policy.onWriteToClosed;
    // legacy: "channel releases the caller's buffer, then fails the write".
    if (rule === 'release-source') buf.release();
    // fixed: the wrapper it just made is its own; released after the callback, like every wrapper.
    this.callbacks.call(callback, 0, error, rule === 'release-if-owned' && ownsBuffer ? buf : undefined);
    return future;
  }

  /**
   * Acknowledges a chunk already removed from its queue: completes its future now, then calls
   * its callback (`'call'`: now, or right after the running callback) or queues it for the
   * caller's flush (`'enqueue'`), followed by (if the policy says so) the release of a
   * channel-owned wrapper. A chunk is only ever in one queue, so this runs once per chunk.
   */
  private acknowledge(chunk: Chunk, error: Error | null, how: 'call' | 'enqueue'): void {
    const bytesWritten = chunk.buf.readerIndex() - chunk.startPos;
    chunk.future.done(bytesWritten, error);
    const release = chunk.ownsBuffer && this.policy.releaseOwnedAfterAcknowledgement ? chunk.buf : undefined;
    if (how === 'call') this.callbacks.call(chunk.callback, bytesWritten, error, release);
    else this.callbacks.enqueue(chunk.callback, bytesWritten, error, release);
  }

  /** Moves a chunk to the checked-out queue and gives the consumer its form of it. */
  private checkOut<T>(chunk: Chunk, convert: (buf: ByteBuf) => T): T {
    this.chunksAwaitingResolution.push(chunk);
    return convert(chunk.buf);
  }

  /** `getNextChunk`/`getNextByteBuf` (3.4): the next chunk in the consumer's form, or null. */
  private takeNext<T>(timeoutMs: number | undefined, convert: (buf: ByteBuf) => T): Promise<T | null> {
    checkTimeout(timeoutMs);
    if (!this.open) return Promise.resolve(null);
    const chunk = this.chunks.shift();
    if (chunk !== undefined) {
      try {
        return Promise.resolve(this.checkOut(chunk, convert));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    if (timeoutMs === 0) return Promise.resolve(null);
    return new Promise<T | null>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        deliver: (c) => {
          if (timer !== undefined) clearTimeout(timer);
          try {
            resolve(this.checkOut(c, convert));
          } catch (e) {
            reject(e as Error);
          }
        },
        wake: () => {
          if (timer !== undefined) clearTimeout(timer);
          resolve(null);
        },
      };
      const node = this.waiters.push(waiter);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiters.remove(node);
          resolve(null);
        }, timeoutMs);
      }
    });
  }
}
