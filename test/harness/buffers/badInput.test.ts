/**
 * Bad input: negative sizes, counts <= 0, indices out of range, and non-buffer sources throw typed
 * errors with clear messages, and afterwards the ledger is as it was (nothing live, no phantom
 * entries, no misuse noted for what is an argument error), and the buffer's own state is unchanged.
 */
import {
  ByteBuffer,
  ByteBufUtil,
  IllegalArgumentException,
  IndexOutOfBoundsException,
  ReadOnlyBufferException,
  Unpooled,
  type ByteBuf,
  type LeakScope,
} from '../../../harness';
import { bytes, firstLine, inScope, refCntError, trackerOf, useSettings } from '../support';

useSettings({ level: 'paranoid', exactLedger: true });

/** Calls `fn`, expects an error of class `type` with exactly `message`. */
function expectError(fn: () => unknown, type: new (...args: never[]) => Error, message: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as Error).message).toBe(message);
  expect(typeof (caught as { code?: unknown }).code).toBe('string');
}

/** The ledger of `scope` holds nothing and saw no misuse. */
function expectUntouched(scope: LeakScope): void {
  expect([scope.liveCount, scope.liveBytes, scope.createdCount, scope.live().length, scope.misuses.length]).toEqual([0, 0, 0, 0, 0]);
}

const notABuffer: [string, unknown, string][] = [
  ['null', null, 'null'],
  ['undefined', undefined, 'undefined'],
  ['a string', 'abc', 'string abc'],
  ['a number', 42, 'number 42'],
  ['a plain object', { length: 3 }, 'Object'],
  ['an ArrayBuffer', new ArrayBuffer(4), 'ArrayBuffer'],
];

describe('sizes', () => {
  it.each<[string, () => unknown, string]>([
    ['Unpooled.buffer(-1)', () => Unpooled.buffer(-1), 'initialCapacity: -1 (expected: >= 0)'],
    ['Unpooled.directBuffer(-5)', () => Unpooled.directBuffer(-5), 'initialCapacity: -5 (expected: >= 0)'],
    ['Unpooled.buffer(1.5)', () => Unpooled.buffer(1.5), 'initialCapacity: 1.5 (expected: >= 0)'],
    ['Unpooled.buffer(10, 5)', () => Unpooled.buffer(10, 5), 'initialCapacity: 10 (expected: not greater than maxCapacity(5)'],
    ['Unpooled.buffer(0, -1)', () => Unpooled.buffer(0, -1), 'initialCapacity: 0 (expected: not greater than maxCapacity(-1)'],
    ['Unpooled.compositeBuffer(-1)', () => Unpooled.compositeBuffer(-1), 'maxNumComponents: -1 (expected: >= 1)'],
    ['Unpooled.buffer("8")', () => Unpooled.buffer('8' as unknown as number), 'initialCapacity: 8 (expected: >= 0)'],
  ])('%s throws IllegalArgumentException and makes no ledger entry', (_, call, message) => {
    const scope = inScope('sizes', () => expectError(call, IllegalArgumentException, message));
    expectUntouched(scope);
  });
});

describe('counts and lengths', () => {
  it.each<[string, (b: ByteBuf) => unknown, string]>([
    ['retain(0)', (b) => b.retain(0), 'increment: 0 (expected: > 0)'],
    ['release(-1)', (b) => b.release(-1), 'decrement: -1 (expected: > 0)'],
    ['readBytes(-1)', (b) => b.readBytes(-1), 'minimumReadableBytes: -1 (expected: >= 0)'],
    ['skipBytes(-2)', (b) => b.skipBytes(-2), 'minimumReadableBytes: -2 (expected: >= 0)'],
    ['readSlice(-1)', (b) => b.readSlice(-1), 'minimumReadableBytes: -1 (expected: >= 0)'],
    ['writeZero(-1)', (b) => b.writeZero(-1), 'minWritableBytes: -1 (expected: >= 0)'],
    ['ensureWritable(-1)', (b) => b.ensureWritable(-1), 'minWritableBytes: -1 (expected: >= 0)'],
    ['setByte(0, 1.5)', (b) => b.setByte(0, 1.5), 'value: 1.5 (expected: an integer)'],
  ])('%s throws IllegalArgumentException; the buffer and the ledger are unchanged', (_, call, message) => {
    let buf!: ByteBuf;
    const scope = inScope('counts', () => {
      buf = Unpooled.buffer(8).writeBytes(bytes(4));
      expectError(() => call(buf), IllegalArgumentException, message);
    });
    expect([buf.refCnt(), buf.readerIndex(), buf.writerIndex(), scope.liveCount, scope.misuses.length]).toEqual([1, 0, 4, 1, 0]);
    buf.release();
    expect(scope.liveCount).toBe(0);
  });
});

