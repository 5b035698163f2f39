/**
 * Replays one operation sequence against a `ByteBufferAsyncWritableChannel` in its own ledger
 * scope and checks every invariant of the channel contract (README, Channels) on what happened:
 * each write acknowledged exactly once (future and callback agreeing), queued writes in write order,
 * writes to a closed channel acknowledged before `write` returns (or, made from a callback, right
 * after it), byte counts equal to what the consumer consumed, the consumer's bytes equal to those
 * written, no live timer, no pending check-out, and exactly the leaks and over-releases the
 * channel's role predicts from the sequence.
 * @packageDocumentation
 */
import { ByteBuffer, ledger, type ByteBuf, type LeakScope } from '../../harness';
import { ClosedChannelException, type BBAWC, type WriteFuture } from '../../channel';
import { concat } from '../../scenarios/engine/steps/channel';
import { equalBytes, expectLedgerCounts, nextTurn, releaseOwnSource, type LedgerCounts } from './caller';
import type { BbawcOp, WriteOp } from './operations';
import { isByteBufferKind, isSharedEmpty, makeSource, writeBytes } from './sources';
import { watchTimers, type TimerWatch } from './timers';
import { SoakViolation } from './violation';

/**
 * Which results a channel must show: `fixed`, none of the seed's bugs (0 leaks, 0 over-releases);
 * `legacy`, exactly the seed's bugs (channel/ownership.ts): one leaked wrapper per non-empty
 * `ByteBuffer` write that reached the queue, one over-release per tracked `ByteBuf` written to the
 * closed channel (the channel released it, then its owner did).
 */
export type BbawcRole = 'fixed' | 'legacy';

/** What one sequence did. */
export interface BbawcOutcome extends LedgerCounts {
  /** Operations run, writes from callbacks and the final close included. */
  ops: number;
}

/** One write and everything observed about it. */
interface WriteRecord {
  readonly op: WriteOp;
  readonly data: Uint8Array;
  readonly src: ByteBuffer | ByteBuf;
  /** Issued before the driver closed the channel: it reaches the queue. */
  readonly queued: boolean;
  future: WriteFuture | undefined;
  readonly acks: Array<{ bytesWritten: number; error: Error | null }>;
  /** How the consumer got it: as a chunk (bytes copied at check-out) or a borrowed `ByteBuf`. */
  takenAs: 'chunk' | 'bytebuf' | null;
  borrowed: ByteBuf | null;
  /** The bytes the consumer got from it, in order. */
  readonly consumed: Uint8Array[];
}

/** The expected ledger counts of a sequence, counted by the driver as it issues writes. */
interface Prediction {
  queuedNonEmptyByteBuffers: number;
  closedTrackedByteBufs: number;
}

/**
 * Runs `ops` against a new channel from `makeChannel`, closes it, and checks it (see the module
 * comment). Throws a {@link SoakViolation} naming the first broken invariant.
 */
export async function runBbawcSequence(makeChannel: () => BBAWC, ops: readonly BbawcOp[], role: BbawcRole): Promise<BbawcOutcome> {
  const timers = watchTimers();
  const run = new BbawcRun(makeChannel, timers);
  let scope: LeakScope;
  try {
    scope = (await ledger.scoped(`soak-bbawc (${role})`, () => run.replay(ops))).scope;
  } finally {
    timers.stop();
  }
  const expected: LedgerCounts =
    role === 'fixed'
      ? { leaks: 0, overReleases: 0 }
      : { leaks: run.prediction.queuedNonEmptyByteBuffers, overReleases: run.prediction.closedTrackedByteBufs };
  // Checked first, so a leaking channel is reported as a leak.
  const seen = expectLedgerCounts(scope, expected);
  run.check();
  return { ...seen, ops: run.opCount };
}

