/**
 * A Java NIO-like `ByteBuffer`: a window (position, limit, capacity) over a `Uint8Array`, heap or
 * "direct". It is **not** reference counted: it lives as long as something references it, exactly
 * like `java.nio.ByteBuffer`. Method names, overloads, error classes, check order and messages
 * follow JDK 17's (`java.nio.BufferOverflowException` and friends, mostly without a message).
 * @packageDocumentation
 */
import {
  BufferOverflowException,
  BufferUnderflowException,
  IllegalArgumentException,
  IndexOutOfBoundsException,
  InvalidMarkException,
  ReadOnlyBufferException,
  UnsupportedOperationException,
} from '../errors';
import { checkFromIndexSize, toByteStrict } from '../internal/checks';

export { BufferOverflowException, BufferUnderflowException } from '../errors';

const NO_BYTES = new Uint8Array(0);

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** The JDK's `Buffer.allocate` check: `capacity < 0: (-1 < 0)`. */
function checkCapacity(capacity: unknown): number {
  if (!isInt(capacity)) throw new IllegalArgumentException(`capacity: ${String(capacity)} (expected: an integer)`);
  if (capacity < 0) throw new IllegalArgumentException(`capacity < 0: (${capacity} < 0)`);
  return capacity;
}

/**
 * A byte buffer with Java NIO semantics: `0 <= mark <= position <= limit <= capacity`.
 * `allocate` gives a heap buffer with an accessible array, `allocateDirect` a direct buffer (no
 * accessible array), `wrap` a heap buffer over the caller's array (no copy).
 */
export class ByteBuffer {
  /** The bytes this buffer spans: index 0 here is index 0 of the buffer. */
  private readonly memory: Uint8Array;
  private readonly direct: boolean;
  private readonly readOnly: boolean;
  /** Offset of `memory` inside the array returned by `array()` (heap buffers). */
  private readonly offsetInArray: number;
  private readonly backingArray: Uint8Array | null;
  private pos = 0;
  private lim: number;
  private mrk = -1;

  /** @internal Use the static factories. */
  constructor(memory: Uint8Array, direct: boolean, readOnly: boolean, backingArray: Uint8Array | null, offsetInArray: number) {
    this.memory = memory;
    this.direct = direct;
    this.readOnly = readOnly;
    this.backingArray = backingArray;
    this.offsetInArray = offsetInArray;
    this.lim = memory.length;
  }

  /** A new heap buffer of `capacity` zero bytes. */
  static allocate(capacity: number): ByteBuffer {
    checkCapacity(capacity);
    const array = new Uint8Array(capacity);
    return new ByteBuffer(array, false, false, array, 0);
  }

  /** A new direct buffer of `capacity` zero bytes. */
  static allocateDirect(capacity: number): ByteBuffer {
    checkCapacity(capacity);
    return new ByteBuffer(new Uint8Array(capacity), true, false, null, 0);
  }

  /**
   * A heap buffer over the caller's array (shared, not copied). With `offset`/`length`, position
   * is `offset` and limit `offset + length`, as in Java; a range outside the array is the JDK's
   * `IndexOutOfBoundsException` without a message.
   */
  static wrap(array: Uint8Array, offset = 0, length?: number): ByteBuffer {
    // Checked before `array.length` is read, so `wrap(null)` is a typed error, not a TypeError.
    if (!(array instanceof Uint8Array)) {
      throw new IllegalArgumentException(`array: expected a Uint8Array, got ${describeValue(array)}`);
    }
    const len = length ?? array.length - offset;
    if (!isInt(offset) || !isInt(len) || offset < 0 || len < 0 || offset > array.length - len) throw new IndexOutOfBoundsException('');
    const buf = new ByteBuffer(array, false, false, array, 0);
    buf.pos = offset;
    buf.lim = offset + len;
    return buf;
  }

  /** The shared empty heap buffer's equivalent: a new zero-capacity heap buffer. */
  static empty(): ByteBuffer {
    return new ByteBuffer(NO_BYTES, false, false, NO_BYTES, 0);
  }

  capacity(): number {
    return this.memory.length;
  }

