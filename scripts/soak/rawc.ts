/**
 * Replays one operation sequence against a `RetainingAsyncWritableChannel` in its own ledger scope,
 * next to a model of the retaining channel's contract (README, Channels), and checks after every
 * operation: each write acknowledged once inside `write` (or, made from a callback, right after it) with the model's byte count and error, the source consumed or
 * untouched as the model says, `getBytesWritten` equal to the model's total, consumed content equal
 * to what was accepted, and at the end 0 leaks and 0 over-releases.
 * @packageDocumentation
 */
import { ByteBuffer, ByteBufUtil, ledger, type ByteBuf } from '../../harness';
import { IllegalStateException, RestServiceException, type RetainingAsyncWritableChannel, type WriteFuture } from '../../channel';
import { concat, readAll } from '../../scenarios/engine/steps/channel';
import { equalBytes, expectLedgerCounts, nextTurn, releaseOwnSource } from './caller';
import type { ConsumeForm, RawcOp, WriteOp } from './operations';
import { makeSource, writeBytes } from './sources';
import { SoakViolation } from './violation';

/** What one sequence did. */
export interface RawcOutcome {
  /** Operations run, writes from callbacks and the final close included. */
  ops: number;
}

/** The channel as section 4 says it should be. */
interface Model {
  open: boolean;
  consumed: boolean;
  total: number;
  content: Uint8Array[];
}

type Expected = { bytes: number; error: string | null; consumes: boolean };

/**
 * Runs `ops` against `makeChannel(limit)`, closes it, releases the caller's buffers and checks it
 * (see the module comment). Throws a {@link SoakViolation} naming the first broken invariant.
 */
export async function runRawcSequence(
  makeChannel: (limit: number) => RetainingAsyncWritableChannel,
  limit: number,
  ops: readonly RawcOp[],
): Promise<RawcOutcome> {
  const run = new RawcRun(limit);
  const scope = (await ledger.scoped('soak-rawc', () => run.replay(makeChannel(limit), ops))).scope;
  expectLedgerCounts(scope, { leaks: 0, overReleases: 0 });
  return { ops: run.opCount };
}

class RawcRun {
  opCount = 0;
  /** How deep in write callbacks the driver is. */
  private callbackDepth = 0;
  /** Checks of writes made inside a callback, run once the outermost write has returned. */
  private readonly nestedChecks: Array<() => void> = [];
  private readonly model: Model = { open: true, consumed: false, total: 0, content: [] };
  private readonly sources: Array<{ src: ByteBuffer | ByteBuf; withCallback: boolean }> = [];

  constructor(private readonly limit: number) {}

  async replay(channel: RetainingAsyncWritableChannel, ops: readonly RawcOp[]): Promise<void> {
    for (const op of ops) {
      this.opCount++;
      if (op.t === 'write') this.write(channel, op);
      else if (op.t === 'consume') await this.consume(channel, op.form);
      else if (op.t === 'close') this.close(channel);
      else await nextTurn();
      if (channel.getBytesWritten() !== this.model.total) {
        throw new SoakViolation('bytes', `getBytesWritten ${channel.getBytesWritten()}, expected ${this.model.total}`);
      }
    }
    this.opCount++;
    this.close(channel);
    for (const { src, withCallback } of this.sources) if (!withCallback) releaseOwnSource(src);
  }

  private close(channel: RetainingAsyncWritableChannel): void {
    channel.close();
    this.model.open = false;
  }

  /** What section 4 says this write gets; updates the model as the channel should update itself. */
  private expect(data: Uint8Array): Expected {
    const model = this.model;
    if (!model.open) return { bytes: 0, error: 'ClosedChannelException', consumes: false };
    if (model.total > this.limit) return { bytes: 0, error: 'RequestTooLarge', consumes: false };
    if (model.consumed) return { bytes: 0, error: 'IllegalStateException', consumes: false };
    model.total += data.length;
    model.content.push(data);
    return { bytes: data.length, error: model.total > this.limit ? 'RequestTooLarge' : null, consumes: true };
  }

