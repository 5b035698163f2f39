/**
 * Property-based tests (fast-check, seeded, shrinking): random sequences of channel operations
 * with interleaved awaits, then the invariants of `channels.md` checked on what happened:
 * every write acknowledged exactly once and in write order, byte counts equal to what the
 * consumer consumed, no over-release, zero leaks, no live timer, no pending check-out.
 * The same property run against the legacy variant must fail (it proves the property can fail).
 */
import fc from 'fast-check';
import { ByteBuffer, ByteBufUtil, ledger, type ByteBuf, type LeakScope } from '../../harness';
import {
  ClosedChannelException,
  createByteBufferAsyncWritableChannel,
  IllegalStateException,
  RestServiceException,
  RetainingAsyncWritableChannel,
  type BBAWC,
  type ChannelVersion,
  type WriteFuture,
} from '../../channel';
import { compositeByteBuf, concat, directByteBuf, heapByteBuf, nextTurn, readAll, silenceGcLeakReports, testBytes, TimerTracker, useParanoidLedger } from './helpers';

useParanoidLedger();
silenceGcLeakReports();

const SEED = 20251110;

// ---- operations ---------------------------------------------------------------------------------

type Memory = 'heap' | 'direct' | 'composite';
type WriteOp = { t: 'write'; form: 'ByteBuffer' | 'ByteBuf'; memory: Memory; size: number; withCallback: boolean };
type BbawcOp =
  | WriteOp
  | { t: 'checkout'; as: 'chunk' | 'bytebuf'; timeout: number | undefined; awaitIt: boolean }
  | { t: 'read'; n: number }
  | { t: 'resolve'; withError: boolean }
  | { t: 'close' }
  | { t: 'tick'; macro: boolean };

const writeOp: fc.Arbitrary<WriteOp> = fc.record({
  t: fc.constant('write' as const),
  form: fc.constantFrom('ByteBuffer' as const, 'ByteBuf' as const),
  memory: fc.constantFrom('heap' as const, 'direct' as const, 'composite' as const),
  size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 300 })),
  // Mostly with a callback (the acknowledgement is observed there), sometimes future only.
  withCallback: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
});

const bbawcOp: fc.Arbitrary<BbawcOp> = fc.oneof(
  { weight: 5, arbitrary: writeOp },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('checkout' as const),
      as: fc.constantFrom('chunk' as const, 'bytebuf' as const),
      timeout: fc.constantFrom<number | undefined>(undefined, undefined, 0, 0, 0, 1, 2),
      awaitIt: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('read' as const), n: fc.integer({ min: 0, max: 120 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('resolve' as const), withError: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'close' as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const), macro: fc.boolean() }) },
);

// ---- the BBAWC driver ---------------------------------------------------------------------------

/** One write and everything observed about it. */
interface WriteRecord {
  data: Uint8Array;
  src: ByteBuffer | ByteBuf;
  future: WriteFuture;
  withCallback: boolean;
  acks: Array<{ bytesWritten: number; error: Error | null }>;
  /** How the consumer got it: 'chunk' (bytes copied at check-out) or 'bytebuf' (bytes read). */
  takenAs: 'chunk' | 'bytebuf' | null;
  /** The borrowed buffer, for 'bytebuf' check-outs. */
  borrowed: ByteBuf | null;
  /** The bytes the consumer got from it. */
  consumed: Uint8Array[];
}

/** A broken invariant; `kind` lets the legacy test say which one. */
class Violation extends Error {
  constructor(readonly kind: 'leak' | 'misuse' | 'ack' | 'bytes' | 'timer' | 'pending', message: string) {
    super(`${kind}: ${message}`);
  }
}

function makeSource(op: WriteOp, data: Uint8Array): ByteBuffer | ByteBuf {
  if (op.form === 'ByteBuffer') {
    if (op.memory === 'direct') return ByteBuffer.allocateDirect(data.length).put(data).flip();
    return ByteBuffer.wrap(data.slice());
  }
  if (op.memory === 'heap') return heapByteBuf(data);
  if (op.memory === 'direct') return directByteBuf(data);
  return compositeByteBuf(data, data.length >> 2);
}