/** The state of one replay. */
class BbawcRun {
  readonly prediction: Prediction = { queuedNonEmptyByteBuffers: 0, closedTrackedByteBufs: 0 };
  opCount = 0;
  private readonly writes: WriteRecord[] = [];
  /** Indices of queued writes with a callback, in the order their callbacks ran. */
  private readonly ackOrder: number[] = [];
  private readonly resolveErrors = new Set<Error>();
  private readonly checkouts: Array<{ settled: boolean }> = [];
  /** Check-outs that failed (rejected, or got a chunk nobody queued); one that never settles is 'pending'. */
  private readonly checkoutFailures: unknown[] = [];
  /** Timers live right after the final `close()`, which must have cleared every one. */
  private timersAfterClose = 0;
  /** Indices of queued writes, in write order: the k-th check-out gets the k-th of them. */
  private readonly queuedOrder: number[] = [];
  /** How deep in write callbacks the driver is: a channel runs a callback triggered inside another after it. */
  private callbackDepth = 0;
  /** Writes to the closed channel made inside a callback: acknowledged by the time the outer call returns. */
  private nestedClosedWrites: number[] = [];
  private takeCount = 0;
  /** The driver's own record of whether it called `close()`: never read from the channel. */
  private closed = false;
  private channel: BBAWC | undefined;

  constructor(
    private readonly makeChannel: () => BBAWC,
    private readonly timers: TimerWatch,
  ) {}

  async replay(ops: readonly BbawcOp[]): Promise<void> {
    const ch = (this.channel = this.makeChannel());
    try {
      for (const op of ops) {
        this.opCount++;
        await this.apply(ch, op);
      }
      this.checkNestedClosedWrites();
    } catch (e) {
      // The sequence failed: still close, so no waiting consumer or timer outlives it.
      try {
        ch.close();
      } catch {
        // The violation already thrown is the one to report.
      }
      throw e;
    }
    this.opCount++;
    this.close(ch);
    this.checkNestedClosedWrites();
    this.timersAfterClose = this.timers.live();
    await nextTurn();
    // Writes without a callback: their owner releases its ByteBuf once the future says done.
    for (const w of this.writes) if (!w.op.withCallback && w.future?.isDone() === true) releaseOwnSource(w.src);
    await this.checkFuturePromises();
  }

  private async apply(ch: BBAWC, op: BbawcOp): Promise<void> {
    switch (op.t) {
      case 'write':
        this.write(ch, op);
        return;
      case 'checkout':
        return this.checkout(ch, op);
      case 'read':
        this.read(op.n);
        return;
      case 'resolve': {
        const error = op.withError ? new Error(`consumer error ${this.resolveErrors.size}`) : null;
        if (error !== null) this.resolveErrors.add(error);
        guard('resolveOldestChunk', () => ch.resolveOldestChunk(error));
        this.checkNestedClosedWrites();
        return;
      }
      case 'close':
        this.close(ch);
        return;
      case 'tick':
        await (op.macro ? nextTurn() : Promise.resolve());
        return;
    }
  }

  private close(ch: BBAWC): void {
    this.closed = true;
    guard('close', () => ch.close());
    this.checkNestedClosedWrites();
  }

  /** Each closed-channel write made from a callback was acknowledged once the outermost call returned. */
  private checkNestedClosedWrites(): void {
    if (this.callbackDepth > 0) return;
    for (const index of this.nestedClosedWrites.splice(0)) this.checkClosedWriteAcknowledged(index, 'the call that ran its enclosing callback returned');
  }

  private checkClosedWriteAcknowledged(index: number, when: string): void {
    const record = this.writes[index]!;
    if (!(record.future!.isDone() && record.acks.length === (record.op.withCallback ? 1 : 0))) {
      throw new SoakViolation('ack', `write ${index} to the closed channel: not acknowledged before ${when}`);
    }
  }

