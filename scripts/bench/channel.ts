/**
 * Channel throughput: 64 KiB `ByteBuffer`s through the fixed `ByteBufferAsyncWritableChannel`
 * (write, `getNextChunk`, resolve) against the same bytes through a `stream.PassThrough` with a
 * consumer, in the same run, at leak level `disabled` and at `paranoid` with the exact ledger.
 * Prints MB/s, the per-round ratios (median, min..max), and a check that the single-buffer path copies no byte. Then the cost
 * of consumers timing out: 100,000 waiters with a timeout against 10,000 in the same run (ratio
 * near 10: linear; the old array queue's O(n) removal per timeout made it about 150).
 *
 * Usage: npx tsx scripts/bench.ts channel   (CHANNEL_BENCH_CHUNKS overrides the chunk count,
 * CHANNEL_BENCH_WAITERS the number of waiters, default 100000; the baseline is a tenth of it)
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { ByteBuffer, LeakDetection, ledger, type LeakDetectionSettings } from '../../harness';
import { ByteBufferAsyncWritableChannel } from '../../channel';
import { formatRange, formatRatio, median, perRoundRatios } from './lib/rounds';

const CHUNK_SIZE = 64 * 1024;
const CHUNKS = Number(process.env.CHANNEL_BENCH_CHUNKS ?? 20_000);
const ROUNDS = 5;
const WAITERS = Number(process.env.CHANNEL_BENCH_WAITERS ?? 100_000);
const BASELINE_WAITERS = Math.max(1, Math.round(WAITERS / 10));
/** Ratio of the 10x workload to its baseline that still counts as n log n (12.5 at 100,000 vs 10,000, plus noise). */
const WAITERS_RATIO_AIM = 15;

/** Sum of one byte per chunk read by the consumers, so the reads are not optimized away. */
let checksum = 0;

/** How the channel's producer waits for each acknowledgement before its next write (backpressure). */
export type ProducerStyle = 'callback' | 'await';

/**
 * The consumer checks out, reads a byte, resolves. The producer writes the next chunk from the
 * previous write's callback (Ambry's style), or awaits each write's future (`await` on a
 * non-native thenable costs V8 an extra promise and job per write).
 */
export async function throughChannel(src: ByteBuffer, chunks: number, style: ProducerStyle): Promise<number> {
  const channel = new ByteBufferAsyncWritableChannel();
  let bytes = 0;
  const consumer = (async () => {
    for (;;) {
      const chunk = await channel.getNextChunk();
      if (chunk === null) return;
      bytes += chunk.remaining();
      checksum = (checksum + chunk.get(chunk.position() + 1)) | 0;
      channel.resolveOldestChunk(null);
    }
  })();
  if (style === 'await') {
    for (let i = 0; i < chunks; i++) await channel.write(src);
    channel.close();
  } else {
    let written = 0;
    const next = (): void => {
      if (written++ === chunks) channel.close();
      else channel.write(src, next);
    };
    next();
  }
  await consumer;
  return bytes;
}

/** The same hand-off through a PassThrough: the producer honours backpressure, the consumer reads a byte per chunk. */
export async function throughPassThrough(src: Buffer, chunks: number): Promise<number> {
  const pass = new PassThrough();
  let bytes = 0;
  const consumer = (async () => {
    for await (const chunk of pass) {
      bytes += (chunk as Buffer).length;
      checksum = (checksum + (chunk as Buffer)[1]!) | 0;
    }
  })();
  for (let i = 0; i < chunks; i++) {
    if (!pass.write(src)) await once(pass, 'drain');
  }
  pass.end();
  await consumer;
  return bytes;
}

async function timeMbPerSecond(fn: () => Promise<number>): Promise<number> {
  const start = process.hrtime.bigint();
  const bytes = await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (bytes !== CHUNK_SIZE * CHUNKS) throw new Error(`moved ${bytes} bytes, expected ${CHUNK_SIZE * CHUNKS}`);
  return bytes / 1e6 / seconds;
}

/**
 * Alternates channel and PassThrough rounds (so both see the same machine noise); prints the
 * medians and the per-round ratio (median, min..max), and gives the median ratio.
 */
async function measure(label: string, channelRound: () => Promise<number>, passRound: () => Promise<number>): Promise<number> {
  const channelRates: number[] = [];
  const passRates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    channelRates.push(await timeMbPerSecond(channelRound));
    passRates.push(await timeMbPerSecond(passRound));
  }
  const ch = median(channelRates);
  const pt = median(passRates);
  const ratios = perRoundRatios(channelRates, passRates);
  console.log(
    `${label.padEnd(28)} channel ${ch.toFixed(0).padStart(7)} MB/s   PassThrough ${pt.toFixed(0).padStart(7)} MB/s   ratio ${formatRatio(median(ratios))} (rounds ${formatRange(ratios)})`,
  );
  return median(ratios);
}