/** Runs `ops` against a channel of `version` inside a ledger scope, then checks every invariant. */
async function runBbawcSequence(version: ChannelVersion, ops: readonly BbawcOp[]): Promise<void> {
  const timers = new TimerTracker().install();
  const writes: WriteRecord[] = [];
  const ackOrder: number[] = [];
  const resolveErrors = new Set<Error>();
  const checkouts: Array<{ settled: boolean }> = [];
  let writeCount = 0;
  let takeCount = 0;
  let channel: BBAWC | undefined;
  let scope: LeakScope;
  try {
    scope = await ledger.scoped('property-bbawc', async () => {
      const ch = createByteBufferAsyncWritableChannel(version);
      channel = ch;
      /** Writes that reached the queue, in write order: the k-th check-out gets the k-th of them. */
      const queued: number[] = [];
      for (const op of ops) {
        switch (op.t) {
          case 'write': {
            const index = writeCount++;
            const data = testBytes(op.size, index + 1);
            const src = makeSource(op, data);
            const record: WriteRecord = { data, src, future: undefined as unknown as WriteFuture, withCallback: op.withCallback, acks: [], takenAs: null, borrowed: null, consumed: [] };
            writes.push(record);
            const wasOpen = ch.isOpen();
            const callback = op.withCallback
              ? (bytesWritten: number, error: Error | null): void => {
                  record.acks.push({ bytesWritten, error });
                  ackOrder.push(index);
                  // The interface rule: the caller releases its ByteBuf in its callback.
                  if (!(src instanceof ByteBuffer)) src.release();
                }
              : undefined;
            try {
              record.future = ch.write(src, callback);
            } catch {
              // Only the legacy channel gets here (its closed path over-releases); the ledger saw it.
              record.future = { isDone: () => true, result: () => undefined, error: () => null, then: () => Promise.resolve() } as unknown as WriteFuture;
            }
            if (wasOpen) queued.push(index);
            break;
          }
          case 'checkout': {
            const flag = { settled: false };
            checkouts.push(flag);
            const onTaken = (value: ByteBuffer | ByteBuf | null): void => {
              flag.settled = true;
              if (value === null) return;
              const record = writes[queued[takeCount++]!]!;
              if (value instanceof ByteBuffer) {
                record.takenAs = 'chunk';
                record.consumed.push(value.toUint8Array());
              } else {
                record.takenAs = 'bytebuf';
                record.borrowed = value;
              }
            };
            const p = op.as === 'chunk' ? ch.getNextChunk(op.timeout) : ch.getNextByteBuf(op.timeout);
            const observed = p.then(onTaken);
            // Awaiting a check-out without a timeout could wait forever: that one is awaited for at
            // most one macrotask turn.
            if (op.awaitIt) await (op.timeout !== undefined ? observed : Promise.race([observed, nextTurn()]));
            break;
          }
          case 'read': {
            const record = writes.find((w) => w.borrowed !== null && w.future.isDone() === false && w.borrowed.isReadable());
            if (record === undefined) break;
            const n = Math.min(op.n, record.borrowed!.readableBytes());
            const bytes = new Uint8Array(n);
            record.borrowed!.readBytes(bytes);
            record.consumed.push(bytes);
            break;
          }
          case 'resolve': {
            const error = op.withError ? new Error(`consumer error ${resolveErrors.size}`) : null;
            if (error !== null) resolveErrors.add(error);
            ch.resolveOldestChunk(error);
            break;
          }
          case 'close':
            ch.close();
            break;
          case 'tick':
            if (op.macro) await nextTurn();
            else await Promise.resolve();
            break;
        }
      }
      ch.close();
      if (timers.live !== 0) throw new Violation('timer', `${timers.live} timer(s) live right after close()`);
      await nextTurn();
      // Sources written without a callback are released by their owner once acknowledged.
      for (const w of writes) if (!w.withCallback && !(w.src instanceof ByteBuffer) && w.future.isDone() && w.src.refCnt() > 0) w.src.release();
    });
  } finally {
    timers.uninstall();
  }
  // Checked first, so a leaking sequence is reported as a leak.
  const report = scope.report();
  if (report.leakCount !== 0) throw new Violation('leak', report.summary);
  if (report.misuses.length !== 0) throw new Violation('misuse', report.misuses.map((m) => m.message.split('\n')[0]).join('; '));
  if (timers.live !== 0) throw new Violation('timer', `${timers.live} timer(s) live at the end`);
  const pending = checkouts.filter((c) => !c.settled).length;
  if (pending !== 0) throw new Violation('pending', `${pending} check-out(s) never settled after close()`);
  if (channel!.isOpen()) throw new Violation('ack', 'channel still open');
  checkAcknowledgements(writes, ackOrder, resolveErrors);
}