  private write(channel: RetainingAsyncWritableChannel, op: WriteOp): void {
    const index = this.sources.length;
    const data = writeBytes(op.size, index);
    const src = makeSource(op.source, data);
    this.sources.push({ src, withCallback: op.withCallback });
    const expected = this.expect(data);
    const acks: Array<{ bytes: number; error: string | null }> = [];
    const future = channel.write(
      src,
      op.withCallback
        ? (n, e) => {
            acks.push({ bytes: n, error: errorName(e) });
            releaseOwnSource(src);
            if (op.fromCallback !== null) {
              this.opCount++;
              this.callbackDepth++;
              try {
                this.write(channel, op.fromCallback);
              } finally {
                this.callbackDepth--;
              }
            }
          }
        : undefined,
    );
    if (!future.isDone()) throw new SoakViolation('ack', `write ${index}: not done when write() returned`);
    // A write made inside a callback gets its own callback right after the running one returns
    // (callbacks never nest): it is checked once the outermost write has returned.
    const check = (): void => this.checkWrite(index, op, src, expected, acks, future);
    if (this.callbackDepth > 0) {
      this.nestedChecks.push(check);
      return;
    }
    check();
    for (const nested of this.nestedChecks.splice(0)) nested();
  }

  private checkWrite(index: number, op: WriteOp, src: ByteBuffer | ByteBuf, expected: Expected, acks: ReadonlyArray<{ bytes: number; error: string | null }>, future: WriteFuture): void {
    const want = { bytes: expected.bytes, error: expected.error };
    if (op.withCallback && (acks.length !== 1 || acks[0]!.bytes !== want.bytes || acks[0]!.error !== want.error)) {
      throw new SoakViolation('ack', `write ${index}: callback got ${JSON.stringify(acks)}, expected once ${JSON.stringify(want)}`);
    }
    if (errorName(future.error()) !== want.error) throw new SoakViolation('ack', `write ${index}: future error ${errorName(future.error())}, expected ${want.error}`);
    if (want.error === null && future.result() !== want.bytes) throw new SoakViolation('bytes', `write ${index}: future result ${future.result()}, expected ${want.bytes}`);
    const left = src instanceof ByteBuffer ? src.remaining() : src.readableBytes();
    if (left !== (expected.consumes ? 0 : op.size)) throw new SoakViolation('bytes', `write ${index}: ${left} byte(s) left in the source, expected ${expected.consumes ? 0 : op.size}`);
  }

  private async consume(channel: RetainingAsyncWritableChannel, form: ConsumeForm): Promise<void> {
    const model = this.model;
    const expectedError = !model.open ? 'Channel is already closed' : model.consumed ? 'Content was already consumed' : null;
    let got: Uint8Array | null = null;
    try {
      got = await consumeAs(channel, form);
    } catch (e) {
      if (!(e instanceof IllegalStateException) || e.message !== expectedError) throw new SoakViolation('throw', `consume (${form}) threw ${String(e)}, expected ${expectedError ?? 'no error'}`);
      return;
    }
    if (expectedError !== null) throw new SoakViolation('ack', `consume (${form}) succeeded, expected "${expectedError}"`);
    model.consumed = true;
    if (got !== null && !equalBytes(got, concat(model.content))) throw new SoakViolation('bytes', `consume (${form}): the content differs from what was written`);
  }
}

/** Consumes the content in `form`; the bytes, or null for a stream destroyed unread. */
async function consumeAs(channel: RetainingAsyncWritableChannel, form: ConsumeForm): Promise<Uint8Array | null> {
  switch (form) {
    case 'byteBuf': {
      const buf = channel.consumeContentAsByteBuf();
      const bytes = ByteBufUtil.getBytes(buf);
      buf.release();
      return bytes;
    }
    case 'bytes':
      return channel.consumeContentAsBytes();
    case 'stream':
      return readAll(channel.consumeContentAsInputStream());
    case 'stream-destroyed': {
      const stream = channel.consumeContentAsInputStream();
      const closed = new Promise((resolve) => stream.once('close', resolve));
      stream.destroy();
      await closed;
      return null;
    }
  }
}

function errorName(e: Error | null): string | null {
  if (e === null) return null;
  return e instanceof RestServiceException ? e.errorCode : e.name;
}
