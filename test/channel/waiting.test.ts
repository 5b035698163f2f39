/**
 * The fixed channel's consumer side beyond the upstream tests: waiting with and without timeouts,
 * timers cleared on every path, close() settling waiters, the ByteBuffer conversion cases, the
 * known race of 3.8, and callbacks that throw.
 */
import { ByteBuffer, ByteBufUtil, Unpooled, type ByteBuf } from '../../harness';
import {
  ByteBufferAsyncWritableChannel,
  ClosedChannelException,
  convertToByteBuffer,
  type ChannelEvent,
  type WriteFuture,
} from '../../channel';
import {
  CallbackRecorder,
  cleanly,
  compositeByteBuf,
  directByteBuffer,
  heapByteBuf,
  nextTurn,
  testBytes,
  TimerTracker,
  useParanoidLedger,
} from './helpers';

useParanoidLedger();

/** Tracks whether a promise has settled, without awaiting it. */
function settledFlag<T>(p: Promise<T>): { settled: boolean; value?: T } {
  const flag: { settled: boolean; value?: T } = { settled: false };
  void p.then((value) => {
    flag.settled = true;
    flag.value = value;
  });
  return flag;
}

describe('waiting for a chunk', () => {
  test('a timeout settles null and its timer is gone; timeout 0 polls without a timer', async () => {
    const timers = new TimerTracker().install();
    try {
      await cleanly('wait-timeout', async () => {
        const channel = new ByteBufferAsyncWritableChannel();
        expect(await channel.getNextChunk(0)).toBeNull();
        expect(timers.createdCount).toBe(0);
        const waiting = channel.getNextChunk(5);
        expect(timers.live).toBe(1);
        expect(await waiting).toBeNull();
        expect(timers.live).toBe(0);
        // The timed-out consumer is gone: the next write waits in the queue for the next check-out.
        const future = channel.write(ByteBuffer.wrap(testBytes(4)));
        expect((await channel.getNextChunk(0))!.remaining()).toBe(4);
        channel.resolveOldestChunk(null);
        expect(await future).toBe(4);
        channel.close();
      });
    } finally {
      timers.uninstall();
    }
    expect(timers.createdCount).toBe(1);
  });

  test('a write hands the chunk to the waiting consumer and clears its timer at once', async () => {
    const timers = new TimerTracker().install();
    try {
      await cleanly('wait-write-wakes', async () => {
        const channel = new ByteBufferAsyncWritableChannel();
        const waiting = channel.getNextByteBuf(60_000);
        expect(timers.live).toBe(1);
        const src = heapByteBuf(testBytes(8));
        channel.write(src, () => src.release());
        expect(timers.live).toBe(0);
        expect(await waiting).toBe(src);
        channel.resolveOldestChunk(null);
        channel.close();
      });
    } finally {
      timers.uninstall();
    }
  });

  test('close() settles every waiting consumer with null, with or without a timeout, and clears timers', async () => {
    const timers = new TimerTracker().install();
    try {
      await cleanly('wait-close-wakes', async () => {
        const channel = new ByteBufferAsyncWritableChannel();
        const forever = settledFlag(channel.getNextChunk());
        const timed = settledFlag(channel.getNextByteBuf(60_000));
        await nextTurn();
        expect([forever.settled, timed.settled, timers.live]).toEqual([false, false, 1]);
        channel.close();
        expect(timers.live).toBe(0);
        await nextTurn();
        expect([forever, timed]).toEqual([{ settled: true, value: null }, { settled: true, value: null }]);
      });
    } finally {
      timers.uninstall();
    }
  });

  test('several waiting consumers are served in the order they asked', async () => {
    await cleanly('wait-fifo', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const first = channel.getNextChunk();
      const second = channel.getNextChunk();
      channel.write(ByteBuffer.wrap(Uint8Array.of(1)));
      channel.write(ByteBuffer.wrap(Uint8Array.of(2)));
      expect((await first)!.get()).toBe(1);
      expect((await second)!.get()).toBe(2);
      channel.resolveOldestChunk(null);
      channel.resolveOldestChunk(null);
      channel.close();
    });
  });

  test('a chunk handed to a waiting consumer is converted before a following close() releases its wrapper', async () => {
    await cleanly('wait-handoff-then-close', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const waiting = channel.getNextChunk();
      const data = testBytes(100);
      const recorder = new CallbackRecorder();
      channel.write(directByteBuffer(data), recorder.callback);
      channel.close();
      const chunk = await waiting;
      // The view is of the caller's memory, still readable although the wrapper was released.
      expect(chunk!.toUint8Array()).toEqual(data);
      expect(recorder.calls.map((c) => [c.bytesWritten, c.error?.name])).toEqual([[100, 'ClosedChannelException']]);
    });
  });
});

