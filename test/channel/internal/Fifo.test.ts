/**
 * The chunk queues' ring buffer: first in, first out across wrap-around and growth. A model-based
 * property: random pushes, shifts and drains, compared step by step with a plain array.
 */
import fc from 'fast-check';
import { Fifo } from '../../../channel/internal/Fifo';

const SEED = 20261202;

type Op = { t: 'push'; count: number } | { t: 'shift'; count: number } | { t: 'drain' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('push' as const), count: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('shift' as const), count: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'drain' as const }) },
);

describe('Fifo', () => {
  test('push, shift and drain keep first-in, first-out order; an empty queue shifts undefined', () => {
    const queue = new Fifo<string>();
    expect([queue.length, queue.shift()]).toEqual([0, undefined]);
    queue.push('a');
    queue.push('b');
    queue.push('c');
    expect([queue.length, queue.shift(), queue.length]).toEqual([3, 'a', 2]);
    expect(queue.drain()).toEqual(['b', 'c']);
    expect([queue.length, queue.shift(), queue.drain()]).toEqual([0, undefined, []]);
  });

  test('order survives growth while the items wrap around the end of the ring', () => {
    const queue = new Fifo<number>();
    for (let i = 0; i < 6; i++) queue.push(i);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([0, 1, 2, 3]);
    // 4 and 5 sit at the end of the first ring; these wrap to its start, then grow it twice.
    for (let i = 6; i < 40; i++) queue.push(i);
    expect(queue.length).toBe(36);
    expect(queue.drain()).toEqual(Array.from({ length: 36 }, (_, i) => i + 4));
  });

  test('filled and emptied 100,000 times, one item at a time, it stays in order and empty after', () => {
    const queue = new Fifo<number>();
    let out = 0;
    for (let i = 0; i < 100_000; i++) {
      queue.push(i);
      out += queue.shift() === i ? 1 : 0;
    }
    expect([out, queue.length, queue.shift()]).toEqual([100_000, 0, undefined]);
  });

  test('property: 1,000 random sequences of push/shift/drain give what an array gives', () => {
    /** Every value each op gives out, and the length after it, as the queue and as the array model. */
    const trace = (ops: Op[], queue: { push(v: number): void; shift(): number | undefined; drain(): number[]; length: number }): unknown[] => {
      const out: unknown[] = [];
      let next = 0;
      for (const o of ops) {
        if (o.t === 'push') for (let i = 0; i < o.count; i++) queue.push(next++);
        else if (o.t === 'shift') for (let i = 0; i < o.count; i++) out.push(queue.shift());
        else out.push(queue.drain());
        out.push(queue.length);
      }
      return out;
    };
    const arrayModel = () => {
      const items: number[] = [];
      return { push: (v: number) => void items.push(v), shift: () => items.shift(), drain: () => items.splice(0), get length() { return items.length; } };
    };
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), (ops) => {
        expect(trace(ops, new Fifo<number>())).toEqual(trace(ops, arrayModel()));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
