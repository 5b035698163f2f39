/**
 * @internal A first-in, first-out queue whose items can also leave from the middle in O(1): a
 * doubly linked list, where `push` returns the item's node and `remove(node)` unlinks it. For the
 * channel's waiting consumers, any of which may time out: with an array, each timeout cost a
 * search and a splice (O(n)), so n timeouts cost O(n^2).
 */

/** The handle `push` returns: pass it to {@link LinkedQueue.remove}. */
export interface QueueNode<T> {
  readonly value: T;
}

/** A linked node; `queue` is null once the node left (so a second removal is a no-op). */
interface Link<T> extends QueueNode<T> {
  prev: Link<T> | null;
  next: Link<T> | null;
  queue: LinkedQueue<T> | null;
}

export class LinkedQueue<T> {
  private head: Link<T> | null = null;
  private tail: Link<T> | null = null;
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** Appends `value`; the returned node removes it later in O(1). */
  push(value: T): QueueNode<T> {
    const link: Link<T> = { value, prev: this.tail, next: null, queue: this };
    if (this.tail === null) this.head = link;
    else this.tail.next = link;
    this.tail = link;
    this.size++;
    return link;
  }

  /** The oldest value, removed; undefined when empty. */
  shift(): T | undefined {
    const link = this.head;
    if (link === null) return undefined;
    this.unlink(link);
    return link.value;
  }

  /** Removes the node's value wherever it is, in O(1). False if it already left this queue. */
  remove(node: QueueNode<T>): boolean {
    const link = node as Link<T>;
    if (link.queue !== this) return false;
    this.unlink(link);
    return true;
  }

  /** Empties the queue and returns its values, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let link = this.head; link !== null; link = this.head) {
      this.unlink(link);
      out.push(link.value);
    }
    return out;
  }

  private unlink(link: Link<T>): void {
    if (link.prev === null) this.head = link.next;
    else link.prev.next = link.next;
    if (link.next === null) this.tail = link.prev;
    else link.next.prev = link.prev;
    link.prev = link.next = null;
    link.queue = null;
    this.size--;
  }
}