describe('getNextChunk conversion (3.4)', () => {
  test('one NIO buffer: a view of the same memory, the reader index advanced by every readable byte', async () => {
    await cleanly('convert-one', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const src = heapByteBuf(testBytes(64));
      src.skipBytes(4);
      channel.write(src, () => src.release());
      const chunk = (await channel.getNextChunk())!;
      expect(src.readerIndex()).toBe(64);
      expect(chunk.remaining()).toBe(60);
      chunk.put(chunk.position(), 0xee);
      expect(src.getUnsignedByte(4)).toBe(0xee);
      src.setByte(5, 0x11);
      expect(chunk.get(chunk.position() + 1)).toBe(0x11);
      channel.resolveOldestChunk(null);
      channel.close();
    });
  });

  test('a composite with two NIO buffers: a heap copy, the reader index advanced', async () => {
    await cleanly('convert-composite', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const data = testBytes(30);
      const src = compositeByteBuf(data, 10);
      const future = channel.write(src, () => src.release());
      const chunk = (await channel.getNextChunk())!;
      expect(src.readerIndex()).toBe(30);
      expect(chunk.isDirect()).toBe(false);
      expect(chunk.toUint8Array()).toEqual(data);
      src.setByte(0, data[0]! ^ 0xff);
      expect(chunk.get(0)).toBe((data[0]! << 24) >> 24); // Java's signed byte
      channel.resolveOldestChunk(null);
      expect(await future).toBe(30);
      channel.close();
    });
  });

  test('no NIO buffer: an empty ByteBuffer, the reader index unchanged', async () => {
    await cleanly('convert-none', () => {
      const buf: ByteBuf = Unpooled.buffer(8).writeBytes(testBytes(8));
      jest.spyOn(buf, 'nioBufferCount').mockReturnValue(0);
      const out = convertToByteBuffer(buf);
      expect([out.capacity(), out.remaining(), buf.readerIndex()]).toEqual([0, 0, 0]);
      buf.release();
    });
  });

  test('an empty ByteBuffer write comes back as an empty chunk and acknowledges 0 bytes', async () => {
    await cleanly('convert-empty', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const future = channel.write(ByteBuffer.allocate(0));
      expect((await channel.getNextChunk())!.remaining()).toBe(0);
      channel.resolveOldestChunk(null);
      expect(await future).toBe(0);
      channel.close();
    });
  });
});

describe('close() and acknowledgements', () => {
  test('3.8: a write from a callback during the drain fails at once; nothing stays unacknowledged', async () => {
    await cleanly('race-write-during-drain', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const late: WriteFuture[] = [];
      channel.write(ByteBuffer.wrap(testBytes(10)), () => late.push(channel.write(ByteBuffer.wrap(testBytes(5)))));
      channel.close();
      expect(late).toHaveLength(1);
      expect(late[0]!.isDone()).toBe(true);
      expect(late[0]!.error()).toBeInstanceOf(ClosedChannelException);
      expect(await channel.getNextChunk()).toBeNull();
    });
  });

  test('acknowledgements are in write order: checked-out chunks first, then queued ones, all with one error', async () => {
    await cleanly('close-order', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const order: string[] = [];
      const errors = new Set<Error | null>();
      for (const name of ['a', 'b', 'c', 'd']) {
        channel.write(ByteBuffer.wrap(testBytes(10)), (n, e) => {
          order.push(`${name}:${n}`);
          errors.add(e);
        });
      }
      await channel.getNextChunk();
      await channel.getNextByteBuf();
      channel.close();
      expect(order).toEqual(['a:10', 'b:0', 'c:0', 'd:0']);
      expect(errors.size).toBe(1);
      expect([...errors][0]).toBeInstanceOf(ClosedChannelException);
    });
  });

  test('the Close event fires on every close() call', async () => {
    await cleanly('close-events', () => {
      const events: ChannelEvent[] = [];
      const channel = new ByteBufferAsyncWritableChannel((e) => events.push(e));
      channel.close();
      channel.close();
      expect(events).toEqual(['Close', 'Close']);
    });
  });

  test('a throwing callback: its wrapper is still released, the error reaches resolveOldestChunk\'s caller', async () => {
    await cleanly('throwing-callback-resolve', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const future = channel.write(ByteBuffer.wrap(testBytes(10)), () => {
        throw new Error('callback failed');
      });
      const wrapper = (await channel.getNextByteBuf())!;
      expect(() => channel.resolveOldestChunk(null)).toThrow('callback failed');
      expect(wrapper.refCnt()).toBe(0);
      expect(future.isDone()).toBe(true);
      expect(future.result()).toBe(0);
      channel.close();
    });
  });

  test('a throwing callback during close(): every write is still acknowledged, then the first error is rethrown', async () => {
    await cleanly('throwing-callback-close', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const futures = [1, 2, 3].map((i) =>
        channel.write(ByteBuffer.wrap(testBytes(10, i)), () => {
          throw new Error(`callback ${i} failed`);
        }),
      );
      // All three checked out, then a consumer waiting for more (a waiter exists only while the queue is empty).
      expect((await channel.getNextChunk())!.remaining()).toBe(10);
      expect((await channel.getNextChunk())!.remaining()).toBe(10);
      expect((await channel.getNextChunk())!.remaining()).toBe(10);
      const waiting = settledFlag(channel.getNextChunk(60_000));
      await nextTurn();
      expect(waiting.settled).toBe(false);
      expect(() => channel.close()).toThrow('callback 1 failed');
      expect(futures.map((f) => f.error()?.name)).toEqual(Array(3).fill('ClosedChannelException'));
      expect(futures.map((f) => f.isDone())).toEqual(Array(3).fill(true));
      expect(channel.isOpen()).toBe(false);
      await nextTurn();
      expect(waiting).toEqual({ settled: true, value: null });
    });
  });

  test('the bytes a consumer read before resolving are what the producer is told', async () => {
    await cleanly('partial-read', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const src = heapByteBuf(testBytes(100));
      const recorder = new CallbackRecorder();
      channel.write(src, (n, e) => {
        recorder.callback(n, e);
        src.release();
      });
      const buf = (await channel.getNextByteBuf())!;
      expect(ByteBufUtil.getBytes(buf.readSlice(30))).toEqual(testBytes(100).subarray(0, 30));
      channel.resolveOldestChunk(null);
      expect(recorder.calls).toEqual([{ bytesWritten: 30, error: null }]);
      channel.close();
    });
  });
});
