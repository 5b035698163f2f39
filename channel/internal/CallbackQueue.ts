/**
 * @internal Runs a channel's write callbacks one at a time, never one inside another.
 * @packageDocumentation
 */
import type { ByteBuf } from '../../harness';
import type { WriteCallback } from '../AsyncWritableChannel';
import { Fifo } from './Fifo';

/** One acknowledgement still to deliver: the callback's arguments, and the buffer to release after it. */
interface PendingCall {
  readonly callback: WriteCallback | undefined;
  readonly bytesWritten: number;
  readonly error: Error | null;
  readonly releaseAfter: ByteBuf | undefined;
}

/** What a run caught: the first error thrown, boxed (a callback may throw `undefined`). */
type Failure = { readonly error: unknown } | undefined;

/**
 * Calls `callback(bytesWritten, error)`, then releases `releaseAfter` even if the callback threw;
 * returns `failure`, or the first error either threw when `failure` is undefined.
 */
function invoke(
  failure: Failure,
  callback: WriteCallback | undefined,
  bytesWritten: number,
  error: Error | null,
  releaseAfter: ByteBuf | undefined,
): Failure {
  try {
    callback?.(bytesWritten, error);
  } catch (e) {
    failure ??= { error: e };
  }
  if (releaseAfter !== undefined) {
    try {
      releaseAfter.release();
    } catch (e) {
      failure ??= { error: e };
    }
  }
  return failure;
}

/**
 * The callbacks of one channel, run in the order they were asked for. A callback asked for while
 * another runs (one that resolves the next chunk, writes the next buffer or closes the channel)
 * runs right after the running one returns, inside the same outermost call: a chain of any length
 * keeps the stack flat instead of nesting one set of frames per link. A throwing callback stops
 * neither the release after it nor the callbacks after it; the first error is rethrown by the
 * outermost call once everything has run.
 */
export class CallbackQueue {
  private readonly pending = new Fifo<PendingCall>();
  private running = false;

  /**
   * Calls `callback(bytesWritten, error)` now, then `releaseAfter.release()` (also when the
   * callback throws), unless a callback of this queue is running: then it is queued and runs as
   * soon as that one returns. Calls still queued (by {@link enqueue}) run before it.
   * @throws the first error a callback (or a release) threw in this call.
   */
  call(callback: WriteCallback | undefined, bytesWritten: number, error: Error | null, releaseAfter?: ByteBuf): void {
    if (this.running || this.pending.length > 0) {
      // Behind the running callback, or behind calls queued earlier: order first.
      this.enqueue(callback, bytesWritten, error, releaseAfter);
      if (!this.running) this.flush();
      return;
    }
    this.running = true;
    let failure: Failure;
    try {
      failure = invoke(undefined, callback, bytesWritten, error, releaseAfter);
      failure = this.runPending(failure);
    } finally {
      this.running = false;
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Queues a call for the next {@link flush} (or the running loop); runs nothing. */
  enqueue(callback: WriteCallback | undefined, bytesWritten: number, error: Error | null, releaseAfter?: ByteBuf): void {
    this.pending.push({ callback, bytesWritten, error, releaseAfter });
  }

  /**
   * Runs every queued call now, even from inside a running callback (`close()` needs this: when
   * it returns, every write was acknowledged). Calls asked for meanwhile run in the same loop.
   * @throws the first error a callback (or a release) threw.
   */
  flush(): void {
    const wasRunning = this.running;
    this.running = true;
    let failure: Failure;
    try {
      failure = this.runPending(undefined);
    } finally {
      this.running = wasRunning;
    }
    if (failure !== undefined) throw failure.error;
  }

  private runPending(failure: Failure): Failure {
    for (let c = this.pending.shift(); c !== undefined; c = this.pending.shift()) {
      failure = invoke(failure, c.callback, c.bytesWritten, c.error, c.releaseAfter);
    }
    return failure;
  }
}
