/**
 * The channels survive abuse: close() re-entered from the Close listener or from a callback that
 * runs during close, chains of 100,000 callbacks that each trigger the next acknowledgement, and
 * 100,000 consumers timing out. Every case checks the exact counts (events, callback calls,
 * acknowledgements) and the exact ledger (buffers created, none live, no misuse).
 */
import { ByteBuffer, LeakDetection, type LeakScope } from '../../harness';
import {
  ByteBufferAsyncWritableChannel,
  ClosedChannelException,
  RetainingAsyncWritableChannel,
  type ChannelEvent,
  type WriteFuture,
} from '../../channel';
import { cleanly, nextTurn, testBytes, useParanoidLedger } from './helpers';

useParanoidLedger();

/** Long chains and many waiters: generous, because the machine running CI is slow and shared. */
const HEAVY_TIMEOUT_MS = 120_000;
const N = 100_000;

/**
 * `cleanly` at level `disabled` with the exact ledger: it still counts every buffer made and
 * released, without capturing a stack per buffer (at paranoid, the 100,000 wrappers of a chain
 * spend seconds in stacks alone).
 */
async function cleanlyWithoutStacks(name: string, fn: () => unknown): Promise<LeakScope> {
  const previous = LeakDetection.configure({ level: 'disabled', exactLedger: true });
  try {
    return await cleanly(name, fn);
  } finally {
    LeakDetection.configure(previous);
  }
}

/** The exact ledger of a finished scope: what it made, what is still live, the misuses. */
function ledgerOf(scope: LeakScope): { created: number; live: number; misuses: number } {
  return { created: scope.createdCount, live: scope.liveCount, misuses: scope.misuses.length };
}

describe('close() re-entered', () => {
  test('close() from the Close listener fires Close exactly once more, and does not recurse', async () => {
    await cleanly('close-from-listener', () => {
      const events: ChannelEvent[] = [];
      let closeCallsFromListener = 0;
      const callbacks: Array<[number, string | undefined]> = [];
      const channel = new ByteBufferAsyncWritableChannel((event) => {
        events.push(event);
        if (event === 'Close') {
          closeCallsFromListener++;
          channel.close();
        }
      });
      // A queued write whose callback closes too: still one callback, still two events.
      channel.write(ByteBuffer.wrap(testBytes(6)), (n, e) => {
        callbacks.push([n, e?.name]);
        channel.close();
      });
      channel.close();
      // The outer close() fired Close; the re-entrant close() calls (the callback's, the
      // listener's) made it fire once more; the listener's close() during that second event is absorbed.
      expect({ events, closeCallsFromListener, callbacks }).toEqual({
        events: ['Write', 'Close', 'Close'],
        closeCallsFromListener: 2,
        callbacks: [[0, 'ClosedChannelException']],
      });
      // A later close() from outside is a new call: two events again, no callback.
      channel.close();
      expect({ events: events.length, closeCallsFromListener, callbacks: callbacks.length }).toEqual({
        events: 5,
        closeCallsFromListener: 4,
        callbacks: 1,
      });
    });
  });

  test('close() from each write callback run by close(): each callback once, Close twice, both after every acknowledgement', async () => {
    await cleanly('close-from-callbacks-during-close', async () => {
      const calls: Array<[string, number, string | undefined]> = [];
      const atEachClose: Array<{ callbacks: number; futuresDone: number; waiterSettled: boolean }> = [];
      const futures: WriteFuture[] = [];
      let waiterSettled = false;
      const channel = new ByteBufferAsyncWritableChannel((event) => {
        if (event === 'Close') {
          atEachClose.push({ callbacks: calls.length, futuresDone: futures.filter((f) => f.isDone()).length, waiterSettled });
        }
      });
      for (const name of ['a', 'b', 'c']) {
        futures.push(
          channel.write(ByteBuffer.wrap(testBytes(10)), (n, e) => {
            calls.push([name, n, e?.name]);
            channel.close();
          }),
        );
      }
      // a and c checked out as chunks (read), b borrowed (not read); then a fourth consumer waits.
      expect((await channel.getNextChunk())!.remaining()).toBe(10);
      expect((await channel.getNextByteBuf())!.readableBytes()).toBe(10);
      expect((await channel.getNextChunk())!.remaining()).toBe(10);
      const waiting = channel.getNextChunk(60_000).then((v) => {
        waiterSettled = true;
        return v;
      });
      channel.close();
      expect(calls).toEqual([
        ['a', 10, 'ClosedChannelException'],
        ['b', 0, 'ClosedChannelException'],
        ['c', 10, 'ClosedChannelException'],
      ]);
      // Both events after all three acknowledgements; the waiter's promise settles on a later turn.
      expect(atEachClose).toEqual([
        { callbacks: 3, futuresDone: 3, waiterSettled: false },
        { callbacks: 3, futuresDone: 3, waiterSettled: false },
      ]);
      expect(await waiting).toBeNull();
    });
  });

  test('close() from a callback run by resolveOldestChunk: the queued writes are acknowledged before it returns, Close fires once', async () => {
    await cleanly('close-from-resolve-callback', async () => {
      const events: ChannelEvent[] = [];
      const channel = new ByteBufferAsyncWritableChannel((event) => events.push(event));
      const doneWhenCloseReturned: boolean[] = [];
      const futures: WriteFuture[] = [];
      futures.push(
        channel.write(ByteBuffer.wrap(testBytes(3)), () => {
          channel.close();
          doneWhenCloseReturned.push(futures[1]!.isDone(), futures[2]!.isDone());
        }),
      );
      futures.push(channel.write(ByteBuffer.wrap(testBytes(5))), channel.write(ByteBuffer.wrap(testBytes(7))));
      expect((await channel.getNextChunk())!.remaining()).toBe(3);
      channel.resolveOldestChunk(null);
      expect(doneWhenCloseReturned).toEqual([true, true]);
      expect(events).toEqual(['Write', 'Write', 'Write', 'Close']);
      expect(futures.map((f) => [f.result(), f.error()?.name])).toEqual([
        [3, undefined],
        [undefined, 'ClosedChannelException'],
        [undefined, 'ClosedChannelException'],
      ]);
    });
  });

  test('a Close listener that throws: the error reaches close()\'s caller, every write is still acknowledged', async () => {
    await cleanly('close-listener-throws', async () => {
      const channel = new ByteBufferAsyncWritableChannel((event) => {
        if (event === 'Close') throw new Error('listener failed');
      });
      const future = channel.write(ByteBuffer.wrap(testBytes(4)));
      expect(() => channel.close()).toThrow('listener failed');
      expect(future.error()).toBeInstanceOf(ClosedChannelException);
      expect(channel.isOpen()).toBe(false);
      // The channel is not left "closing": the next close() fires (and throws) again.
      expect(() => channel.close()).toThrow('listener failed');
    });
  });
});

