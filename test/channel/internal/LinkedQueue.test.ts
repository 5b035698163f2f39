/**
 * The waiting consumers' queue: first in, first out, and O(1) removal from anywhere (a timeout).
 * A model-based property: random pushes, shifts, removals of random nodes (live or already gone)
 * and drains, compared step by step with a plain array.
 */
import fc from 'fast-check';
import { LinkedQueue, type QueueNode } from '../../../channel/internal/LinkedQueue';

const SEED = 20261201;

type Op =
  | { t: 'push' }
  | { t: 'shift' }
  | { t: 'remove'; pick: number }
  | { t: 'drain' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ t: 'push' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'shift' as const }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('remove' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'drain' as const }) },
);

describe('LinkedQueue', () => {
  test('push, shift and drain keep first-in, first-out order; an empty queue shifts undefined', () => {
    const queue = new LinkedQueue<string>();
    expect(queue.shift()).toBeUndefined();
    queue.push('a');
    queue.push('b');
    queue.push('c');
    expect([queue.length, queue.shift(), queue.length]).toEqual([3, 'a', 2]);
    expect(queue.drain()).toEqual(['b', 'c']);
    expect([queue.length, queue.shift()]).toEqual([0, undefined]);
  });

  test('remove takes a value from the head, the middle or the tail; a second removal is false', () => {
    const queue = new LinkedQueue<number>();
    const nodes = [1, 2, 3, 4, 5].map((v) => queue.push(v));
    expect([queue.remove(nodes[2]!), queue.remove(nodes[0]!), queue.remove(nodes[4]!)]).toEqual([true, true, true]);
    expect([queue.remove(nodes[2]!), queue.length]).toEqual([false, 2]);
    expect(queue.drain()).toEqual([2, 4]);
    // A node that left by shift or drain cannot be removed again either.
    expect(queue.remove(nodes[1]!)).toBe(false);
    queue.push(6);
    expect(queue.drain()).toEqual([6]);
  });

  test('a node of another queue is not removed', () => {
    const a = new LinkedQueue<number>();
    const b = new LinkedQueue<number>();
    const node = a.push(1);
    b.push(1);
    expect([b.remove(node), b.length, a.length]).toEqual([false, 1, 1]);
  });

  test('property: 1,000 random sequences of push/shift/remove/drain behave like an array', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const queue = new LinkedQueue<number>();
        const model: number[] = [];
        const nodes: Array<QueueNode<number>> = [];
        let next = 0;
        for (const o of ops) {
          switch (o.t) {
            case 'push':
              nodes.push(queue.push(next));
              model.push(next++);
              break;
            case 'shift':
              expect(queue.shift()).toBe(model.shift());
              break;
            case 'remove': {
              if (nodes.length === 0) break;
              const node = nodes[o.pick % nodes.length]!;
              const at = model.indexOf(node.value);
              expect(queue.remove(node)).toBe(at >= 0);
              if (at >= 0) model.splice(at, 1);
              break;
            }
            case 'drain':
              expect(queue.drain()).toEqual(model.splice(0));
              break;
          }
          expect(queue.length).toBe(model.length);
        }
        expect(queue.drain()).toEqual(model);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  test('100,000 nodes removed in random order leave it empty and reusable', () => {
    const queue = new LinkedQueue<number>();
    const nodes = Array.from({ length: 100_000 }, (_, i) => queue.push(i));
    // A fixed shuffle (Fisher-Yates on a small LCG), so a failure reproduces.
    let x = 12345;
    for (let i = nodes.length - 1; i > 0; i--) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const j = x % (i + 1);
      [nodes[i], nodes[j]] = [nodes[j]!, nodes[i]!];
    }
    const kept: number[] = [];
    let removed = 0;
    for (let i = 0; i < nodes.length; i++) {
      if (i % 10 === 0) kept.push(nodes[i]!.value);
      else if (queue.remove(nodes[i]!)) removed++;
    }
    expect([removed, queue.length]).toEqual([90_000, 10_000]);
    expect(queue.drain()).toEqual(kept.sort((a, b) => a - b));
    queue.push(-1);
    expect([queue.shift(), queue.length]).toEqual([-1, 0]);
  }, 60_000);
});
