/**
 * @internal A first-in, first-out queue with O(1) `push` and `shift`, for the channel's chunk
 * queues (`Array.prototype.shift` is O(n)). A ring buffer whose capacity doubles when full and
 * never shrinks: a queue that fills and empties once per chunk (the channel's steady state)
 * allocates nothing, where an array reset to `[]` on empty was reallocated and regrown each time.
 */

/** First capacity: a power of two, so the ring index is a mask. */
const INITIAL_CAPACITY = 8;

export class Fifo<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(INITIAL_CAPACITY).fill(undefined);
  /** Index of the oldest item. */
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) & (this.items.length - 1)] = item;
    this.size++;
  }

  /** The oldest item, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    // Cleared so the queue does not keep a removed item (and its buffer) reachable.
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.size--;
    return item;
  }

  /** Empties the queue and returns its items, oldest first. */
  drain(): T[] {
    const out = new Array<T>(this.size);
    for (let i = 0; i < out.length; i++) out[i] = this.shift()!;
    this.head = 0;
    return out;
  }

  /** Doubles the capacity, the items unwrapped to start at index 0. */
  private grow(): void {
    const old = this.items;
    const items = new Array<T | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.size; i++) items[i] = old[(this.head + i) & (old.length - 1)];
    this.items = items;
    this.head = 0;
  }
}