  private write(ch: BBAWC, op: WriteOp): void {
    const index = this.writes.length;
    const data = writeBytes(op.size, index);
    const record: WriteRecord = {
      op,
      data,
      src: makeSource(op.source, data),
      queued: !this.closed,
      future: undefined,
      acks: [],
      takenAs: null,
      borrowed: null,
      consumed: [],
    };
    this.writes.push(record);
    if (record.queued) {
      this.queuedOrder.push(index);
      if (isByteBufferKind(op.source) && op.size > 0) this.prediction.queuedNonEmptyByteBuffers++;
    } else if (!isByteBufferKind(op.source) && !isSharedEmpty(op.source, op.size)) {
      this.prediction.closedTrackedByteBufs++;
    }
    const callback = op.withCallback
      ? (bytesWritten: number, error: Error | null): void => {
          record.acks.push({ bytesWritten, error });
          if (record.queued) this.ackOrder.push(index);
          releaseOwnSource(record.src);
          if (op.fromCallback !== null) {
            this.opCount++;
            this.callbackDepth++;
            try {
              this.write(ch, op.fromCallback);
            } finally {
              this.callbackDepth--;
            }
          }
        }
      : undefined;
    record.future = guard(`write ${index}`, () => ch.write(record.src, callback));
    if (record.queued) return;
    // Outside any callback the acknowledgement comes before write() returns; inside one, the channel
    // runs it right after the running callback (callbacks never nest), so it is checked then.
    if (this.callbackDepth > 0) this.nestedClosedWrites.push(index);
    else this.checkClosedWriteAcknowledged(index, 'write() returned');
    this.checkNestedClosedWrites();
  }

  private async checkout(ch: BBAWC, op: Extract<BbawcOp, { t: 'checkout' }>): Promise<void> {
    const flag = { settled: false };
    this.checkouts.push(flag);
    const onTaken = (value: ByteBuffer | ByteBuf | null): void => {
      flag.settled = true;
      if (value === null) return;
      const index = this.queuedOrder[this.takeCount++];
      const record = index === undefined ? undefined : this.writes[index];
      if (record === undefined) throw new SoakViolation('ack', `check-out ${this.takeCount} got a chunk nobody queued`);
      if (value instanceof ByteBuffer) {
        record.takenAs = 'chunk';
        record.consumed.push(value.toUint8Array());
      } else {
        record.takenAs = 'bytebuf';
        record.borrowed = value;
      }
    };
    const taking = guard('check-out', () => (op.as === 'chunk' ? ch.getNextChunk(op.timeout) : ch.getNextByteBuf(op.timeout)));
    const taken = taking.then(onTaken).catch((e: unknown) => void this.checkoutFailures.push(e));
    // A check-out without a timeout may wait forever: it is awaited for one macrotask turn at most.
    if (op.awaitIt) await (op.timeout !== undefined ? taken : Promise.race([taken, nextTurn()]));
  }

  private read(n: number): void {
    const record = this.writes.find((w) => w.borrowed !== null && w.future?.isDone() === false && w.borrowed.isReadable());
    if (record === undefined) return;
    const bytes = new Uint8Array(Math.min(n, record.borrowed!.readableBytes()));
    record.borrowed!.readBytes(bytes);
    record.consumed.push(bytes);
  }

  /** Awaits each future of a write without a callback: the promise must agree with `isDone/result/error`. */
  private async checkFuturePromises(): Promise<void> {
    for (const [i, w] of this.writes.entries()) {
      if (w.op.withCallback || w.future === undefined || !w.future.isDone()) continue;
      const settled = await Promise.resolve(w.future).then(
        (bytes) => ({ bytes, error: null as unknown }),
        (error: unknown) => ({ bytes: undefined, error }),
      );
      if (settled.bytes !== w.future.result() || settled.error !== (w.future.error() ?? null)) {
        throw new SoakViolation('ack', `write ${i}: awaiting the future gave ${describeSettled(settled)}, isDone/result/error say ${describeSettled({ bytes: w.future.result(), error: w.future.error() })}`);
      }
    }
  }