/**
 * Writes `N` ByteBuffers of `size(i)` bytes, checks every one out with `getNextChunk` (so each
 * reports its full size), then resolves the first: from there each callback `onAck(i, ...)` drives
 * the chain. Returns the futures.
 */
async function chainOfWrites(
  channel: ByteBufferAsyncWritableChannel,
  size: (i: number) => number,
  onAck: (i: number, bytesWritten: number, error: Error | null) => void,
): Promise<WriteFuture[]> {
  const futures: WriteFuture[] = [];
  for (let i = 0; i < N; i++) futures.push(channel.write(ByteBuffer.wrap(testBytes(size(i), i)), (n, e) => onAck(i, n, e)));
  for (let i = 0; i < N; i++) await channel.getNextChunk();
  channel.resolveOldestChunk(null);
  return futures;
}

describe('chains of 100,000 callbacks', () => {
  test(
    'ByteBufferAsyncWritableChannel: each write callback resolves the next checked-out chunk; no stack overflow, every write acknowledged once, every wrapper released',
    async () => {
      const size = (i: number): number => 1 + (i % 7);
      const acks = new Uint32Array(N);
      const order: number[] = [];
      const bytes: number[] = [];
      let futuresOk = false;
      const scope = await cleanlyWithoutStacks('bbawc-chain', async () => {
        const channel = new ByteBufferAsyncWritableChannel();
        const futures = await chainOfWrites(channel, size, (i, n, e) => {
          acks[i]!++;
          order.push(i);
          bytes.push(e === null ? n : -1);
          channel.resolveOldestChunk(null);
        });
        futuresOk = futures.every((f, i) => f.result() === size(i));
        channel.close();
      });
      expect({ futuresOk, everyWriteOnce: acks.every((a) => a === 1) }).toEqual({ futuresOk: true, everyWriteOnce: true });
      expect(order).toEqual(Array.from({ length: N }, (_, i) => i));
      expect(bytes).toEqual(Array.from({ length: N }, (_, i) => size(i)));
      expect(ledgerOf(scope)).toEqual({ created: N, live: 0, misuses: 0 });
    },
    HEAVY_TIMEOUT_MS,
  );

  test(
    'ByteBufferAsyncWritableChannel: the same chain closes the channel halfway; the rest fail once each, Close fires once',
    async () => {
      const acks = new Uint32Array(N);
      const outcomes: string[] = [];
      const events: ChannelEvent[] = [];
      const scope = await cleanlyWithoutStacks('bbawc-chain-closes', async () => {
        const channel = new ByteBufferAsyncWritableChannel((event) => {
          if (event === 'Close') events.push(event);
        });
        await chainOfWrites(channel, () => 2, (i, n, e) => {
          acks[i]!++;
          outcomes.push(`${n}:${e?.name ?? 'ok'}`);
          if (i === N / 2 - 1) channel.close();
          else channel.resolveOldestChunk(null);
        });
      });
      expect(acks.every((a) => a === 1)).toBe(true);
      expect(outcomes).toEqual([...Array<string>(N / 2).fill('2:ok'), ...Array<string>(N / 2).fill('2:ClosedChannelException')]);
      expect(events).toEqual(['Close']);
      expect(ledgerOf(scope)).toEqual({ created: N, live: 0, misuses: 0 });
    },
    HEAVY_TIMEOUT_MS,
  );

  test(
    'RetainingAsyncWritableChannel: each write callback writes the next buffer; no stack overflow, every write acknowledged once, in order',
    async () => {
      const acks = new Uint32Array(N);
      const order: number[] = [];
      let content: Uint8Array | undefined;
      let total = 0;
      const scope = await cleanlyWithoutStacks('rawc-chain', () => {
        const channel = new RetainingAsyncWritableChannel();
        let i = 0;
        const writeNext = (): void => {
          const k = i++;
          channel.write(ByteBuffer.wrap(Uint8Array.of(k & 0xff)), (n, e) => {
            acks[k]!++;
            order.push(k);
            if (n !== 1 || e !== null) throw new Error(`write ${k}: ${n} byte(s), ${String(e)}`);
            if (i < N) writeNext();
          });
        };
        writeNext();
        total = channel.getBytesWritten();
        content = channel.consumeContentAsBytes();
        channel.close();
      });
      expect(acks.every((a) => a === 1)).toBe(true);
      expect(order).toEqual(Array.from({ length: N }, (_, k) => k));
      expect(total).toBe(N);
      expect(content).toEqual(Uint8Array.from({ length: N }, (_, k) => k & 0xff));
      expect({ live: scope.liveCount, misuses: scope.misuses.length }).toEqual({ live: 0, misuses: 0 });
    },
    HEAVY_TIMEOUT_MS,
  );
});

