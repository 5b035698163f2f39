/**
 * Ports of Ambry's `ByteBufferAsyncWritableChannelTest` (BBAWC 1-9),
 * against the fixed channel, with the same assertions, each also ending with a clean ledger.
 */
import { ByteBuffer, ByteBufUtil, type ByteBuf } from '../../harness';
import {
  ByteBufferAsyncWritableChannel,
  ClosedChannelException,
  IllegalArgumentException,
  type ChannelEvent,
  type WriteFuture,
} from '../../channel';
import { CallbackRecorder, cleanly, compositeByteBuf, directByteBuffer, heapByteBuf, testBytes, useParanoidLedger } from './helpers';

useParanoidLedger();

/** One write of the upstream test's `ChannelWriter`: the data, its future, its callback. */
interface WriteData {
  written: Uint8Array;
  future: WriteFuture;
  recorder: CallbackRecorder;
}

/** Ambry's `ChannelWriter.writeToChannel(n)`: `n` ByteBuffer writes of varied sizes and data. */
function writeByteBuffers(channel: ByteBufferAsyncWritableChannel, count: number): WriteData[] {
  const writes: WriteData[] = [];
  for (let i = 0; i < count; i++) {
    const written = testBytes(1 + ((i * 37) % 100), i + 1);
    const recorder = new CallbackRecorder();
    const future = channel.write(ByteBuffer.wrap(written.slice()), recorder.callback);
    writes.push({ written, future, recorder });
  }
  return writes;
}