  /** The position, or (with an argument) sets it and returns this buffer. */
  position(): number;
  position(newPosition: number): this;
  position(newPosition?: number): number | this {
    if (newPosition === undefined) return this.pos;
    if (!isInt(newPosition)) throw new IllegalArgumentException(`newPosition: ${String(newPosition)} (expected: an integer)`);
    if (newPosition > this.lim) throw new IllegalArgumentException(`newPosition > limit: (${newPosition} > ${this.lim})`);
    if (newPosition < 0) throw new IllegalArgumentException(`newPosition < 0: (${newPosition} < 0)`);
    if (this.mrk > newPosition) this.mrk = -1;
    this.pos = newPosition;
    return this;
  }

  /** The limit, or (with an argument) sets it and returns this buffer. */
  limit(): number;
  limit(newLimit: number): this;
  limit(newLimit?: number): number | this {
    if (newLimit === undefined) return this.lim;
    if (!isInt(newLimit)) throw new IllegalArgumentException(`newLimit: ${String(newLimit)} (expected: an integer)`);
    if (newLimit > this.memory.length) throw new IllegalArgumentException(`newLimit > capacity: (${newLimit} > ${this.memory.length})`);
    if (newLimit < 0) throw new IllegalArgumentException(`newLimit < 0: (${newLimit} < 0)`);
    this.lim = newLimit;
    if (this.pos > newLimit) this.pos = newLimit;
    if (this.mrk > newLimit) this.mrk = -1;
    return this;
  }

  remaining(): number {
    return this.lim - this.pos;
  }

  hasRemaining(): boolean {
    return this.pos < this.lim;
  }

  isDirect(): boolean {
    return this.direct;
  }

  isReadOnly(): boolean {
    return this.readOnly;
  }

  /** True for writable heap buffers, whose `array()` can be read. */
  hasArray(): boolean {
    return this.backingArray !== null && !this.readOnly;
  }

  /**
   * The backing array of a writable heap buffer (Java's `array()`); a direct buffer (read-only or
   * not) throws `UnsupportedOperationException`, a read-only heap buffer `ReadOnlyBufferException`.
   */
  array(): Uint8Array {
    if (this.backingArray === null) throw new UnsupportedOperationException('');
    if (this.readOnly) throw new ReadOnlyBufferException();
    return this.backingArray;
  }

  /** Offset of this buffer's index 0 within `array()`; throws as `array()` does. */
  arrayOffset(): number {
    if (this.backingArray === null) throw new UnsupportedOperationException('');
    if (this.readOnly) throw new ReadOnlyBufferException();
    return this.offsetInArray;
  }

  mark(): this {
    this.mrk = this.pos;
    return this;
  }

  reset(): this {
    if (this.mrk < 0) throw new InvalidMarkException();
    this.pos = this.mrk;
    return this;
  }

  clear(): this {
    this.pos = 0;
    this.lim = this.memory.length;
    this.mrk = -1;
    return this;
  }

  flip(): this {
    this.lim = this.pos;
    this.pos = 0;
    this.mrk = -1;
    return this;
  }

  rewind(): this {
    this.pos = 0;
    this.mrk = -1;
    return this;
  }

  /**
   * Relative get of one byte, or absolute with an index; or bulk into `dst`. A byte is signed
   * (-128..127), as Java's `byte`.
   */
  get(): number;
  get(index: number): number;
  get(dst: Uint8Array, offset?: number, length?: number): this;
  get(arg?: number | Uint8Array, offset?: number, length?: number): number | this {
    if (arg === undefined) {
      if (this.pos >= this.lim) throw new BufferUnderflowException();
      return (this.memory[this.pos++]! << 24) >> 24;
    }
    if (typeof arg === 'number') {
      this.checkIndex(arg);
      return (this.memory[arg]! << 24) >> 24;
    }
    if (!(arg instanceof Uint8Array)) {
      throw new IllegalArgumentException(`dst: expected an index or a Uint8Array, got ${describeValue(arg)}`);
    }
    const off = offset ?? 0;
    const len = length ?? arg.length - off;
    checkFromIndexSize(off, len, arg.length);
    if (len > this.remaining()) throw new BufferUnderflowException();
    arg.set(this.memory.subarray(this.pos, this.pos + len), off);
    this.pos += len;
    return this;
  }