describe('indices out of range', () => {
  it.each<[string, (b: ByteBuf) => unknown, string]>([
    ['getByte(-1)', (b) => b.getByte(-1), 'index: -1, length: 1 (expected: range(0, 8))'],
    ['getByte(8)', (b) => b.getByte(8), 'index: 8, length: 1 (expected: range(0, 8))'],
    ['setByte(8, 0)', (b) => b.setByte(8, 0), 'index: 8, length: 1 (expected: range(0, 8))'],
    ['getBytes(6, 4 bytes)', (b) => b.getBytes(6, new Uint8Array(4)), 'index: 6, length: 4 (expected: range(0, 8))'],
    ['setBytes(0, array, 2, 5)', (b) => b.setBytes(0, new Uint8Array(4), 2, 5), 'srcIndex: 2, length: 5 (expected: range(0, 4))'],
    ['slice(4, 5)', (b) => b.slice(4, 5), 'UnpooledByteBufAllocator$InstrumentedUnpooledUnsafeHeapByteBuf(ridx: 0, widx: 4, cap: 8/8).slice(4, 5)'],
    ['nioBuffer(0, 9)', (b) => b.nioBuffer(0, 9), '' /* Netty's heap buffer: the JDK's ByteBuffer.wrap range error */],
    ['readerIndex(5) past the writer index', (b) => b.readerIndex(5), 'readerIndex: 5, writerIndex: 4 (expected: 0 <= readerIndex <= writerIndex <= capacity(8))'],
    ['writerIndex(9) past the capacity', (b) => b.writerIndex(9), 'readerIndex: 0, writerIndex: 9 (expected: 0 <= readerIndex <= writerIndex <= capacity(8))'],
    ['setIndex(3, 2)', (b) => b.setIndex(3, 2), 'readerIndex: 3, writerIndex: 2 (expected: 0 <= readerIndex <= writerIndex <= capacity(8))'],
    ['readBytes(5) with 4 readable', (b) => b.readBytes(5), 'readerIndex(0) + length(5) exceeds writerIndex(4): UnpooledByteBufAllocator$InstrumentedUnpooledUnsafeHeapByteBuf(ridx: 0, widx: 4, cap: 8/8)'],
    ['skipBytes(5)', (b) => b.skipBytes(5), 'readerIndex(0) + length(5) exceeds writerIndex(4): UnpooledByteBufAllocator$InstrumentedUnpooledUnsafeHeapByteBuf(ridx: 0, widx: 4, cap: 8/8)'],
    ['readSlice(5)', (b) => b.readSlice(5), 'readerIndex(0) + length(5) exceeds writerIndex(4): UnpooledByteBufAllocator$InstrumentedUnpooledUnsafeHeapByteBuf(ridx: 0, widx: 4, cap: 8/8)'],
    ['ByteBufUtil.getBytes(buf, 6)', (b) => ByteBufUtil.getBytes(b, 6), 'index: 6, length: -2 (expected: range(0, 8))'],
  ])('%s throws IndexOutOfBoundsException; indices, content and the ledger are unchanged', (_, call, message) => {
    let buf!: ByteBuf;
    const scope = inScope('indices', () => {
      buf = Unpooled.buffer(8, 8).writeBytes(bytes(4));
      expectError(() => call(buf), IndexOutOfBoundsException, message);
    });
    expect([buf.refCnt(), buf.readerIndex(), buf.writerIndex(), buf.capacity()]).toEqual([1, 0, 4, 8]);
    expect(Array.from(ByteBufUtil.getBytes(buf))).toEqual([0, 1, 2, 3]);
    expect([scope.liveCount, scope.createdCount, scope.misuses.length]).toEqual([1, 1, 0]);
    buf.release();
    expect(scope.liveCount).toBe(0);
  });
});

