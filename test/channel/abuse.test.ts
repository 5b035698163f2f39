/**
 * The channels survive abuse: 100,000 consumers timing out. Every case checks the exact counts
 * and the exact ledger (buffers created, none live, no misuse).
 */
import { ByteBuffer, type LeakScope } from '../../harness';
import { ByteBufferAsyncWritableChannel } from '../../channel';
import { cleanly, nextTurn, testBytes, useParanoidLedger } from './helpers';

useParanoidLedger();

/** Long chains and many waiters: generous, because the machine running CI is slow and shared. */
const HEAVY_TIMEOUT_MS = 120_000;
const N = 100_000;

/** The exact ledger of a finished scope: what it made, what is still live, the misuses. */
function ledgerOf(scope: LeakScope): { created: number; live: number; misuses: number } {
  return { created: scope.createdCount, live: scope.liveCount, misuses: scope.misuses.length };
}

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
            served.push(channel.getNextByteBuf().then((buf) => (buf === null ? -1 : buf.getByte(0) + 256 * buf.getByte(1))));
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
