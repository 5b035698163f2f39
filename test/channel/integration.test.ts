/**
 * The two integration consumers: a `Readable` over the channel
 * (Ambry's ReadableStreamChannelInputStream) and a chunk filler (Ambry's PutOperation), with
 * `stream.pipeline`, errors and early close. Each ends with a clean ledger and no live timer.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteBuffer, ByteBufUtil, type ByteBuf } from '../../harness';
import {
  ByteBufferAsyncWritableChannel,
  ChunkFiller,
  ClosedChannelException,
  createByteBufferAsyncWritableChannel,
  ReadableStreamChannelInputStream,
  type BBAWC,
  type SentChunk,
} from '../../channel';
import {
  cleanly,
  compositeByteBuf,
  concat,
  directByteBuf,
  directByteBuffer,
  heapByteBuf,
  heapByteBuffer,
  inScope,
  leakCount,
  nextTurn,
  silenceGcLeakReports,
  testBytes,
  useParanoidLedger,
} from './helpers';

useParanoidLedger();
silenceGcLeakReports();

/** What a producer did: writes acknowledged with success, and the error that stopped it, if any. */
interface ProducerResult {
  acknowledged: number;
  failure: Error | null;
}

/**
 * A producer in the interface's style: writes each source, awaits its acknowledgement, releases a
 * `ByteBuf` in the callback, and closes the channel after the last one (the end signal).
 */
async function produce(channel: BBAWC, sources: ReadonlyArray<ByteBuffer | ByteBuf>): Promise<ProducerResult> {
  let acknowledged = 0;
  for (const src of sources) {
    try {
      await channel.write(src, () => {
        if (!(src instanceof ByteBuffer)) src.release();
      });
      acknowledged++;
    } catch (error) {
      // Release the sources never written (the channel never saw them).
      for (const rest of sources.slice(sources.indexOf(src) + 1)) if (!(rest instanceof ByteBuffer)) rest.release();
      return { acknowledged, failure: error as Error };
    }
  }
  channel.close();
  return { acknowledged, failure: null };
}

/** A byte sink collecting everything; optionally fails on its n-th chunk. */
function collector(parts: Buffer[], failOnChunk?: number): Writable {
  let n = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      n++;
      if (n === failOnChunk) callback(new Error('sink failed'));
      else {
        parts.push(chunk);
        callback();
      }
    },
  });
}

/** Sizes of the producer's writes: varied, including empty ones. */
const SIZES = [100, 0, 1, 4096, 37, 0, 250, 65536, 3, 999];

function byteBufferSources(): { sources: ByteBuffer[]; data: Uint8Array[] } {
  const data = SIZES.map((n, i) => testBytes(n, 300 + i));
  return { sources: data.map((d, i) => (i % 2 === 0 ? directByteBuffer(d) : heapByteBuffer(d))), data };
}

function byteBufSources(): { sources: ByteBuf[]; data: Uint8Array[] } {
  const data = SIZES.map((n, i) => testBytes(n, 400 + i));
  const sources = data.map((d, i) => (i % 3 === 0 ? heapByteBuf(d) : i % 3 === 1 ? directByteBuf(d) : compositeByteBuf(d)));
  return { sources, data };
}

