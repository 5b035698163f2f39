/**
 * The operation sequences a soak replays, as data (so fast-check can generate, shrink and print
 * them), and their generators. Every sequence is correct use of the channel: the caller releases
 * its own `ByteBuf` once acknowledged, the consumer only reads what it checked out and has not
 * resolved.
 * @packageDocumentation
 */
import fc from 'fast-check';
import { SOURCE_KINDS, type SourceKind } from './sources';

/** A write; `fromCallback` is a further write issued from inside this write's callback. */
export interface WriteOp {
  t: 'write';
  source: SourceKind;
  size: number;
  /** Without a callback the caller watches the future (and releases its `ByteBuf` at the end). */
  withCallback: boolean;
  fromCallback: WriteOp | null;
}

/** An operation on a `ByteBufferAsyncWritableChannel`. */
export type BbawcOp =
  | WriteOp
  /** `getNextChunk`/`getNextByteBuf`; `timeout` undefined waits, 0 polls; awaited or not. */
  | { t: 'checkout'; as: 'chunk' | 'bytebuf'; timeout: number | undefined; awaitIt: boolean }
  /** The consumer reads up to `n` bytes of the oldest borrowed `ByteBuf` not yet acknowledged. */
  | { t: 'read'; n: number }
  | { t: 'resolve'; withError: boolean }
  | { t: 'close' }
  /** Lets pending callbacks run: a microtask, or a whole macrotask turn. */
  | { t: 'tick'; macro: boolean };

/** How a `RetainingAsyncWritableChannel` consumer takes the content. */
export type ConsumeForm = 'byteBuf' | 'bytes' | 'stream' | 'stream-destroyed';

/** An operation on a `RetainingAsyncWritableChannel`. */
export type RawcOp = WriteOp | { t: 'consume'; form: ConsumeForm } | { t: 'close' } | { t: 'tick' };

/** One soak case: a sequence for one of the two channels. */
export type SoakCase = { channel: 'bbawc'; ops: BbawcOp[] } | { channel: 'rawc'; limit: number; ops: RawcOp[] };

const size = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 300 }));

/** A write with at most `depth` levels of writes from callbacks under it. */
function writeOpOf(depth: number): fc.Arbitrary<WriteOp> {
  const write = fc.record({
    t: fc.constant('write' as const),
    source: fc.constantFrom(...SOURCE_KINDS),
    size,
    // Mostly with a callback (the acknowledgement is observed there), sometimes future only.
    withCallback: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    // One write in four writes again from its callback.
    fromCallback: depth === 0 ? fc.constant(null) : fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: writeOpOf(depth - 1) }),
  });
  // Without a callback there is nowhere to write from: no dead write in a printed counterexample.
  return write.map((w) => (w.withCallback || w.fromCallback === null ? w : { ...w, fromCallback: null }));
}

/** A write, sometimes issuing a write from its callback, which sometimes issues another. */
export const writeOp: fc.Arbitrary<WriteOp> = writeOpOf(2);

/**
 * Waiting consumers are real timers: a check-out that is awaited until its timeout passes costs a
 * millisecond of wall time, so timeouts are mostly 0 (poll) or none (wait for a chunk or close).
 */
const timeout = fc.constantFrom<number | undefined>(undefined, undefined, undefined, undefined, 0, 0, 0, 0, 0, 1);

/** One `ByteBufferAsyncWritableChannel` operation. */
export const bbawcOp: fc.Arbitrary<BbawcOp> = fc.oneof(
  { weight: 5, arbitrary: writeOp },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('checkout' as const),
      as: fc.constantFrom('chunk' as const, 'bytebuf' as const),
      timeout,
      awaitIt: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('read' as const), n: fc.integer({ min: 0, max: 120 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('resolve' as const), withError: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'close' as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const), macro: fc.boolean() }) },
);

/** One `RetainingAsyncWritableChannel` operation. */
export const rawcOp: fc.Arbitrary<RawcOp> = fc.oneof(
  { weight: 8, arbitrary: writeOp },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('consume' as const), form: fc.constantFrom<ConsumeForm>('byteBuf', 'bytes', 'stream', 'stream-destroyed') }) },
  { weight: 1, arbitrary: fc.constant({ t: 'close' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'tick' as const }) },
);

/** A size limit for a `RetainingAsyncWritableChannel`: small enough to be crossed, or the default. */
export const sizeLimit: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: 0, max: 1500 }), fc.constant(2 ** 31 - 1));

/** Sequences of at most `maxLength` operations for one channel or the other (three for BBAWC to one for RAWC). */
export function soakCase(maxLength: number): fc.Arbitrary<SoakCase> {
  return fc.oneof(
    { weight: 3, arbitrary: bbawcSequence(maxLength).map((ops): SoakCase => ({ channel: 'bbawc', ops })) },
    {
      weight: 1,
      arbitrary: fc.tuple(sizeLimit, rawcSequence(maxLength)).map(([limit, ops]): SoakCase => ({ channel: 'rawc', limit, ops })),
    },
  );
}

/** `ByteBufferAsyncWritableChannel` sequences of at most `maxLength` operations. */
export function bbawcSequence(maxLength: number): fc.Arbitrary<BbawcOp[]> {
  return fc.array(bbawcOp, { maxLength, size: 'max' });
}

/** `RetainingAsyncWritableChannel` sequences of at most `maxLength` operations. */
export function rawcSequence(maxLength: number): fc.Arbitrary<RawcOp[]> {
  return fc.array(rawcOp, { maxLength, size: 'max' });
}
