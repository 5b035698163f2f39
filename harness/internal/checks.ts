/** @internal Argument checks shared by the buffer classes; each throws a typed error naming the argument. */
import { IllegalArgumentException, IndexOutOfBoundsException } from '../errors';

/** Throws unless `value` is an integer >= 0 (Netty's `checkPositiveOrZero` and its text). */
export function checkNonNegativeInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new IllegalArgumentException(`${name}: ${String(value)} (expected: >= 0)`);
  }
  return value;
}

/** Throws unless `value` is an integer > 0 (Netty's `checkPositive`). */
export function checkPositiveInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new IllegalArgumentException(`${name}: ${String(value)} (expected: > 0)`);
  }
  return value;
}

/** Throws unless `value` is an integer (a Java `int` argument; out-of-range values are cut as Java casts do). */
export function checkInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new IllegalArgumentException(`${name}: ${String(value)} (expected: an integer)`);
  }
  return value;
}

/**
 * Throws unless `[index, index + length)` lies within `[0, capacity)`, with Netty's text:
 * `<what>: 2, length: 5 (expected: range(0, 4))` (`what` is `index`, `srcIndex` or `dstIndex`).
 */
export function checkRange(index: number, length: number, capacity: number, what = 'index'): void {
  if (
    !Number.isInteger(index) || !Number.isInteger(length) ||
    index < 0 || length < 0 || index + length > capacity
  ) {
    throw new IndexOutOfBoundsException(
      `${what}: ${index}, length: ${length} (expected: range(0, ${capacity}))`,
    );
  }
}

/** Throws unless `value` is an integer; returns its low 8 bits (Java's `(byte)` cast, kept unsigned). */
export function toByte(value: unknown, name = 'value'): number {
  return checkInt(value, name) & 0xff;
}

/** Throws unless `value` is an integer >= 0, in the words of the NIO model (`ByteBuffer`). */
export function checkNonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new IllegalArgumentException(`${name}: ${String(value)} (expected: an integer >= 0)`);
  }
  return value;
}

/** Throws unless `value` is a byte value (-128..255, Java's signed literals included); returns it unsigned. */
export function toByteStrict(value: unknown, name = 'value'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -128 || value > 255) {
    throw new IllegalArgumentException(`${name}: ${String(value)} (expected: an integer in [-128, 255])`);
  }
  return value & 0xff;
}

/** The JDK's `Objects.checkFromIndexSize`, with its text: `Range [2, 2 + 5) out of bounds for length 4`. */
export function checkFromIndexSize(offset: number, size: number, length: number): void {
  if (!Number.isInteger(offset) || !Number.isInteger(size) || offset < 0 || size < 0 || offset > length - size) {
    throw new IndexOutOfBoundsException(`Range [${offset}, ${offset} + ${size}) out of bounds for length ${length}`);
  }
}
