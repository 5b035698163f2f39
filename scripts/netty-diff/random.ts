/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence of numbers on every
 * machine and Node version, so a generated sequence reruns exactly from its seed.
 * @packageDocumentation
 */

/** Seeded pseudo-random numbers. */
export class Mulberry32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A signed 32-bit integer, uniform over Java's `int`. */
  int32(): number {
    return this.nextUint32() | 0;
  }

  /** A signed 64-bit integer, uniform over Java's `long`. */
  int64(): bigint {
    return BigInt.asIntN(64, (BigInt(this.nextUint32()) << 32n) | BigInt(this.nextUint32()));
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}
