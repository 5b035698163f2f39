/**
 * A Java NIO-like `ByteBuffer`: a window (position, limit, capacity) over a `Uint8Array`, heap or
 * "direct". It is **not** reference counted: it lives as long as something references it, exactly
 * like `java.nio.ByteBuffer`. Method names and overloads follow Java's.
 * @packageDocumentation
 */
import { IllegalArgumentException, IndexOutOfBoundsException, ReadOnlyBufferException, UnsupportedOperationException } from '../errors';
import { checkNonNegativeInteger, checkRange, toByteStrict } from '../internal/checks';

const NO_BYTES = new Uint8Array(0);

/** Java's `java.nio.BufferUnderflowException`. */
export class BufferUnderflowException extends IndexOutOfBoundsException {
  constructor(message = 'not enough remaining bytes') {
    super(message);
  }
}

/** Java's `java.nio.BufferOverflowException`. */
export class BufferOverflowException extends IndexOutOfBoundsException {
  constructor(message = 'not enough remaining space') {
    super(message);
  }
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
    checkNonNegativeInteger(capacity, 'capacity');
    const array = new Uint8Array(capacity);
    return new ByteBuffer(array, false, false, array, 0);
  }

  /** A new direct buffer of `capacity` zero bytes. */
  static allocateDirect(capacity: number): ByteBuffer {
    checkNonNegativeInteger(capacity, 'capacity');
    return new ByteBuffer(new Uint8Array(capacity), true, false, null, 0);
  }

  /**
   * A heap buffer over the caller's array (shared, not copied). With `offset`/`length`, position
   * is `offset` and limit `offset + length`, as in Java.
   */
  static wrap(array: Uint8Array, offset = 0, length?: number): ByteBuffer {
    // Checked before `array.length` is read, so `wrap(null)` is a typed error, not a TypeError.
    if (!(array instanceof Uint8Array)) {
      throw new IllegalArgumentException(`array: expected a Uint8Array, got ${describeValue(array)}`);
    }
    const len = length ?? array.length - offset;
    checkRange(offset, len, array.length);
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
    checkNonNegativeInteger(newPosition, 'newPosition');
    if (newPosition > this.lim) {
      throw new IllegalArgumentException(`newPosition > limit: (${newPosition} > ${this.lim})`);
    }
    if (this.mrk > newPosition) this.mrk = -1;
    this.pos = newPosition;
    return this;
  }

  /** The limit, or (with an argument) sets it and returns this buffer. */
  limit(): number;
  limit(newLimit: number): this;
  limit(newLimit?: number): number | this {
    if (newLimit === undefined) return this.lim;
    checkNonNegativeInteger(newLimit, 'newLimit');
    if (newLimit > this.memory.length) {
      throw new IllegalArgumentException(`newLimit > capacity: (${newLimit} > ${this.memory.length})`);
    }
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

  /** The backing array of a writable heap buffer (Java's `array()`); throws otherwise. */
  array(): Uint8Array {
    if (this.readOnly) throw new ReadOnlyBufferException();
    if (this.backingArray === null) throw new UnsupportedOperationException('array() on a direct buffer');
    return this.backingArray;
  }

  /** Offset of this buffer's index 0 within `array()`. */
  arrayOffset(): number {
    if (this.readOnly) throw new ReadOnlyBufferException();
    if (this.backingArray === null) throw new UnsupportedOperationException('arrayOffset() on a direct buffer');
    return this.offsetInArray;
  }

  mark(): this {
    this.mrk = this.pos;
    return this;
  }

  reset(): this {
    if (this.mrk < 0) throw new IllegalArgumentException('mark is not set (InvalidMarkException)');
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

  /** Relative get of one byte, or absolute with an index; or bulk into `dst`. Bytes are unsigned (0-255). */
  get(): number;
  get(index: number): number;
  get(dst: Uint8Array, offset?: number, length?: number): this;
  get(arg?: number | Uint8Array, offset?: number, length?: number): number | this {
    if (arg === undefined) {
      if (this.pos >= this.lim) throw new BufferUnderflowException();
      return this.memory[this.pos++]!;
    }
    if (typeof arg === 'number') {
      this.checkIndex(arg, 1);
      return this.memory[arg]!;
    }
    if (!(arg instanceof Uint8Array)) {
      throw new IllegalArgumentException(`dst: expected an index or a Uint8Array, got ${describeValue(arg)}`);
    }
    const off = offset ?? 0;
    const len = length ?? arg.length - off;
    checkRange(off, len, arg.length);
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
    if (this.readOnly) throw new ReadOnlyBufferException();
    if (typeof arg === 'number') {
      if (second === undefined) {
        const b = toByteStrict(arg);
        if (this.pos >= this.lim) throw new BufferOverflowException();
        this.memory[this.pos++] = b;
      } else {
        this.checkIndex(arg, 1);
        this.memory[arg] = toByteStrict(second);
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
    checkRange(off, len, arg.length);
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

  /** A new buffer over the remaining bytes (shared memory, own indices). */
  slice(): ByteBuffer;
  slice(index: number, length: number): ByteBuffer;
  slice(index?: number, length?: number): ByteBuffer {
    const start = index ?? this.pos;
    const len = length ?? this.lim - this.pos;
    checkRange(start, len, index === undefined ? this.lim : this.memory.length);
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

  private checkIndex(index: number, length: number): void {
    if (!Number.isInteger(index) || index < 0 || index + length > this.lim) {
      throw new IndexOutOfBoundsException(`index: ${index} (expected: range(0, ${this.lim}))`);
    }
  }
}

/** A short description of any value, for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}
