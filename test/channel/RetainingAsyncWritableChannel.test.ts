/**
 * Ports of Ambry's `RetainingAsyncWritableChannelTest` (RAWC 1-4), with
 * the same assertions, each also ending with a clean ledger.
 */
import { ByteBuffer, type ByteBuf } from '../../harness';
import { ClosedChannelException, RestServiceException, RetainingAsyncWritableChannel } from '../../channel';
import { CallbackRecorder, cleanly, compositeByteBuf, concat, heapByteBuf, readAll, testBytes, useParanoidLedger } from './helpers';

useParanoidLedger();

const SIZES = [1000, 20, 201, 0, 79, 1005];
const TOTAL = SIZES.reduce((a, b) => a + b, 0);

/** Asserts a write to the closed channel fails with ClosedChannelException and 0 bytes. */
async function expectClosedWriteFails(channel: RetainingAsyncWritableChannel): Promise<void> {
  const recorder = new CallbackRecorder();
  const src = ByteBuffer.wrap(testBytes(10));
  const future = channel.write(src, recorder.callback);
  expect(future.isDone()).toBe(true);
  await expect(future).rejects.toBeInstanceOf(ClosedChannelException);
  expect(recorder.calls).toHaveLength(1);
  expect(recorder.calls[0]!.bytesWritten).toBe(0);
  expect(recorder.calls[0]!.error).toBeInstanceOf(ClosedChannelException);
  expect(src.remaining()).toBe(10);
}

describe('RetainingAsyncWritableChannel (ports of the upstream tests)', () => {
  test('1. ByteBuffer writes complete inside write, consume their sources; the stream yields the concatenation', async () => {
    await cleanly('rawc-bytebuffers', async () => {
      const channel = new RetainingAsyncWritableChannel();
      const written: Uint8Array[] = [];
      SIZES.forEach((size, i) => {
        const data = testBytes(size, i + 1);
        written.push(data);
        const src = i % 2 === 0 ? ByteBuffer.wrap(data.slice()) : ByteBuffer.allocateDirect(size).put(data).flip();
        const recorder = new CallbackRecorder();
        const future = channel.write(src, recorder.callback);
        expect(future.isDone()).toBe(true);
        expect(future.result()).toBe(size);
        expect(recorder.calls).toEqual([{ bytesWritten: size, error: null }]);
        expect(src.remaining()).toBe(0);
      });
      expect(channel.getBytesWritten()).toBe(TOTAL);
      const stream = channel.consumeContentAsInputStream();
      expect(await readAll(stream)).toEqual(concat(written));
      channel.close();
      await expectClosedWriteFails(channel);
    });
  });

  test('2. ByteBuf writes (heap and 2-component composites, one with a 0-length part); callbacks release the sources', async () => {
    await cleanly('rawc-bytebufs', async () => {
      const channel = new RetainingAsyncWritableChannel();
      const written: Uint8Array[] = [];
      const sources: ByteBuf[] = [];
      SIZES.forEach((size, i) => {
        const data = testBytes(size, 50 + i);
        written.push(data);
        // Composites for odd i; the one of size 201 has an empty first component.
        const src = i % 2 === 0 ? heapByteBuf(data) : compositeByteBuf(data, size === 201 ? 0 : size >> 1);
        sources.push(src);
        const recorder = new CallbackRecorder();
        const future = channel.write(src, (n, e) => {
          recorder.callback(n, e);
          expect(src.refCnt()).toBe(2);
          src.release();
        });
        expect(future.result()).toBe(size);
        expect(recorder.calls).toEqual([{ bytesWritten: size, error: null }]);
        expect(src.readableBytes()).toBe(0);
        expect(src.refCnt()).toBe(1);
      });
      expect(channel.getBytesWritten()).toBe(TOTAL);
      expect(await readAll(channel.consumeContentAsInputStream())).toEqual(concat(written));
      for (const src of sources) expect(src.refCnt()).toBe(0);
      channel.close();
      await expectClosedWriteFails(channel);
    });
  });

  test('3. mutating a source array after a ByteBuffer write does not change the content (it was copied)', async () => {
    await cleanly('rawc-copies-bytebuffers', async () => {
      const channel = new RetainingAsyncWritableChannel();
      const array = testBytes(100);
      const expected = array.slice();
      channel.write(ByteBuffer.wrap(array));
      array.fill(0);
      expect(channel.consumeContentAsBytes()).toEqual(expected);
      channel.close();
    });
  });

  test('4. size limit 1023: 1000 and 20 succeed; 5 is kept but RequestTooLarge; 10 is refused untouched', async () => {
    await cleanly('rawc-size-limit', async () => {
      const channel = new RetainingAsyncWritableChannel(1023);
      const outcomes: Array<{ size: number; bytesWritten: number; errorCode: string | null; remaining: number }> = [];
      const errors: Array<Error | null> = [];
      for (const size of [1000, 20, 5, 10]) {
        const src = ByteBuffer.wrap(testBytes(size));
        const recorder = new CallbackRecorder();
        const future = channel.write(src, recorder.callback);
        const { bytesWritten, error } = recorder.calls[0]!;
        expect(recorder.calls).toHaveLength(1);
        expect(future.error()).toBe(error);
        errors.push(error);
        outcomes.push({
          size,
          bytesWritten,
          errorCode: error instanceof RestServiceException ? error.errorCode : error === null ? null : error.name,
          remaining: src.remaining(),
        });
      }
      expect(outcomes).toEqual([
        { size: 1000, bytesWritten: 1000, errorCode: null, remaining: 0 },
        { size: 20, bytesWritten: 20, errorCode: null, remaining: 0 },
        { size: 5, bytesWritten: 5, errorCode: 'RequestTooLarge', remaining: 0 },
        { size: 10, bytesWritten: 0, errorCode: 'RequestTooLarge', remaining: 10 },
      ]);
      expect(errors[2]!.name).toBe('RestServiceException');
      expect(channel.getBytesWritten()).toBe(1025);
      // The write that crossed the limit kept its data.
      expect(channel.consumeContentAsBytes()).toHaveLength(1025);
      channel.close();
    });
  });
});