describe('ReadableStreamChannelInputStream', () => {
  test('stream-consumer: the bytes read through pipeline equal the bytes written', async () => {
    await cleanly('integration-stream-consumer', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const { sources, data } = byteBufferSources();
      const parts: Buffer[] = [];
      const [produced] = await Promise.all([produce(channel, sources), pipeline(new ReadableStreamChannelInputStream(channel), collector(parts))]);
      expect(produced).toEqual({ acknowledged: SIZES.length, failure: null });
      expect(new Uint8Array(Buffer.concat(parts))).toEqual(concat(data));
      // Like Netty's wrappedBuffer, the channel never moves the caller's ByteBuffer position.
      expect(sources.map((s) => s.position())).toEqual(SIZES.map(() => 0));
    });
  });

  test('the same consumer over the legacy channel leaks one wrapper per non-empty ByteBuffer write', async () => {
    const { sources } = byteBufferSources();
    const scope = await inScope('integration-stream-consumer-legacy', async () => {
      const channel = createByteBufferAsyncWritableChannel('legacy');
      await Promise.all([produce(channel, sources), pipeline(new ReadableStreamChannelInputStream(channel), collector([]))]);
    });
    expect(leakCount(scope)).toBe(SIZES.filter((n) => n > 0).length);
  });

  test('a failing sink: pipeline rejects, the channel closes, the producer gets ClosedChannelException', async () => {
    await cleanly('integration-stream-consumer-sink-error', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const { sources } = byteBufSources();
      const producing = produce(channel, sources);
      await expect(pipeline(new ReadableStreamChannelInputStream(channel), collector([], 3))).rejects.toThrow('sink failed');
      const produced = await producing;
      expect(produced.failure).toBeInstanceOf(ClosedChannelException);
      expect(produced.acknowledged).toBeGreaterThanOrEqual(3);
      expect(channel.isOpen()).toBe(false);
    });
  });

  test('early destroy while the stream waits for a chunk settles the wait and fails the next write', async () => {
    await cleanly('integration-stream-consumer-early-destroy', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const stream = new ReadableStreamChannelInputStream(channel);
      const firstData = testBytes(50);
      const firstWrite = channel.write(ByteBuffer.wrap(firstData));
      const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
      expect(new Uint8Array(first)).toEqual(firstData);
      expect(await firstWrite).toBe(50);
      stream.pause();
      await nextTurn();
      // The stream is now waiting in getNextChunk (it reads ahead); destroying it closes the channel.
      const closed = new Promise<void>((resolve) => stream.once('close', resolve));
      stream.destroy();
      await closed;
      expect(channel.isOpen()).toBe(false);
      const late = channel.write(ByteBuffer.wrap(testBytes(10)));
      await expect(late).rejects.toBeInstanceOf(ClosedChannelException);
    });
  });

  test('early destroy with chunks queued fails their writes; nothing leaks', async () => {
    await cleanly('integration-stream-consumer-destroy-queued', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const futures = [0, 1, 2, 3].map((i) => channel.write(directByteBuffer(testBytes(1000, i))));
      const stream = new ReadableStreamChannelInputStream(channel, { highWaterMark: 1 });
      await new Promise<Buffer>((resolve) => stream.once('data', resolve));
      stream.destroy(new Error('consumer gave up'));
      await expect(new Promise((_, reject) => stream.once('error', reject))).rejects.toThrow('consumer gave up');
      const outcomes = await Promise.allSettled(futures);
      expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 1000 });
      for (const o of outcomes.slice(2)) {
        expect(o.status).toBe('rejected');
        expect((o as PromiseRejectedResult).reason).toBeInstanceOf(ClosedChannelException);
      }
    });
  });
});