describe('100,000 consumers timing out', () => {
  test(
    'all settle null, in the order they asked, none lost; the channel then queues the next write',
    async () => {
      await cleanly('waiters-time-out', async () => {
        const channel = new ByteBufferAsyncWritableChannel();
        const settledOrder: number[] = [];
        const waits: Array<Promise<unknown>> = [];
        for (let i = 0; i < N; i++) {
          const wait = i % 2 === 0 ? channel.getNextChunk(1) : channel.getNextByteBuf(1);
          waits.push(wait.then((v) => settledOrder.push(v === null ? i : -1)));
        }
        await Promise.all(waits);
        expect(settledOrder).toEqual(Array.from({ length: N }, (_, i) => i));
        // No timed-out consumer is still queued: the write waits for the next check-out.
        const future = channel.write(ByteBuffer.wrap(testBytes(3)));
        await nextTurn();
        expect(future.isDone()).toBe(false);
        expect((await channel.getNextChunk(0))!.remaining()).toBe(3);
        channel.resolveOldestChunk(null);
        expect(await future).toBe(3);
        channel.close();
      });
    },
    HEAVY_TIMEOUT_MS,
  );

  test(
    'every other consumer times out: the writes go to the others, in the order they asked',
    async () => {
      const scope = await cleanly('waiters-interleaved', async () => {
        const channel = new ByteBufferAsyncWritableChannel();
        const timedOut: number[] = [];
        const served: Array<Promise<number>> = [];
        for (let i = 0; i < N; i++) {
          if (i % 2 === 0) {
            void channel.getNextByteBuf(1).then((v) => timedOut.push(v === null ? i : -1));
          } else {
            served.push(channel.getNextByteBuf().then((buf) => (buf === null ? -1 : buf.getUnsignedByte(0) + 256 * buf.getUnsignedByte(1))));
          }
        }
        while (timedOut.length < N / 2) await new Promise((resolve) => setTimeout(resolve, 5));
        expect(timedOut).toEqual(Array.from({ length: N / 2 }, (_, k) => 2 * k));
        for (let k = 0; k < N / 2; k++) channel.write(ByteBuffer.wrap(Uint8Array.of(k & 0xff, k >> 8)));
        expect(await Promise.all(served)).toEqual(Array.from({ length: N / 2 }, (_, k) => k));
        for (let k = 0; k < N / 2; k++) channel.resolveOldestChunk(null);
        channel.close();
      });
      expect(ledgerOf(scope)).toEqual({ created: N / 2, live: 0, misuses: 0 });
    },
    HEAVY_TIMEOUT_MS,
  );
});