  /** The invariants on acknowledgements, bytes and check-outs, once the scope is finished. */
  check(): void {
    if (this.timersAfterClose !== 0) throw new SoakViolation('timer', `${this.timersAfterClose} timer(s) live right after close()`);
    const failure = this.checkoutFailures[0];
    if (failure !== undefined) throw failure instanceof SoakViolation ? failure : new SoakViolation('throw', `a check-out failed: ${String(failure)}`);
    const pending = this.checkouts.filter((c) => !c.settled).length;
    if (pending !== 0) throw new SoakViolation('pending', `${pending} check-out(s) never settled after close()`);
    if (this.channel?.isOpen() !== false) throw new SoakViolation('ack', 'channel still open after close()');
    const expectedOrder = this.queuedOrder.filter((i) => this.writes[i]!.op.withCallback);
    this.writes.forEach((w, i) => checkWrite(w, i, this.resolveErrors));
    if (this.ackOrder.join() !== expectedOrder.join()) {
      throw new SoakViolation('ack', `queued writes acknowledged in the order ${this.ackOrder.join(',')}, expected ${expectedOrder.join(',')}`);
    }
    const used = new Set<Error>();
    this.writes.forEach((w, i) => {
      const error = w.future!.error();
      if (error === null || error instanceof ClosedChannelException) return;
      if (used.has(error)) throw new SoakViolation('ack', `write ${i}: consumer error "${error.message}" reached a second write`);
      used.add(error);
    });
  }
}

/** One write's acknowledgement: exactly once, agreeing future, right error, right byte count, right bytes. */
function checkWrite(w: WriteRecord, i: number, resolveErrors: ReadonlySet<Error>): void {
  const future = w.future!;
  if (!future.isDone()) throw new SoakViolation('ack', `write ${i}: future not done after close()`);
  if (w.op.withCallback && w.acks.length !== 1) throw new SoakViolation('ack', `write ${i}: callback called ${w.acks.length} time(s)`);
  const consumed = concat(w.consumed);
  const expectedBytes = w.takenAs === null ? 0 : consumed.length;
  const ack = w.op.withCallback ? w.acks[0]! : { bytesWritten: future.error() === null ? future.result()! : expectedBytes, error: future.error() };
  if (future.error() !== ack.error) throw new SoakViolation('ack', `write ${i}: future and callback disagree on the error`);
  if (ack.error === null && future.result() !== ack.bytesWritten) {
    throw new SoakViolation('ack', `write ${i}: future result ${future.result()}, callback ${ack.bytesWritten}`);
  }
  if (!w.queued && !(ack.error instanceof ClosedChannelException && ack.bytesWritten === 0)) {
    throw new SoakViolation('ack', `write ${i} to the closed channel: acknowledged (${ack.bytesWritten}, ${ack.error?.name ?? null}), expected (0, ClosedChannelException)`);
  }
  if (ack.error !== null && !(ack.error instanceof ClosedChannelException) && !resolveErrors.has(ack.error)) {
    throw new SoakViolation('ack', `write ${i}: unexpected error ${ack.error.name}: ${ack.error.message}`);
  }
  if (ack.bytesWritten !== expectedBytes) {
    throw new SoakViolation('bytes', `write ${i}: acknowledged ${ack.bytesWritten} byte(s), the consumer consumed ${expectedBytes}`);
  }
  if (!equalBytes(consumed, w.data.subarray(0, consumed.length))) throw new SoakViolation('bytes', `write ${i}: the consumer got other bytes than were written`);
}

function describeSettled(s: { bytes: number | undefined; error: unknown }): string {
  return s.error !== null && s.error !== undefined ? `a failure (${String(s.error)})` : `${String(s.bytes)} byte(s)`;
}

/** Runs a channel call; a throw from it (the driver's callbacks never throw) is a violation. */
function guard<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    if (e instanceof SoakViolation) throw e;
    throw new SoakViolation('throw', `${what} threw ${e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e)}`);
  }
}