describe('RetainingAsyncWritableChannel (beyond the ports)', () => {
  test('the 17th write consolidates the composite: the callers get their extra references back early', async () => {
    await cleanly('rawc-consolidation', async () => {
      const channel = new RetainingAsyncWritableChannel();
      const sources = Array.from({ length: 17 }, (_, i) => heapByteBuf(testBytes(10, i)));
      const refCnts: number[][] = [];
      for (const src of sources) {
        channel.write(src);
        refCnts.push(sources.map((s) => s.refCnt()));
      }
      // After 16 writes every source is held twice (the caller and the channel's duplicate).
      expect(refCnts[15]!.slice(0, 16)).toEqual(Array(16).fill(2));
      // The 17th write pushes the composite past 16 components: it copies and lets go of them all.
      expect(refCnts[16]).toEqual(Array(17).fill(1));
      expect(await readAll(channel.consumeContentAsInputStream())).toEqual(concat(sources.map((_, i) => testBytes(10, i))));
      for (const src of sources) src.release();
      channel.close();
    });
  });

  test('close() gives each ByteBuf source its extra reference back and frees the ByteBuffer copies', async () => {
    await cleanly('rawc-close-releases', () => {
      const channel = new RetainingAsyncWritableChannel();
      const a = heapByteBuf(testBytes(100));
      const b = heapByteBuf(testBytes(100, 2));
      channel.write(a);
      channel.write(b);
      channel.write(ByteBuffer.allocateDirect(100));
      expect([a.refCnt(), b.refCnt()]).toEqual([2, 2]);
      channel.close();
      expect([a.refCnt(), b.refCnt()]).toEqual([1, 1]);
      a.release();
      b.release();
    });
  });
});