describe('ByteBufferAsyncWritableChannel (ports of the upstream tests)', () => {
  test('1. common case: ByteBuffer writes read back in order through getNextChunk', async () => {
    await cleanly('bbawc-common-case', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      expect(channel.isOpen()).toBe(true);
      expect(await channel.getNextChunk(0)).toBeNull();
      const writes = writeByteBuffers(channel, 10);
      let chunkCount = 0;
      let chunk = await channel.getNextChunk();
      while (chunk !== null) {
        const { written, future, recorder } = writes[chunkCount]!;
        const chunkSize = chunk.remaining();
        const read = new Uint8Array(written.length);
        chunk.get(read);
        expect(read).toEqual(written);
        channel.resolveOldestChunk(null);
        expect(await future).toBe(chunkSize);
        expect(recorder.calls).toEqual([{ bytesWritten: chunkSize, error: null }]);
        chunkCount++;
        chunk = await channel.getNextChunk(0);
      }
      expect(chunkCount).toBe(writes.length);
      channel.close();
      expect(channel.isOpen()).toBe(false);
      expect(await channel.getNextChunk()).toBeNull();
      expect(await channel.getNextChunk(0)).toBeNull();
    });
  });

  test('2. write after close: future and callback fail with ClosedChannelException; the callback releases the source', async () => {
    await cleanly('bbawc-write-after-close', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      channel.close();
      const src = heapByteBuf(testBytes(100));
      const recorder = new CallbackRecorder();
      const future = channel.write(src, (n, e) => {
        recorder.callback(n, e);
        src.release();
      });
      expect(future.isDone()).toBe(true);
      expect(future.error()).toBeInstanceOf(ClosedChannelException);
      await expect(future).rejects.toBeInstanceOf(ClosedChannelException);
      expect(recorder.calls).toHaveLength(1);
      expect(recorder.calls[0]!.bytesWritten).toBe(0);
      expect(recorder.calls[0]!.error).toBeInstanceOf(ClosedChannelException);
      expect(recorder.calls[0]!.error).toBe(future.error());
      expect(src.refCnt()).toBe(0);
    });
  });

  test('3. common case through getNextByteBuf, plain and 2-component composite buffers returned as they are', async () => {
    await cleanly('bbawc-common-case-bytebuf', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      expect(await channel.getNextByteBuf(0)).toBeNull();
      const writes: Array<{ src: ByteBuf; written: Uint8Array; future: WriteFuture; recorder: CallbackRecorder }> = [];
      for (let i = 0; i < 10; i++) {
        const written = testBytes(2 + i * 11, 100 + i);
        const src = i % 2 === 0 ? heapByteBuf(written) : compositeByteBuf(written);
        const recorder = new CallbackRecorder();
        const future = channel.write(src, (n, e) => {
          recorder.callback(n, e);
          src.release();
        });
        writes.push({ src, written, future, recorder });
      }
      let count = 0;
      let buf = await channel.getNextByteBuf();
      while (buf !== null) {
        const { src, written, future, recorder } = writes[count]!;
        expect(buf).toBe(src);
        expect(buf.nioBufferCount()).toBe(count % 2 === 0 ? 1 : 2);
        const size = buf.readableBytes();
        const read = new Uint8Array(size);
        buf.readBytes(read);
        expect(read).toEqual(written);
        channel.resolveOldestChunk(null);
        expect(await future).toBe(size);
        expect(recorder.calls).toEqual([{ bytesWritten: size, error: null }]);
        expect(src.refCnt()).toBe(0);
        count++;
        buf = await channel.getNextByteBuf(0);
      }
      expect(count).toBe(10);
      channel.close();
      expect(await channel.getNextByteBuf()).toBeNull();
      expect(await channel.getNextByteBuf(0)).toBeNull();
    });
  });

  test('4. check out 5 chunks, then resolving chunk i acknowledges write i and no younger one', async () => {
    await cleanly('bbawc-checkout-multiple', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const writes = writeByteBuffers(channel, 5);
      const chunks: ByteBuffer[] = [];
      for (let i = 0; i < 5; i++) {
        const chunk = await channel.getNextChunk(0);
        expect(chunk).not.toBeNull();
        chunks.push(chunk!);
      }
      expect(await channel.getNextChunk(0)).toBeNull();
      for (let i = 0; i < 5; i++) {
        for (let j = i; j < 5; j++) {
          expect(writes[j]!.future.isDone()).toBe(false);
          expect(writes[j]!.recorder.calls).toEqual([]);
        }
        channel.resolveOldestChunk(null);
        expect(writes[i]!.future.isDone()).toBe(true);
        expect(writes[i]!.future.result()).toBe(writes[i]!.written.length);
        expect(writes[i]!.recorder.calls).toEqual([{ bytesWritten: writes[i]!.written.length, error: null }]);
        expect(chunks[i]!.toUint8Array()).toEqual(writes[i]!.written);
      }
      channel.close();
    });
  });

  test('5. close before full read: the 7 unread writes fail with ClosedChannelException', async () => {
    await cleanly('bbawc-close-before-full-read', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const writes = writeByteBuffers(channel, 10);
      for (let i = 0; i < 3; i++) {
        const chunk = await channel.getNextChunk();
        expect(chunk!.toUint8Array()).toEqual(writes[i]!.written);
        channel.resolveOldestChunk(null);
        expect(await writes[i]!.future).toBe(writes[i]!.written.length);
      }
      channel.close();
      for (let i = 3; i < 10; i++) {
        const { future, recorder } = writes[i]!;
        await expect(future).rejects.toBeInstanceOf(ClosedChannelException);
        expect(recorder.calls).toHaveLength(1);
        expect(recorder.calls[0]!.bytesWritten).toBe(0);
        expect(recorder.calls[0]!.error).toBeInstanceOf(ClosedChannelException);
      }
      // One shared exception for the whole drain (3.6).
      expect(new Set(writes.slice(3).map((w) => w.future.error())).size).toBe(1);
    });
  });

  test('6. a null source throws IllegalArgumentException; an error passed to resolveOldestChunk reaches future and callback unchanged', async () => {
    await cleanly('bbawc-write-exceptions', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const recorder = new CallbackRecorder();
      expect(() => channel.write(null as unknown as ByteBuffer, recorder.callback)).toThrow(IllegalArgumentException);
      expect(() => channel.write(null as unknown as ByteBuffer, recorder.callback)).toThrow('src: expected a ByteBuffer or ByteBuf, got null');
      expect(recorder.calls).toEqual([]);

      const [write] = writeByteBuffers(channel, 1);
      const chunk = await channel.getNextChunk();
      expect(chunk!.remaining()).toBe(write!.written.length);
      const error = new Error('Exception in resolveOldestChunk');
      channel.resolveOldestChunk(error);
      await expect(write!.future).rejects.toBe(error);
      expect(write!.future.error()).toBe(error);
      expect(write!.recorder.calls).toEqual([{ bytesWritten: write!.written.length, error }]);
      expect(write!.recorder.calls[0]!.error).toBe(error);
      channel.close();
    });
  });

  test('7. use after close: double close, no-op resolve, empty ByteBuffer write fails, getNextChunk is null', async () => {
    await cleanly('bbawc-use-after-close', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      channel.close();
      expect(() => channel.close()).not.toThrow();
      expect(channel.isOpen()).toBe(false);
      expect(() => channel.resolveOldestChunk(null)).not.toThrow();
      const recorder = new CallbackRecorder();
      const future = channel.write(ByteBuffer.allocate(0), recorder.callback);
      expect(future.isDone()).toBe(true);
      await expect(future).rejects.toBeInstanceOf(ClosedChannelException);
      expect(recorder.calls).toHaveLength(1);
      expect(recorder.calls[0]!.error).toBeInstanceOf(ClosedChannelException);
      expect(recorder.calls[0]!.error!.message).toBe('Channel is closed');
      expect(await channel.getNextChunk()).toBeNull();
      expect(await channel.getNextChunk(0)).toBeNull();
    });
  });

  test('8. events: Write only after a write, Close only after close', async () => {
    await cleanly('bbawc-events', async () => {
      const events: ChannelEvent[] = [];
      const channel = new ByteBufferAsyncWritableChannel((e) => events.push(e));
      expect(events).toEqual([]);
      channel.write(ByteBuffer.wrap(testBytes(10)));
      expect(events).toEqual(['Write']);
      channel.close();
      expect(events).toEqual(['Write', 'Close']);
    });
  });

  test('9. a 100-byte direct ByteBuffer: wrapper at refCnt 1 after check-out, 0 after a clean resolution', async () => {
    await cleanly('bbawc-direct-wrapper-refcnt', async () => {
      const channel = new ByteBufferAsyncWritableChannel();
      const written = testBytes(100);
      const src = directByteBuffer(written);
      const recorder = new CallbackRecorder();
      const future = channel.write(src, recorder.callback);
      const wrapper = await channel.getNextByteBuf();
      expect(wrapper).not.toBeNull();
      expect(wrapper!.isDirect()).toBe(true);
      expect(wrapper!.refCnt()).toBe(1);
      expect(ByteBufUtil.getBytes(wrapper!)).toEqual(written);
      wrapper!.skipBytes(100);
      channel.resolveOldestChunk(null);
      expect(recorder.calls).toEqual([{ bytesWritten: 100, error: null }]);
      expect(await future).toBe(100);
      expect(wrapper!.refCnt()).toBe(0);
      channel.close();
    });
  });
});
