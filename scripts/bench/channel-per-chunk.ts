/**
 * Bench section `channel-per-chunk` (`npm run bench -- channel-per-chunk`): what one chunk costs
 * through the fixed `ByteBufferAsyncWritableChannel` (leak level `disabled`; write from the
 * previous write's callback, `getNextChunk`, `resolveOldestChunk`) against the same hand-off
 * done other ways, in the same run, rounds interleaved:
 * - a bare promise queue with the same write / next / resolve protocol (the floor: what the
 *   protocol costs with nothing else; the goal is the channel at most 1.5x its time per chunk);
 * - the same bare queue carrying the buffers the channel makes per chunk (a wrapper of the written
 *   `ByteBuffer`, the consumer's view of it, the wrapper's release): the floor of any channel that
 *   owns a wrapper per write, as the fixed channel does;
 * - Node's streams used idiomatically: a `'data'` listener on a `PassThrough`, and
 *   `stream.pipeline` from a `Readable` into a `Writable`;
 * - a `PassThrough` read with `for await` and written with `once('drain')` (the slowest idiom).
 * Chunks per second, not bytes: no byte is copied on any path, so bytes per second would only
 * measure the chunk size. Each line gives the median and the min..max over the rounds, and the
 * time per chunk against the bare queue's in the same round (median and min..max of those ratios).
 *
 * Usage: npx tsx scripts/bench.ts channel-per-chunk   (CHANNEL_PER_CHUNK_BENCH_CHUNKS sets the
 * chunks per round, default 200000: a round of the fastest way must last long enough to time)
 */
import { once } from 'node:events';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteBuffer, LeakDetection, Unpooled, type ByteBuf, type LeakDetectionSettings } from '../../harness';
import { convertToByteBuffer } from '../../channel';
import { throughChannel, throughPassThrough } from './channel';
import { formatRange, formatRatio, median, perRoundRatios } from './lib/rounds';

const CHUNKS = Number(process.env.CHANNEL_PER_CHUNK_BENCH_CHUNKS ?? 200_000);
const ROUNDS = 7;
/** The channel may take at most this many times the bare queue's time per chunk. */
const GOAL_RATIO = 1.5;

/** One byte read per chunk, so the reads are not optimized away. */
let checksum = 0;

/**
 * The protocol with nothing else: `write` queues the chunk with its callback, `next` gives the
 * oldest unread chunk (waiting for one, or null once closed), `resolve` acknowledges the oldest
 * checked-out chunk. No reference counting, no futures, no timeouts.
 */
class BarePromiseQueue<T> {
  private readonly unread: Array<{ item: T; done: () => void }> = [];
  private readonly checkedOut: Array<() => void> = [];
  private waiter: ((item: T | null) => void) | null = null;
  private closed = false;

  write(item: T, done: () => void): void {
    if (this.waiter !== null) {
      const w = this.waiter;
      this.waiter = null;
      this.checkedOut.push(done);
      w(item);
    } else {
      this.unread.push({ item, done });
    }
  }

