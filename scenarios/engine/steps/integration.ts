/**
 * The integration steps: the seed's two production consumers of a ByteBufferAsyncWritableChannel,
 * each run against a producer, with the bytes received compared to the bytes written.
 * @packageDocumentation
 */
import { ByteBufUtil, ByteBuffer, Unpooled, type ByteBuf } from '../../../harness';
import { ChunkFiller, ReadableStreamChannelInputStream, type BBAWC, type WriteFuture } from '../../../channel';
import type { TargetBbawc } from '../target';
import type { Memory, RunChunkFillerStep, RunStreamConsumerStep } from '../data';
import type { ReplayContext, WriteRecord } from '../context';
import { contentBytes } from './buffers';
import { concat, readAll } from './channel';

/**
 * The channel as the consumers' type. They program against the port's `BBAWC`, whose only extra
 * member is `version`, which they never read: a target's channel needs no such field.
 */
function consumerView(channel: TargetBbawc): BBAWC {
  return channel as BBAWC;
}

/**
 * Writes one buffer made by `make` per size, recording each write like a `write` step; the
 * callback also releases the source when `releaseSource`. Returns the bytes written and the futures.
 */
function produce(
  ctx: ReplayContext,
  channel: TargetBbawc,
  sizes: readonly number[],
  make: (bytes: Uint8Array) => ByteBuffer | ByteBuf,
  releaseSource: boolean,
): { written: Uint8Array; futures: WriteFuture[] } {
  const parts: Uint8Array[] = [];
  const futures = sizes.map((size, k) => {
    const bytes = contentBytes({ size }, ++ctx.allocations);
    parts.push(bytes);
    const source = make(bytes);
    const calls: WriteRecord['calls'] = [];
    const callbackErrors: unknown[] = [];
    const future = channel.write(source, (n, error) => {
      calls.push({ bytes: n, error });
      if (!releaseSource) return;
      try {
        (source as ByteBuf).release();
      } catch (e) {
        callbackErrors.push(e);
      }
    });
    ctx.addWrite({
      name: `write@${ctx.position.index}.${k}`,
      stepIndex: ctx.position.index,
      label: `${ctx.position.label} (producer write ${k})`,
      mode: releaseSource ? 'releaseSource' : 'record',
      calls,
      callbackErrors,
      future,
    });
    return future;
  });
  return { written: concat(parts), futures };
}

function byteBuffer(bytes: Uint8Array, memory: Memory): ByteBuffer {
  const bb = memory === 'direct' ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
  return bb.put(bytes).flip();
}

function byteBuf(bytes: Uint8Array, memory: Memory): ByteBuf {
  const buf = memory === 'direct' ? Unpooled.directBuffer(bytes.length, bytes.length) : Unpooled.buffer(bytes.length, bytes.length);
  return buf.writeBytes(bytes);
}

/** Records a failed expectation unless `got` equals `want`. */
function compareBytes(ctx: ReplayContext, what: string, want: Uint8Array, got: Uint8Array): void {
  if (got.length !== want.length) {
    ctx.fail(`expected ${what} to be the ${want.length} byte(s) written, got ${got.length} byte(s)`);
    return;
  }
  const i = want.findIndex((b, k) => got[k] !== b);
  if (i >= 0) ctx.fail(`expected ${what} to be the bytes written, got a difference at index ${i}`);
}

/**
 * Ambry's ReadableStreamChannelInputStream: a Node `Readable` reads the channel with
 * `getNextChunk`; the producer writes ByteBuffers, waits until all are acknowledged, and closes
 * the channel, which ends the stream.
 */
export async function runStreamConsumer(ctx: ReplayContext, step: RunStreamConsumerStep): Promise<void> {
  const channel = ctx.requireBbawc();
  const stream = new ReadableStreamChannelInputStream(consumerView(channel));
  const reading = readAll(stream);
  try {
    const memory = step.memory ?? 'direct';
    const { written, futures } = produce(ctx, channel, step.writes, (b) => byteBuffer(b, memory), false);
    await Promise.all(futures);
    channel.close();
    const read = await reading;
    compareBytes(ctx, 'the bytes the stream read', written, read);
    if (step.as !== undefined) ctx.define(step.as, 'bytes', read);
  } finally {
    // On a failure, closing the stream closes the channel: no consumer is left waiting.
    if (!stream.destroyed) stream.destroy();
    await reading.catch(() => undefined);
  }
}

/**
 * Ambry's PutOperation: the ChunkFiller takes `getNextByteBuf`, fills `chunkSize` chunks with
 * `readRetainedSlice` and releases each once sent; the producer writes ByteBufs (released in
 * their callbacks), waits until all are acknowledged, and closes the channel.
 */
export async function runChunkFiller(ctx: ReplayContext, step: RunChunkFillerStep): Promise<void> {
  const channel = ctx.requireBbawc();
  const sent: Uint8Array[] = [];
  const filler = new ChunkFiller(consumerView(channel), {
    chunkSize: step.chunkSize,
    send: (chunk) => {
      sent.push(ByteBufUtil.getBytes(chunk));
      return Promise.resolve();
    },
  });
  const draining = (async () => {
    for await (const record of filler) void record;
  })();
  try {
    const memory = step.memory ?? 'direct';
    const { written, futures } = produce(ctx, channel, step.writes, (b) => byteBuf(b, memory), true);
    await Promise.all(futures);
    channel.close();
    await draining;
    compareBytes(ctx, 'the bytes the chunk filler sent', written, concat(sent));
    const wrongSize = sent.findIndex((c, i) => (i < sent.length - 1 ? c.length !== step.chunkSize : c.length > step.chunkSize || c.length === 0));
    if (wrongSize >= 0) ctx.fail(`expected chunks of ${step.chunkSize} byte(s) (the last one shorter), got chunk ${wrongSize} of ${sent[wrongSize]!.length} byte(s)`);
    if (step.as !== undefined) ctx.define(step.as, 'bytes', concat(sent));
  } finally {
    if (!filler.destroyed) filler.destroy();
    await draining.catch(() => undefined);
  }
}
