/**
 * Ambry's `FutureResult<Long>`: the `WriteFuture` every channel write returns.
 * @packageDocumentation
 */
import type { WriteFuture } from './AsyncWritableChannel';

const PENDING = 0;
const SUCCEEDED = 1;
const FAILED = 2;

/**
 * A write's future: settled once by the channel with `done(bytesWritten, error)`, inspectable
 * synchronously (`isDone`, `result`, `error`) and awaitable (`PromiseLike<number>`).
 *
 * The backing `Promise` is made only when someone calls `then` (which is what `await` does), and
 * that call attaches the handlers at once. So a failed write that nobody awaits never creates a
 * rejected promise, and Node never raises `unhandledRejection` for it.
 */
export class FutureResult implements WriteFuture {
  private state: typeof PENDING | typeof SUCCEEDED | typeof FAILED = PENDING;
  private bytes: number | undefined = undefined;
  private failure: Error | null = null;
  private promise: Promise<number> | null = null;
  private settle: { resolve(value: number): void; reject(reason: Error): void } | null = null;

  /** A future already failed with `error` (0 bytes): what a write to a closed channel returns. */
  static failed(error: Error): FutureResult {
    const f = new FutureResult();
    f.done(0, error);
    return f;
  }

  /**
   * Settles the future: with `error` null it succeeds with `bytesWritten`, otherwise it fails with
   * `error`. Only the first call counts; it returns false for later calls.
   */
  done(bytesWritten: number, error: Error | null): boolean {
    if (this.state !== PENDING) return false;
    if (error === null) {
      this.state = SUCCEEDED;
      this.bytes = bytesWritten;
    } else {
      this.state = FAILED;
      this.failure = error;
    }
    const settle = this.settle;
    this.settle = null;
    if (settle !== null) {
      if (error === null) settle.resolve(bytesWritten);
      else settle.reject(error);
    }
    return true;
  }

  /** True once `done` was called (success or failure). */
  isDone(): boolean {
    return this.state !== PENDING;
  }

  /** Bytes written, once succeeded; undefined while pending or after a failure. */
  result(): number | undefined {
    return this.bytes;
  }

  /** The failure, once failed; null while pending or after a success. */
  error(): Error | null {
    return this.failure;
  }

  /** Awaits the write: fulfils with the bytes written, rejects with the failure. */
  then<TResult1 = number, TResult2 = never>(
    onfulfilled?: ((value: number) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.asPromise().then(onfulfilled, onrejected);
  }

  /** The backing promise, made on first use (see the class comment). */
  private asPromise(): Promise<number> {
    if (this.promise === null) {
      if (this.state === SUCCEEDED) this.promise = Promise.resolve(this.bytes!);
      else if (this.state === FAILED) this.promise = Promise.reject(this.failure!);
      else this.promise = new Promise<number>((resolve, reject) => (this.settle = { resolve, reject }));
    }
    return this.promise;
  }

  get [Symbol.toStringTag](): string {
    return 'FutureResult';
  }
}