  /**
   * Relative put of one byte (`put(b)`), absolute put (`put(index, b)`), or bulk put of a
   * `Uint8Array` or the remaining bytes of another `ByteBuffer`.
   */
  put(value: number): this;
  put(index: number, value: number): this;
  put(src: Uint8Array | ByteBuffer, offset?: number, length?: number): this;
  put(arg: number | Uint8Array | ByteBuffer, second?: number, third?: number): this {
    // The JDK's direct read-only buffer checks `src == this` before it is read-only.
    if (arg === this && this.direct) throw new IllegalArgumentException('The source buffer is this buffer');
    if (this.readOnly) throw new ReadOnlyBufferException();
    if (typeof arg === 'number') {
      if (second === undefined) {
        const b = toByteStrict(arg);
        if (this.pos >= this.lim) throw new BufferOverflowException();
        this.memory[this.pos++] = b;
      } else {
        const b = toByteStrict(second);
        this.checkIndex(arg);
        this.memory[arg] = b;
      }
      return this;
    }
    if (arg instanceof ByteBuffer) {
      if (arg === this) throw new IllegalArgumentException('The source buffer is this buffer');
      const n = arg.remaining();
      if (n > this.remaining()) throw new BufferOverflowException();
      this.memory.set(arg.memory.subarray(arg.pos, arg.lim), this.pos);
      arg.pos += n;
      this.pos += n;
      return this;
    }
    if (!(arg instanceof Uint8Array)) {
      throw new IllegalArgumentException(`src: expected a Uint8Array or ByteBuffer, got ${describeValue(arg)}`);
    }
    const off = second ?? 0;
    const len = third ?? arg.length - off;
    checkFromIndexSize(off, len, arg.length);
    if (len > this.remaining()) throw new BufferOverflowException();
    this.memory.set(arg.subarray(off, off + len), this.pos);
    this.pos += len;
    return this;
  }

  /**
   * Java's `compact()`: moves the remaining bytes to index 0, then position = their count and
   * limit = capacity (ready to be filled again); the mark is discarded.
   */
  compact(): this {
    if (this.readOnly) throw new ReadOnlyBufferException();
    const n = this.lim - this.pos;
    this.memory.copyWithin(0, this.pos, this.lim);
    this.pos = n;
    this.lim = this.memory.length;
    this.mrk = -1;
    return this;
  }

  /**
   * A new buffer over the remaining bytes, or over `[index, index + length)` of what lies before
   * the limit (shared memory, own indices).
   */
  slice(): ByteBuffer;
  slice(index: number, length: number): ByteBuffer;
  slice(index?: number, length?: number): ByteBuffer {
    const start = index ?? this.pos;
    const len = length ?? this.lim - this.pos;
    if (index !== undefined) checkFromIndexSize(start, len, this.lim);
    return new ByteBuffer(this.memory.subarray(start, start + len), this.direct, this.readOnly, this.backingArray, this.offsetInArray + start);
  }

  /** A new buffer over the same memory with the same indices (shared memory, own indices). */
  duplicate(): ByteBuffer {
    return this.derive(this.readOnly);
  }

  /** A read-only view over the same memory with the same indices. */
  asReadOnlyBuffer(): ByteBuffer {
    return this.derive(true);
  }

  /** A copy of the remaining bytes (a test convenience; not in Java's API). */
  toUint8Array(): Uint8Array {
    return this.memory.slice(this.pos, this.lim);
  }

  /** @internal The remaining bytes as a view over this buffer's memory (no copy). Used by wrappers. */
  remainingView(): Uint8Array {
    return this.memory.subarray(this.pos, this.lim);
  }

  toString(): string {
    const kind = this.direct ? 'DirectByteBuffer' : 'HeapByteBuffer';
    return `java.nio.${kind}${this.readOnly ? 'R' : ''}[pos=${this.pos} lim=${this.lim} cap=${this.memory.length}]`;
  }

  private derive(readOnly: boolean): ByteBuffer {
    const copy = new ByteBuffer(this.memory, this.direct, readOnly, this.backingArray, this.offsetInArray);
    copy.pos = this.pos;
    copy.lim = this.lim;
    copy.mrk = this.mrk;
    return copy;
  }

  /** The JDK's `checkIndex`: a bare `IndexOutOfBoundsException` outside `[0, limit)`. */
  private checkIndex(index: number): void {
    if (!isInt(index) || index < 0 || index >= this.lim) throw new IndexOutOfBoundsException('');
  }
}

/** A short description of any value, for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}
