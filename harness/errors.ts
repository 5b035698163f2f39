/**
 * Typed errors of the buffer model. Each has a stable `name` (the Java class it stands for) and a
 * stable `code`, so callers can branch on either without parsing messages.
 * @packageDocumentation
 */
import { dropLeadingHarnessFrames } from './tracking/stack';

/** Base of every error this project throws on purpose. */
export abstract class HarnessError extends Error {
  /** Stable machine-readable code, e.g. `ERR_ILLEGAL_REFERENCE_COUNT`. */
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /**
   * Drops the harness's own frames from the top of `stack`, so the first frame (the one a test
   * runner shows a code frame for) is the caller's line. `stack` still starts with the message.
   */
  protected startStackAtCaller(): void {
    const stack = this.stack;
    const at = stack?.indexOf(this.message) ?? -1;
    if (stack === undefined || at < 0) return;
    const end = at + this.message.length;
    this.stack = stack.slice(0, end) + dropLeadingHarnessFrames(stack.slice(end));
  }
}

/** A method received an argument it cannot accept (Java's `IllegalArgumentException`). */
export class IllegalArgumentException extends HarnessError {
  override readonly name = 'IllegalArgumentException';
  readonly code = 'ERR_ILLEGAL_ARGUMENT';
}

/** An object is not in a state that allows the call (Java's `IllegalStateException`). */
export class IllegalStateException extends HarnessError {
  override readonly name: string = 'IllegalStateException';
  readonly code: string = 'ERR_ILLEGAL_STATE';
}

/** An index or length falls outside a buffer (Java's `IndexOutOfBoundsException`). */
export class IndexOutOfBoundsException extends HarnessError {
  override readonly name: string = 'IndexOutOfBoundsException';
  readonly code: string = 'ERR_INDEX_OUT_OF_BOUNDS';
}

/**
 * Java's `ArrayIndexOutOfBoundsException`, with the JDK's text `Index 3 out of bounds for length 3`:
 * what Netty's `UnpooledHeapByteBuf` (a wrapped array) throws for an absolute get or set out of
 * range, since it leaves the bounds check to the array.
 */
export class ArrayIndexOutOfBoundsException extends IndexOutOfBoundsException {
  override readonly name = 'ArrayIndexOutOfBoundsException';
  override readonly code = 'ERR_ARRAY_INDEX_OUT_OF_BOUNDS';
  constructor(index: number, length: number) {
    super(`Index ${index} out of bounds for length ${length}`);
  }
}

/**
 * Java's `NullPointerException`: what Netty 4.1.48's `CompositeByteBuf` throws for
 * `component(n)` / `removeComponent(n)` with `n === numComponents()` (its index check lets `n`
 * through and the slot is empty). The message is the JDK 17 helpful-NPE text.
 */
export class NullPointerException extends HarnessError {
  override readonly name = 'NullPointerException';
  readonly code = 'ERR_NULL_POINTER';
}


/**
 * Netty's `IllegalReferenceCountException`. The first line of `message` is Netty's exact text:
 * `refCnt: 0` (access after free), `refCnt: 0, increment: N` (retain after free) or
 * `refCnt: C, decrement: N` (release below zero). When the buffer was tracked with records, the
 * following lines say which buffer it was, where it was first (finally) released and where it was
 * created (frames quoted as `    ↳ fn (file:line:col)`, a layout jest prints in place); the same
 * facts are on `bufferId`, `releasedAt` and `createdAt`.
 */
export class IllegalReferenceCountException extends HarnessError {
  override readonly name = 'IllegalReferenceCountException';
  readonly code = 'ERR_ILLEGAL_REFERENCE_COUNT';
  /** The reference count when the misuse happened. */
  readonly refCnt: number;
  /** `+n` for a retain, `-n` for a release, 0 for an access. */
  readonly delta: number;
  /** Ledger id of the buffer, when it was tracked. */
  readonly bufferId: number | undefined;
  /** Formatted stack of the final release, when records were kept. */
  readonly releasedAt: string | undefined;
  /** Formatted stack of the buffer's creation, when records were kept. */
  readonly createdAt: string | undefined;

  constructor(
    refCnt: number,
    delta: number,
    detail?: { bufferId?: number; describe?: string; releasedAt?: string; createdAt?: string },
  ) {
    let message = IllegalReferenceCountException.nettyMessage(refCnt, delta);
    if (detail?.describe !== undefined) message += `\n${detail.describe}`;
    if (detail?.releasedAt !== undefined) message += `\nFirst released at:\n${detail.releasedAt}`;
    if (detail?.createdAt !== undefined) message += `\nCreated at:\n${detail.createdAt}`;
    super(message);
    this.refCnt = refCnt;
    this.delta = delta;
    this.bufferId = detail?.bufferId;
    this.releasedAt = detail?.releasedAt;
    this.createdAt = detail?.createdAt;
    this.startStackAtCaller();
  }

  /** Netty's message for the given count and delta, without the tracking detail. */
  static nettyMessage(refCnt: number, delta: number): string {
    if (delta > 0) return `refCnt: ${refCnt}, increment: ${delta}`;
    if (delta < 0) return `refCnt: ${refCnt}, decrement: ${-delta}`;
    return `refCnt: ${refCnt}`;
  }
}

/** The object cannot do this at all, e.g. `array()` on a direct buffer (Java's `UnsupportedOperationException`). */
export class UnsupportedOperationException extends HarnessError {
  override readonly name: string = 'UnsupportedOperationException';
  readonly code: string = 'ERR_UNSUPPORTED_OPERATION';
}

/**
 * A write was attempted on a read-only buffer (Java's `java.nio.ReadOnlyBufferException`, an
 * `UnsupportedOperationException`). Netty and the JDK throw it without a message (Java's `null`,
 * here `''`).
 */
export class ReadOnlyBufferException extends UnsupportedOperationException {
  override readonly name = 'ReadOnlyBufferException';
  override readonly code = 'ERR_READ_ONLY_BUFFER';
  constructor(message = '') {
    super(message);
  }
}

/**
 * Java's `java.nio.BufferUnderflowException`: a relative get past a `ByteBuffer`'s limit. The JDK
 * throws it without a message (here `''`).
 */
export class BufferUnderflowException extends HarnessError {
  override readonly name = 'BufferUnderflowException';
  readonly code = 'ERR_BUFFER_UNDERFLOW';
  constructor(message = '') {
    super(message);
  }
}

/**
 * Java's `java.nio.BufferOverflowException`: a relative put past a `ByteBuffer`'s limit. The JDK
 * throws it without a message (here `''`).
 */
export class BufferOverflowException extends HarnessError {
  override readonly name = 'BufferOverflowException';
  readonly code = 'ERR_BUFFER_OVERFLOW';
  constructor(message = '') {
    super(message);
  }
}

/**
 * Java's `java.nio.InvalidMarkException` (an `IllegalStateException`): `reset()` of a `ByteBuffer`
 * whose mark is not set. The JDK throws it without a message (here `''`).
 */
export class InvalidMarkException extends IllegalStateException {
  override readonly name = 'InvalidMarkException';
  override readonly code = 'ERR_INVALID_MARK';
  constructor(message = '') {
    super(message);
  }
}