  next(): Promise<T | null> {
    const first = this.unread.shift();
    if (first !== undefined) {
      this.checkedOut.push(first.done);
      return Promise.resolve(first.item);
    }
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  resolve(): void {
    this.checkedOut.shift()?.();
  }

  close(): void {
    this.closed = true;
    this.waiter?.(null);
    this.waiter = null;
  }
}

/** `chunks` writes through a bare promise queue, each from the previous write's callback; gives the chunks read. */
export async function throughBareQueue(src: Uint8Array, chunks: number): Promise<number> {
  const queue = new BarePromiseQueue<Uint8Array>();
  let n = 0;
  const consumer = (async () => {
    for (;;) {
      const chunk = await queue.next();
      if (chunk === null) return;
      checksum = (checksum + chunk[1]!) | 0;
      n++;
      queue.resolve();
    }
  })();
  let written = 0;
  const next = (): void => {
    if (written++ === chunks) queue.close();
    else queue.write(src, next);
  };
  next();
  await consumer;
  return n;
}

/** Plain-variable copies, as the channel keeps them (an imported name is a getter call in a CommonJS build). */
const LocalUnpooled = Unpooled;
const localConvertToByteBuffer = convertToByteBuffer;

/**
 * The bare queue carrying what the fixed channel's buffers cost per chunk, and nothing else of the
 * channel: each write wraps `src` (`Unpooled.wrappedBuffer`) and queues the chunk as the channel's
 * `getNextChunk` gives it (`convertToByteBuffer`: a view, the wrapper's reader index advanced; made
 * at the write, not at the check-out, so the queue stays the bare one), the consumer reads it as
 * `throughChannel`'s does, and the acknowledged wrapper is released after the callback that writes
 * the next chunk, as the channel releases it. Gives the chunks read.
 */
export async function throughBareQueueWithBuffers(src: ByteBuffer, chunks: number): Promise<number> {
  const queue = new BarePromiseQueue<ByteBuffer>();
  let bytes = 0;
  const consumer = (async () => {
    for (;;) {
      const chunk = await queue.next();
      if (chunk === null) return;
      bytes += chunk.remaining();
      checksum = (checksum + chunk.get(chunk.position() + 1)) | 0;
      queue.resolve();
    }
  })();
  let written = 0;
  let wrapper: ByteBuf | null = null;
  const next = (): void => {
    const acknowledged = wrapper;
    if (written++ === chunks) queue.close();
    else {
      wrapper = LocalUnpooled.wrappedBuffer(src);
      queue.write(localConvertToByteBuffer(wrapper), next);
    }
    acknowledged?.release();
  };
  next();
  await consumer;
  const last = wrapper as ByteBuf | null; // set by `next`, which TypeScript does not follow
  if (last !== null && last.refCnt() !== 0) throw new Error(`the last wrapper was not released (refCnt ${last.refCnt()})`);
  return bytes / src.remaining();
}

/** A `'data'` listener on a PassThrough; the producer writes while `write()` says yes, then waits for `'drain'`. */
async function throughDataListener(src: Buffer, chunks: number): Promise<number> {
  const pass = new PassThrough();
  let n = 0;
  pass.on('data', (chunk: Buffer) => {
    checksum = (checksum + chunk[1]!) | 0;
    n++;
  });
  const ended = once(pass, 'end');
  let written = 0;
  const pump = (): void => {
    while (written < chunks) {
      written++;
      if (!pass.write(src)) {
        pass.once('drain', pump);
        return;
      }
    }
    pass.end();
  };
  pump();
  await ended;
  return n;
}

/** `stream.pipeline` from a Readable that pushes the chunks into a Writable that reads a byte of each. */
async function throughPipeline(src: Buffer, chunks: number): Promise<number> {
  let pushed = 0;
  let n = 0;
  const source = new Readable({
    read() {
      while (pushed < chunks) {
        pushed++;
        if (!this.push(src)) return;
      }
      this.push(null);
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      checksum = (checksum + chunk[1]!) | 0;
      n++;
      callback();
    },
  });
  await pipeline(source, sink);
  return n;
}

/** One way of handing chunks from a producer to a consumer; `round` moves `chunks` and gives how many arrived. */
export interface Way {
  readonly key: WayKey;
  readonly name: string;
  readonly round: (chunks: number) => Promise<number>;
}

/** The ways compared, by a short key (the instruction-count workload takes one). */
export type WayKey = 'bare-queue' | 'bare-queue-buffers' | 'channel' | 'data-listener' | 'pipeline' | 'for-await';

/** Every way, the bare promise queue (the floor) first, each moving the same 64 KiB of caller memory. */
export function perChunkWays(): Way[] {
  const bytes = new Uint8Array(64 * 1024).map((_, i) => i & 0xff);
  const byteBuffer = ByteBuffer.wrap(bytes);
  const buffer = Buffer.from(bytes);
  return [
    { key: 'bare-queue', name: 'bare promise queue (the floor)', round: (chunks) => throughBareQueue(bytes, chunks) },
    { key: 'bare-queue-buffers', name: "bare promise queue carrying the channel's buffers (the buffers' floor)", round: (chunks) => throughBareQueueWithBuffers(byteBuffer, chunks) },
    { key: 'channel', name: 'ByteBufferAsyncWritableChannel', round: async (chunks) => (await throughChannel(byteBuffer, chunks, 'callback')) / bytes.length },
    { key: 'data-listener', name: "PassThrough, 'data' listener", round: (chunks) => throughDataListener(buffer, chunks) },
    { key: 'pipeline', name: 'stream.pipeline', round: (chunks) => throughPipeline(buffer, chunks) },
    { key: 'for-await', name: "PassThrough, for await + 'drain'", round: async (chunks) => (await throughPassThrough(buffer, chunks)) / bytes.length },
  ];
}

/** Chunks per second of one round. */
async function rate(way: Way): Promise<number> {
  const start = process.hrtime.bigint();
  const n = await way.round(CHUNKS);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (n !== CHUNKS) throw new Error(`${way.name} moved ${n} chunks, expected ${CHUNKS}`);
  return n / seconds;
}

const kChunks = (r: number): string => `${(r / 1000).toFixed(0)}k`;

export async function run(): Promise<void> {
  const previous: LeakDetectionSettings = LeakDetection.settings();
  const ways = perChunkWays();
  try {
    LeakDetection.configure({ level: 'disabled', exactLedger: false });
    for (const way of ways) await rate(way); // warm-up, unmeasured
    const rates = new Map<string, number[]>(ways.map((w) => [w.name, []]));
    for (let r = 0; r < ROUNDS; r++) for (const way of ways) rates.get(way.name)!.push(await rate(way));
    // A round's time per chunk against the bare queue's in the same round: its rate over the way's.
    const floorRates = rates.get(ways[0]!.name)!;
    const timeRatios = (way: Way): number[] => perRoundRatios(floorRates, rates.get(way.name)!);
    console.log(`${CHUNKS} chunks per round, ${ROUNDS} rounds interleaved, leak level disabled; chunks/s (median, min..max) and time per chunk against the bare queue in the same round (median, min..max):`);
    console.log('| way | chunks/s | min..max | time per chunk vs bare queue | min..max |');
    console.log('|---|---|---|---|---|');
    for (const way of ways) {
      const rs = rates.get(way.name)!;
      const ratios = timeRatios(way);
      console.log(`| ${way.name} | ${kChunks(median(rs))} | ${kChunks(Math.min(...rs))}..${kChunks(Math.max(...rs))} | ${formatRatio(median(ratios))} | ${formatRange(ratios)} |`);
    }
    const channel = timeRatios(ways.find((w) => w.key === 'channel')!);
    console.log(`the channel per chunk: ${formatRatio(median(channel))} the bare promise queue (rounds ${formatRange(channel)}; goal: at most ${GOAL_RATIO}x): ${median(channel) <= GOAL_RATIO ? 'met' : 'NOT met'}`);
    if (checksum === 0) throw new Error('the consumers read nothing');
  } finally {
    LeakDetection.configure(previous);
  }
}