/** Writes through the caller's ByteBuffer and reads through the chunk, and the other way round. */
async function checkZeroCopy(): Promise<boolean> {
  const channel = new ByteBufferAsyncWritableChannel();
  const src = ByteBuffer.allocateDirect(CHUNK_SIZE);
  channel.write(src);
  const chunk = (await channel.getNextChunk())!;
  src.put(0, 0x5a);
  const seenThroughChunk = chunk.get(chunk.position()) === 0x5a;
  chunk.put(chunk.position() + 1, 0xa5);
  const seenThroughSource = src.get(1) === 0xa5;
  channel.resolveOldestChunk(null);
  channel.close();
  return seenThroughChunk && seenThroughSource;
}

/**
 * `n` consumers each waiting `getNextChunk(1)` / `getNextByteBuf(1)` on one empty channel, all
 * timing out: milliseconds from the first call until the last one settled `null`.
 */
async function timeOutWaiters(n: number): Promise<number> {
  const channel = new ByteBufferAsyncWritableChannel();
  const waits: Array<Promise<unknown>> = new Array(n);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) waits[i] = i % 2 === 0 ? channel.getNextChunk(1) : channel.getNextByteBuf(1);
  const results = await Promise.all(waits);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  channel.close();
  if (results.some((r) => r !== null)) throw new Error('a waiter that timed out did not settle null');
  return ms;
}

/** Alternates rounds of `WAITERS` and `BASELINE_WAITERS` timeouts; prints the medians and the per-round ratio. */
async function measureWaiterTimeouts(): Promise<void> {
  await timeOutWaiters(BASELINE_WAITERS); // warm-up
  const big: number[] = [];
  const small: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    big.push(await timeOutWaiters(WAITERS));
    small.push(await timeOutWaiters(BASELINE_WAITERS));
  }
  const ratios = perRoundRatios(big, small);
  const ratio = median(ratios);
  const met = ratio <= WAITERS_RATIO_AIM ? 'met' : 'NOT met';
  console.log(
    `waiters timing out: ${WAITERS} in ${median(big).toFixed(0)} ms, ${BASELINE_WAITERS} in ${median(small).toFixed(1)} ms ` +
      `(median of ${ROUNDS}): ratio ${ratio.toFixed(1)} (rounds ${Math.min(...ratios).toFixed(1)}..${Math.max(...ratios).toFixed(1)}) for ${WAITERS / BASELINE_WAITERS}x the waiters ` +
      `(aim <= ${WAITERS_RATIO_AIM}, n log n: ${met})`,
  );
}

export async function run(): Promise<void> {
  const previous: LeakDetectionSettings = LeakDetection.settings();
  const bytes = new Uint8Array(CHUNK_SIZE).map((_, i) => i & 0xff);
  const byteBuffer = ByteBuffer.wrap(bytes);
  const buffer = Buffer.from(bytes);
  console.log(`${CHUNKS} chunks of ${CHUNK_SIZE / 1024} KiB (${((CHUNKS * CHUNK_SIZE) / 1e6).toFixed(0)} MB) per round, median of ${ROUNDS} rounds`);
  try {
    LeakDetection.configure({ level: 'disabled', exactLedger: false });
    // Warm-up, so the first measured round is not the JIT's.
    await throughChannel(byteBuffer, 2000, 'callback');
    await throughChannel(byteBuffer, 2000, 'await');
    await throughPassThrough(buffer, 2000);
    const disabled = await measure('disabled', () => throughChannel(byteBuffer, CHUNKS, 'callback'), () => throughPassThrough(buffer, CHUNKS));
    const awaiting = await measure('disabled, awaiting producer', () => throughChannel(byteBuffer, CHUNKS, 'await'), () => throughPassThrough(buffer, CHUNKS));

    LeakDetection.configure({ level: 'paranoid', exactLedger: true });
    let leaks = -1;
    const paranoid = await measure(
      'paranoid',
      async () => {
        let moved = 0;
        const scope = (await ledger.scoped('bench-channel', async () => {
          moved = await throughChannel(byteBuffer, CHUNKS, 'callback');
        })).scope;
        leaks = scope.report().leakCount;
        return moved;
      },
      () => throughPassThrough(buffer, CHUNKS),
    );
    const zeroCopy = await checkZeroCopy();
    console.log(
      `ratio vs PassThrough: ${disabled.toFixed(2)}x at disabled (aim >= 1.00x: ${disabled >= 1 ? 'met' : 'NOT met'}; ` +
        `${awaiting.toFixed(2)}x with a producer awaiting each future), ${paranoid.toFixed(2)}x at paranoid with the ledger`,
    );
    console.log(`leaks in the last paranoid round: ${leaks}`);
    console.log(`zero-copy on the single-buffer path: ${zeroCopy ? 'yes (the chunk and the caller\'s ByteBuffer share memory)' : 'NO (a copy was made)'}`);
    if (checksum === 0) throw new Error('the consumers read nothing');

    LeakDetection.configure({ level: 'disabled', exactLedger: false });
    await measureWaiterTimeouts();
    if (!zeroCopy || leaks !== 0) process.exitCode = 1;
  } finally {
    LeakDetection.configure(previous);
  }
}
