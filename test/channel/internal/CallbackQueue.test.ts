/**
 * The channels' callback runner: callbacks in the order asked for, never one inside another, the
 * release after each callback even when it throws, the first error rethrown once every call ran.
 */
import { ByteBuffer, Unpooled } from '../../../harness';
import { CallbackQueue } from '../../../channel/internal/CallbackQueue';
import { cleanly, useParanoidLedger } from '../helpers';

useParanoidLedger();

describe('CallbackQueue', () => {
  test('a call made from a callback runs after it returns, in order, at depth 1', () => {
    const queue = new CallbackQueue();
    const log: string[] = [];
    let depth = 0;
    const cb = (name: string, then?: () => void) => (n: number, e: Error | null) => {
      depth++;
      log.push(`${name}:${n}:${e?.message ?? 'ok'}:depth ${depth}`);
      then?.();
      log.push(`${name} returns`);
      depth--;
    };
    queue.call(
      cb('a', () => {
        queue.call(cb('b'), 2, null);
        queue.call(cb('c'), 3, new Error('x'));
        log.push('a after its calls');
      }),
      1,
      null,
    );
    expect(log).toEqual(['a:1:ok:depth 1', 'a after its calls', 'a returns', 'b:2:ok:depth 1', 'b returns', 'c:3:x:depth 1', 'c returns']);
  });

  test('enqueue runs nothing; flush runs it, also from inside a callback (what close() relies on)', () => {
    const queue = new CallbackQueue();
    const log: string[] = [];
    queue.enqueue(() => log.push('a'), 0, null);
    expect(log).toEqual([]);
    queue.call(() => {
      queue.enqueue(() => log.push('c'), 0, null);
      queue.flush();
      log.push('b after flush');
    }, 0, null);
    // The call ran the queued 'a' before its own callback; flush inside that one ran 'c' at once.
    expect(log).toEqual(['a', 'c', 'b after flush']);
  });

  test('a throwing callback: its release still happens, the later calls run, the first error is rethrown once', async () => {
    await cleanly('callback-queue-throws', () => {
      const queue = new CallbackQueue();
      const wrappers = [0, 1, 2].map(() => Unpooled.wrappedBuffer(ByteBuffer.allocate(8)));
      const ran: number[] = [];
      wrappers.forEach((w, i) =>
        queue.enqueue(
          () => {
            ran.push(i);
            if (i < 2) throw new Error(`callback ${i} failed`);
          },
          0,
          null,
          w,
        ),
      );
      expect(() => queue.flush()).toThrow('callback 0 failed');
      expect([ran, wrappers.map((w) => w.refCnt())]).toEqual([[0, 1, 2], [0, 0, 0]]);
      // Nothing left over, and the queue is not stuck "running": the next call runs at once.
      let later = 0;
      queue.call(() => later++, 0, null);
      expect(later).toBe(1);
    });
  });
});