function checkAcknowledgements(writes: readonly WriteRecord[], ackOrder: readonly number[], resolveErrors: ReadonlySet<Error>): void {
  const callbackWrites = writes.map((w, i) => (w.withCallback ? i : -1)).filter((i) => i >= 0);
  if (ackOrder.join() !== callbackWrites.join()) {
    throw new Violation('ack', `acknowledged ${ackOrder.join(',')}, expected each of ${callbackWrites.join(',')} once, in order`);
  }
  const usedErrors = new Set<Error>();
  writes.forEach((w, i) => {
    if (!w.future.isDone()) throw new Violation('ack', `write ${i}: future not done`);
    const consumed = concat(w.consumed);
    const expectedBytes = w.takenAs === null ? 0 : consumed.length;
    const ack = w.withCallback ? w.acks[0]! : { bytesWritten: w.future.error() === null ? w.future.result()! : expectedBytes, error: w.future.error() };
    if (ack.bytesWritten !== expectedBytes) {
      throw new Violation('bytes', `write ${i}: acknowledged ${ack.bytesWritten} bytes, the consumer consumed ${expectedBytes}`);
    }
    if (w.future.error() !== ack.error) throw new Violation('ack', `write ${i}: future and callback disagree on the error`);
    if (ack.error === null && w.future.result() !== ack.bytesWritten) throw new Violation('ack', `write ${i}: future result ${w.future.result()}`);
    if (ack.error !== null && !(ack.error instanceof ClosedChannelException)) {
      if (!resolveErrors.has(ack.error) || usedErrors.has(ack.error)) throw new Violation('ack', `write ${i}: unexpected error ${ack.error.message}`);
      usedErrors.add(ack.error);
    }
    if (!equalBytes(consumed, w.data.subarray(0, consumed.length))) throw new Violation('bytes', `write ${i}: the consumer got other bytes than were written`);
  });
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const bbawcProperty = (version: ChannelVersion): fc.IAsyncProperty<[BbawcOp[]]> =>
  fc.asyncProperty(fc.array(bbawcOp, { maxLength: 40, size: 'max' }), (ops) => runBbawcSequence(version, ops));

// ---- the RAWC driver ----------------------------------------------------------------------------

type ConsumeForm = 'byteBuf' | 'bytes' | 'stream' | 'stream-destroyed';
type RawcOp = WriteOp | { t: 'consume'; form: ConsumeForm } | { t: 'close' } | { t: 'tick' };

const rawcOp: fc.Arbitrary<RawcOp> = fc.oneof(
  { weight: 8, arbitrary: writeOp },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('consume' as const), form: fc.constantFrom<ConsumeForm>('byteBuf', 'bytes', 'stream', 'stream-destroyed') }) },
  { weight: 1, arbitrary: fc.constant({ t: 'close' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'tick' as const }) },
);

const sizeLimit = fc.oneof(fc.integer({ min: 0, max: 1500 }), fc.constant(2 ** 31 - 1));

function readableOf(src: ByteBuffer | ByteBuf): number {
  return src instanceof ByteBuffer ? src.remaining() : src.readableBytes();
}