describe('ChunkFiller', () => {
  const CHUNK_SIZE = 4000;

  test('chunk-filler-consumer: fixed-size chunks cut with readRetainedSlice carry exactly the bytes written', async () => {
    await cleanly('integration-chunk-filler', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const { sources, data } = byteBufSources();
      const sentBytes: Uint8Array[] = [];
      const refCntsDuringSend: number[] = [];
      const chunks: ByteBuf[] = [];
      const filler = new ChunkFiller(channel, {
        chunkSize: CHUNK_SIZE,
        send: async (chunk) => {
          refCntsDuringSend.push(chunk.refCnt());
          chunks.push(chunk);
          await nextTurn();
          sentBytes.push(ByteBufUtil.getBytes(chunk));
        },
      });
      const records: SentChunk[] = [];
      const sink = new Writable({
        objectMode: true,
        write(record: SentChunk, _encoding, callback) {
          records.push(record);
          callback();
        },
      });
      const [produced] = await Promise.all([produce(channel, sources), pipeline(filler, sink)]);
      const total = SIZES.reduce((a, b) => a + b, 0);
      expect(produced).toEqual({ acknowledged: SIZES.length, failure: null });
      expect(concat(sentBytes)).toEqual(concat(data));
      const expectedSizes = Array.from({ length: Math.ceil(total / CHUNK_SIZE) }, (_, i) => Math.min(CHUNK_SIZE, total - i * CHUNK_SIZE));
      expect(records).toEqual(expectedSizes.map((size, index) => ({ index, size })));
      expect(filler.bytesSent).toBe(total);
      expect(refCntsDuringSend.every((n) => n === 1)).toBe(true);
      expect(chunks.map((c) => c.refCnt())).toEqual(expectedSizes.map(() => 0));
      expect(sources.map((s) => s.refCnt())).toEqual(SIZES.map(() => 0));
    });
  });

  test('the chunk filler works with ByteBuffer writes too (the wrapper path)', async () => {
    await cleanly('integration-chunk-filler-bytebuffers', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const { sources, data } = byteBufferSources();
      const sentBytes: Uint8Array[] = [];
      const filler = new ChunkFiller(channel, { chunkSize: 1000, send: async (chunk) => void sentBytes.push(ByteBufUtil.getBytes(chunk)) });
      await Promise.all([produce(channel, sources), pipeline(filler, new Writable({ objectMode: true, write: (_r, _e, cb) => cb() }))]);
      expect(concat(sentBytes)).toEqual(concat(data));
    });
  });

  test('a failing send: pipeline rejects with its error, the chunk is released, the producer is told', async () => {
    await cleanly('integration-chunk-filler-send-error', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const { sources } = byteBufSources();
      let failed: ByteBuf | undefined;
      const filler = new ChunkFiller(channel, {
        chunkSize: 100,
        send: async (chunk, index) => {
          await nextTurn();
          if (index === 2) {
            failed = chunk;
            throw new Error('send failed');
          }
        },
      });
      const producing = produce(channel, sources);
      await expect(pipeline(filler, new Writable({ objectMode: true, write: (_r, _e, cb) => cb() }))).rejects.toThrow('send failed');
      expect(failed!.refCnt()).toBe(0);
      const produced = await producing;
      expect(produced.failure).toBeInstanceOf(ClosedChannelException);
    });
  });

  test('early destroy while a send is in flight: close waits for it, then everything is released', async () => {
    await cleanly('integration-chunk-filler-early-destroy', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const { sources } = byteBufSources();
      let inFlight: ByteBuf | undefined;
      let finishSend: (() => void) | undefined;
      const filler = new ChunkFiller(channel, {
        chunkSize: 64,
        send: (chunk) => {
          inFlight = chunk;
          return new Promise<void>((resolve) => (finishSend = resolve));
        },
      });
      const producing = produce(channel, sources);
      filler.resume();
      while (finishSend === undefined) await nextTurn();
      const closed = new Promise<void>((resolve) => filler.once('close', resolve));
      filler.destroy();
      await nextTurn();
      expect(inFlight!.refCnt()).toBe(1);
      finishSend();
      await closed;
      expect(inFlight!.refCnt()).toBe(0);
      expect((await producing).failure).toBeInstanceOf(ClosedChannelException);
    });
  });

  test('destroy while waiting for the first buffer settles the wait; no chunk is ever sent', async () => {
    await cleanly('integration-chunk-filler-destroy-idle', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const send = jest.fn(async () => undefined);
      const filler = new ChunkFiller(channel, { chunkSize: 10, send });
      filler.resume();
      await nextTurn();
      const closed = new Promise<void>((resolve) => filler.once('close', resolve));
      filler.destroy();
      await closed;
      expect(send).not.toHaveBeenCalled();
      expect(channel.isOpen()).toBe(false);
    });
  });

  test('rejects a chunk size that is not a positive integer', () => {
    const channel = new ByteBufferAsyncWritableChannel();
    expect(() => new ChunkFiller(channel, { chunkSize: 0, send: async () => undefined })).toThrow('chunkSize: 0 (expected: an integer >= 1)');
    channel.close();
  });
});
