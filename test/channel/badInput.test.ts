/**
 * Bad input and calls out of order: each gives its documented behaviour (a typed error with a
 * pinned message, or a no-op) and the ledger stays clean.
 */
import { ByteBuffer, type ByteBuf } from '../../harness';
import {
  ByteBufferAsyncWritableChannel,
  CHANNEL_VERSIONS,
  ClosedChannelException,
  createByteBufferAsyncWritableChannel,
  IllegalArgumentException,
  IllegalStateException,
  RetainingAsyncWritableChannel,
  type ChannelEvent,
  type ChannelVersion,
} from '../../channel';
import { CallbackRecorder, cleanly, heapByteBuf, readAll, testBytes, useParanoidLedger } from './helpers';

useParanoidLedger();

const NOT_SOURCES: Array<[string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['Uint8Array', new Uint8Array(4)],
  ['number', 42],
];

describe('ByteBufferAsyncWritableChannel: bad input', () => {
  test.each(NOT_SOURCES)('write(%s) throws IllegalArgumentException, with no callback, no event, nothing queued', async (name, value) => {
    await cleanly(`bbawc-bad-source-${name}`, async () => {
      const events: ChannelEvent[] = [];
      const channel = new ByteBufferAsyncWritableChannel((e) => events.push(e));
      const recorder = new CallbackRecorder();
      let error: unknown;
      try {
        channel.write(value as ByteBuffer, recorder.callback);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IllegalArgumentException);
      expect((error as IllegalArgumentException).code).toBe('ERR_ILLEGAL_ARGUMENT');
      expect((error as Error).message).toBe(`src: expected a ByteBuffer or ByteBuf, got ${name}`);
      expect(recorder.calls).toEqual([]);
      expect(events).toEqual([]);
      expect(await channel.getNextChunk(0)).toBeNull();
      channel.close();
    });
  });

  test.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '5'])('getNextChunk(%p) and getNextByteBuf(%p) throw IllegalArgumentException synchronously', async (timeout) => {
    await cleanly('bbawc-bad-timeout', () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const message = `timeoutMs: ${String(timeout)} (expected: an integer in [0, 2147483647])`;
      expect(() => channel.getNextChunk(timeout as number)).toThrow(IllegalArgumentException);
      expect(() => channel.getNextChunk(timeout as number)).toThrow(message);
      expect(() => channel.getNextByteBuf(timeout as number)).toThrow(message);
      channel.close();
      // Checked before the closed check: a bad argument is a bug whatever the state.
      expect(() => channel.getNextByteBuf(timeout as number)).toThrow(message);
    });
  });

  test('calls after close: write fails at once, check-outs give null, resolve and close are no-ops', async () => {
    await cleanly('bbawc-after-close', async () => {
      const events: ChannelEvent[] = [];
      const channel = new ByteBufferAsyncWritableChannel((e) => events.push(e));
      channel.close();
      const recorder = new CallbackRecorder();
      const src = heapByteBuf(testBytes(10));
      const future = channel.write(src, recorder.callback);
      expect(future.error()).toBeInstanceOf(ClosedChannelException);
      expect(recorder.calls.map((c) => [c.bytesWritten, c.error?.name])).toEqual([[0, 'ClosedChannelException']]);
      expect(src.refCnt()).toBe(1);
      src.release();
      expect(await channel.getNextChunk()).toBeNull();
      expect(await channel.getNextByteBuf(100)).toBeNull();
      channel.resolveOldestChunk(new Error('ignored'));
      channel.close();
      expect(events).toEqual(['Close', 'Close']);
    });
  });

  test('resolveOldestChunk with nothing checked out is a no-op; it never acknowledges a queued chunk', async () => {
    await cleanly('bbawc-resolve-nothing', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      channel.resolveOldestChunk(null);
      const recorder = new CallbackRecorder();
      const future = channel.write(ByteBuffer.wrap(testBytes(10)), recorder.callback);
      channel.resolveOldestChunk(null);
      expect([future.isDone(), recorder.calls.length]).toEqual([false, 0]);
      await channel.getNextChunk();
      channel.resolveOldestChunk(null);
      channel.resolveOldestChunk(null);
      expect(recorder.calls).toEqual([{ bytesWritten: 10, error: null }]);
      channel.close();
    });
  });

  test('createByteBufferAsyncWritableChannel makes each version, and rejects an unknown one', () => {
    const made = CHANNEL_VERSIONS.map((v) => createByteBufferAsyncWritableChannel(v));
    expect(made.map((c) => [c.constructor.name, c.version])).toEqual([
      ['LegacyByteBufferAsyncWritableChannel', 'legacy'],
      ['RegressionByteBufferAsyncWritableChannel', 'regression'],
      ['ByteBufferAsyncWritableChannel', 'fixed'],
    ]);
    for (const c of made) c.close();
    expect(() => createByteBufferAsyncWritableChannel('newest' as ChannelVersion)).toThrow(
      'Expected version to be one of legacy, regression, fixed, got newest',
    );
  });
});

