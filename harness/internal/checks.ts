/** @internal Argument checks shared by the buffer classes; each throws a typed error naming the argument. */
import { IllegalArgumentException, IndexOutOfBoundsException } from '../errors';

/** Throws unless `value` is an integer >= 0. */
export function checkNonNegativeInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new IllegalArgumentException(`${name}: ${String(value)} (expected: an integer >= 0)`);
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

/** Throws unless `[index, index + length)` lies within `[0, capacity)`. */
export function checkRange(index: number, length: number, capacity: number): void {
  if (
    !Number.isInteger(index) || !Number.isInteger(length) ||
    index < 0 || length < 0 || index + length > capacity
  ) {
    throw new IndexOutOfBoundsException(
      `index: ${index}, length: ${length} (expected: range(0, ${capacity}))`,
    );
  }
}

/** Throws unless `value` is an integer byte value; returns it as an unsigned byte. */
export function toByte(value: unknown, name = 'value'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -128 || value > 255) {
    throw new IllegalArgumentException(`${name}: ${String(value)} (expected: an integer in [-128, 255])`);
  }
  return value & 0xff;
}