async function runRawcSequence(limit: number, ops: readonly RawcOp[]): Promise<void> {
  const sources: Array<{ src: ByteBuffer | ByteBuf; withCallback: boolean }> = [];
  const scope = await ledger.scoped('property-rawc', async () => {
    const channel = new RetainingAsyncWritableChannel(limit);
    const model = { open: true, consumed: false, total: 0, content: [] as Uint8Array[] };
    let index = 0;
    for (const op of ops) {
      if (op.t === 'write') {
        const data = testBytes(op.size, ++index);
        const src = makeSource(op, data);
        sources.push({ src, withCallback: op.withCallback });
        let expected: { bytes: number; error: string | null; consumes: boolean };
        if (!model.open) expected = { bytes: 0, error: 'ClosedChannelException', consumes: false };
        else if (model.total > limit) expected = { bytes: 0, error: 'RequestTooLarge', consumes: false };
        else if (model.consumed) expected = { bytes: 0, error: 'IllegalStateException', consumes: false };
        else {
          model.total += op.size;
          model.content.push(data);
          expected = { bytes: op.size, error: model.total > limit ? 'RequestTooLarge' : null, consumes: true };
        }
        const acks: Array<{ bytes: number; error: string | null }> = [];
        const future = channel.write(
          src,
          op.withCallback
            ? (n, e) => {
                acks.push({ bytes: n, error: errorName(e) });
                if (!(src instanceof ByteBuffer)) src.release();
              }
            : undefined,
        );
        if (!future.isDone()) throw new Violation('ack', 'RAWC write not done when write returned');
        if (op.withCallback && (acks.length !== 1 || acks[0]!.bytes !== expected.bytes || acks[0]!.error !== expected.error)) {
          throw new Violation('ack', `write ${index}: callback ${JSON.stringify(acks)}, expected ${JSON.stringify(expected)}`);
        }
        if (errorName(future.error()) !== expected.error) throw new Violation('ack', `write ${index}: future error ${errorName(future.error())}`);
        const left = readableOf(src);
        if (left !== (expected.consumes ? 0 : op.size)) throw new Violation('bytes', `write ${index}: ${left} bytes left in the source`);
      } else if (op.t === 'consume') {
        const expectedError = !model.open ? 'Channel is already closed' : model.consumed ? 'Content was already consumed' : null;
        let got: Uint8Array | null = null;
        try {
          if (op.form === 'byteBuf') {
            const buf = channel.consumeContentAsByteBuf();
            got = ByteBufUtil.getBytes(buf);
            buf.release();
          } else if (op.form === 'bytes') {
            got = channel.consumeContentAsBytes();
          } else if (op.form === 'stream') {
            got = await readAll(channel.consumeContentAsInputStream());
          } else {
            const stream = channel.consumeContentAsInputStream();
            const closed = new Promise((resolve) => stream.once('close', resolve));
            stream.destroy();
            await closed;
          }
          if (expectedError !== null) throw new Violation('ack', `consume succeeded, expected "${expectedError}"`);
        } catch (e) {
          if (e instanceof Violation) throw e;
          if (!(e instanceof IllegalStateException) || e.message !== expectedError) throw e;
        }
        if (expectedError === null) model.consumed = true;
        if (got !== null && !equalBytes(got, concat(model.content))) throw new Violation('bytes', 'consumed content differs from what was written');
      } else if (op.t === 'close') {
        channel.close();
        model.open = false;
      } else {
        await nextTurn();
      }
      if (channel.getBytesWritten() !== model.total) throw new Violation('bytes', `getBytesWritten ${channel.getBytesWritten()}, expected ${model.total}`);
    }
    channel.close();
    for (const { src, withCallback } of sources) if (!withCallback && !(src instanceof ByteBuffer)) src.release();
  });
  const report = scope.report();
  if (report.leakCount !== 0) throw new Violation('leak', report.summary);
  if (report.misuses.length !== 0) throw new Violation('misuse', report.misuses.map((m) => m.message.split('\n')[0]).join('; '));
}

function errorName(e: Error | null): string | null {
  if (e === null) return null;
  return e instanceof RestServiceException ? e.errorCode : e.name;
}

// ---- the tests ----------------------------------------------------------------------------------

describe('properties', () => {
  test('fixed ByteBufferAsyncWritableChannel: 1,000 random sequences keep every invariant', async () => {
    await fc.assert(bbawcProperty('fixed'), { numRuns: 1000, seed: SEED });
  }, 60_000);

  test('RetainingAsyncWritableChannel with random size limits: 1,000 random sequences keep every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(sizeLimit, fc.array(rawcOp, { maxLength: 40, size: 'max' }), (limit, ops) => runRawcSequence(limit, ops)),
      { numRuns: 1000, seed: SEED },
    );
  }, 60_000);

  test('the same property finds a leak in the legacy channel, and shrinks it to a minimal sequence', async () => {
    const details = await fc.check(bbawcProperty('legacy'), { numRuns: 1000, seed: SEED });
    expect(details.failed).toBe(true);
    const error = details.errorInstance as Violation;
    expect(error).toBeInstanceOf(Violation);
    expect(error.kind).toBe('leak');
    // Shrunk to a single non-empty ByteBuffer write that reaches the queue (the driver's final
    // close() acknowledges it): the seed's bug, one leaked wrapper of the write's size.
    const [ops] = details.counterexample!;
    expect(ops).toHaveLength(1);
    const write = ops[0] as WriteOp;
    expect(write).toMatchObject({ t: 'write', form: 'ByteBuffer' });
    expect(write.size).toBeGreaterThan(0);
    expect(error.message).toBe(`leak: 1 leak(s), ${write.size} byte(s) in scope 'property-bbawc'`);
  }, 60_000);
});