describe('RetainingAsyncWritableChannel: bad input', () => {
  test.each(NOT_SOURCES)('write(%s) throws IllegalArgumentException with no callback', async (name, value) => {
    await cleanly(`rawc-bad-source-${name}`, () => {
      const channel = new RetainingAsyncWritableChannel();
      const recorder = new CallbackRecorder();
      expect(() => channel.write(value as ByteBuf, recorder.callback)).toThrow(`src: expected a ByteBuffer or ByteBuf, got ${name}`);
      expect(recorder.calls).toEqual([]);
      expect(channel.getBytesWritten()).toBe(0);
      channel.close();
    });
  });

  test.each([-1, 1.5, Number.NaN, '10'])('a size limit of %p is rejected', (limit) => {
    expect(() => new RetainingAsyncWritableChannel(limit as number)).toThrow(
      `sizeLimitInBytes: ${String(limit)} (expected: an integer >= 0)`,
    );
  });

  const CONSUMES = {
    byteBuf: (c: RetainingAsyncWritableChannel) => c.consumeContentAsByteBuf().release(),
    bytes: (c: RetainingAsyncWritableChannel) => c.consumeContentAsBytes(),
    stream: (c: RetainingAsyncWritableChannel) => c.consumeContentAsInputStream().destroy(),
  } as const;
  const names = Object.keys(CONSUMES) as Array<keyof typeof CONSUMES>;
  const pairs = names.flatMap((first) => names.map((second) => [first, second] as const));

  test.each(pairs)('a second consume (%s, then %s) throws IllegalStateException', async (first, second) => {
    await cleanly(`rawc-second-consume-${first}-${second}`, () => {
      const channel = new RetainingAsyncWritableChannel();
      channel.write(ByteBuffer.wrap(testBytes(10)));
      CONSUMES[first](channel);
      expect(() => CONSUMES[second](channel)).toThrow(IllegalStateException);
      expect(() => CONSUMES[second](channel)).toThrow('Content was already consumed');
      channel.close();
    });
  });

  test.each(names)('consume (%s) after close throws IllegalStateException', async (name) => {
    await cleanly(`rawc-consume-after-close-${name}`, () => {
      const channel = new RetainingAsyncWritableChannel();
      channel.write(ByteBuffer.wrap(testBytes(10)));
      channel.close();
      expect(() => CONSUMES[name](channel)).toThrow('Channel is already closed');
    });
  });

  test('a write after a consume fails with IllegalStateException through callback and future; the source is untouched', async () => {
    await cleanly('rawc-write-after-consume', async () => {
      const channel = new RetainingAsyncWritableChannel();
      channel.write(ByteBuffer.wrap(testBytes(10)));
      const stream = channel.consumeContentAsInputStream();
      const src = heapByteBuf(testBytes(20));
      const recorder = new CallbackRecorder();
      const future = channel.write(src, (n, e) => {
        recorder.callback(n, e);
        src.release();
      });
      await expect(future).rejects.toBeInstanceOf(IllegalStateException);
      expect(recorder.calls.map((c) => [c.bytesWritten, c.error?.message])).toEqual([[0, 'Content was already consumed']]);
      expect(src.readerIndex()).toBe(0);
      expect(await readAll(stream)).toEqual(testBytes(10));
      channel.close();
    });
  });

  test('close after consumeContentAsByteBuf releases nothing; the consumer\'s release frees every component', async () => {
    await cleanly('rawc-close-after-consume', () => {
      const channel = new RetainingAsyncWritableChannel();
      const src = heapByteBuf(testBytes(10));
      channel.write(src, () => src.release());
      expect(src.refCnt()).toBe(1);
      const content = channel.consumeContentAsByteBuf();
      expect(content.isReadOnly()).toBe(true);
      channel.close();
      channel.close();
      expect([content.refCnt(), src.refCnt()]).toEqual([1, 1]);
      content.release();
      expect(src.refCnt()).toBe(0);
    });
  });

  test('a stream destroyed before it is read releases the content', async () => {
    await cleanly('rawc-stream-destroyed', async () => {
      const channel = new RetainingAsyncWritableChannel();
      channel.write(ByteBuffer.wrap(testBytes(10)));
      const stream = channel.consumeContentAsInputStream();
      const closed = new Promise((resolve) => stream.once('close', resolve));
      stream.destroy();
      await closed;
      channel.close();
    });
  });
});