describe('non-buffer sources', () => {
  it.each(notABuffer)('Unpooled.wrappedBuffer(%s) throws IllegalArgumentException naming the source', (_, value, described) => {
    const scope = inScope('wrap', () =>
      expectError(() => Unpooled.wrappedBuffer(value as ByteBuffer), IllegalArgumentException, `source: expected a ByteBuffer, Uint8Array or ByteBuf, got ${described}`),
    );
    expectUntouched(scope);
  });

  it.each(notABuffer)('Unpooled.wrappedBuffer(ByteBuffer, %s) makes no wrapper of the valid source', (_, value, described) => {
    const bb = ByteBuffer.wrap(bytes(4));
    const scope = inScope('wrap-several', () =>
      expectError(() => Unpooled.wrappedBuffer(bb, value as ByteBuffer), IllegalArgumentException, `sources[1]: expected a ByteBuffer, Uint8Array or ByteBuf, got ${described}`),
    );
    expectUntouched(scope);
    expect(bb.position()).toBe(0);
  });

  it.each(notABuffer)('Unpooled.copiedBuffer(%s) throws and allocates nothing', (_, value, described) => {
    const scope = inScope('copy', () =>
      expectError(() => Unpooled.copiedBuffer(value as ByteBuffer), IllegalArgumentException, `source: expected a ByteBuffer, Uint8Array or ByteBuf, got ${described}`),
    );
    expectUntouched(scope);
  });

  it.each(notABuffer)('writeBytes(%s) throws and writes nothing', (_, value, described) => {
    const buf = Unpooled.buffer(8);
    expectError(() => buf.writeBytes(value as Uint8Array), IllegalArgumentException, `src: expected a Uint8Array, ByteBuffer or ByteBuf, got ${described}`);
    expect(buf.writerIndex()).toBe(0);
    buf.release();
  });

  it.each<[string, (b: ByteBuf) => unknown, string]>([
    ['getBytes(0, "x")', (b) => b.getBytes(0, 'x' as unknown as Uint8Array), 'dst: expected a Uint8Array or ByteBuffer, got string x'],
    ['setBytes(0, null)', (b) => b.setBytes(0, null as unknown as Uint8Array), 'src: expected a Uint8Array or ByteBuffer, got null'],
    ['readBytes({})', (b) => b.readBytes({} as unknown as Uint8Array), 'dst: expected a length, Uint8Array, ByteBuffer or ByteBuf, got Object'],
    ['ByteBufUtil.getBytes(null)', () => ByteBufUtil.getBytes(null as unknown as ByteBuf), 'buf: expected a ByteBuf, got null'],
  ])('%s throws IllegalArgumentException', (_, call, message) => {
    let buf!: ByteBuf;
    const scope = inScope('dst', () => {
      buf = Unpooled.buffer(8).writeBytes(bytes(2));
      expectError(() => call(buf), IllegalArgumentException, message);
    });
    expect([buf.readerIndex(), buf.writerIndex()]).toEqual([0, 2]);
    buf.release();
    expect([scope.liveCount, scope.misuses.length]).toEqual([0, 0]);
  });

  it('addComponent(true, 7) throws IllegalArgumentException; the composite stays empty and owned by the caller', () => {
    let c!: ByteBuf;
    const scope = inScope('add', () => {
      const composite = Unpooled.compositeBuffer(4);
      c = composite;
      expectError(() => composite.addComponent(true, 7 as unknown as ByteBuf), IllegalArgumentException, 'buffer: expected a ByteBuf, got number 7');
    });
    expect([c.capacity(), c.refCnt(), scope.liveCount]).toEqual([0, 1, 1]);
    c.release();
    expect([scope.liveCount, scope.misuses.length]).toEqual([0, 0]);
  });
});

describe('the ledger after a failure half-way through', () => {
  it('wrappedBuffer(ByteBuf, freed ByteBuf, ByteBuf) throws "refCnt: 0"; as in Netty the first stays in the lost composite, the rest are released', () => {
    let first!: ByteBuf;
    let later!: ByteBuf;
    const scope = inScope('half-way', () => {
      first = Unpooled.buffer(4).writeBytes(bytes(3));
      const freed = Unpooled.buffer(4).writeBytes(bytes(2));
      freed.release();
      later = Unpooled.buffer(4).writeBytes(bytes(2));
      const error = refCntError(() => Unpooled.wrappedBuffer(first, freed, later));
      expect(firstLine(error.message)).toBe('refCnt: 0');
    });
    // Netty 4.1.48: first refCnt 1 (held by a composite nobody got), later 0; the freed one's
    // release in Netty's safeRelease is a second misuse.
    expect([first.refCnt(), later.refCnt()]).toEqual([1, 0]);
    expect(trackerOf(first)!.heldBy).not.toBeNull();
    expect(scope.live().map((t) => t.kind).sort()).toEqual(['composite', 'heap']);
    expect([scope.liveCount, scope.createdCount]).toEqual([2, 4]);
    expect(scope.misuses.map((m) => m.kind)).toEqual(['use-after-free', 'over-release']);
  });

  it('writeBytes(ByteBuf) into a freed buffer consumes nothing from the source', () => {
    let src!: ByteBuf;
    const scope = inScope('write-into-freed', () => {
      const dst = Unpooled.buffer(8);
      dst.release();
      src = Unpooled.buffer(4).writeBytes(bytes(3));
      expect(firstLine(refCntError(() => dst.writeBytes(src)).message)).toBe('refCnt: 0');
    });
    expect([src.readerIndex(), src.readableBytes()]).toEqual([0, 3]);
    src.release();
    expect(scope.liveCount).toBe(0);
  });

  it('writeBytes(ByteBuf) into a read-only view consumes nothing from the source', () => {
    const dst = Unpooled.buffer(8);
    const src = Unpooled.buffer(4).writeBytes(bytes(3));
    expect(() => dst.asReadOnly().writeBytes(src)).toThrow(new ReadOnlyBufferException());
    expect(src.readerIndex()).toBe(0);
    src.release();
    dst.release();
  });
});
