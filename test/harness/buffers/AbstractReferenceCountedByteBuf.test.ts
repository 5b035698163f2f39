/**
 * The reference-counting contract: one test per rule, with Netty's exact
 * messages. Deliberate misuses run in a private scope (`inScope`), which also shows they are noted.
 */
import {
  ByteBuffer,
  IllegalArgumentException,
  IllegalReferenceCountException,
  IndexOutOfBoundsException,
  Unpooled,
  type ByteBuf,
} from '../../../harness';
import { firstLine, inScope, refCntError, siteOf, trackerOf, useSettings, withSettings } from '../support';

describe('a new buffer', () => {
  useSettings({ level: 'paranoid', exactLedger: true });

  it.each<[string, () => ByteBuf]>([
    ['Unpooled.buffer', () => Unpooled.buffer(8)],
    ['Unpooled.directBuffer', () => Unpooled.directBuffer(8)],
    ['Unpooled.wrappedBuffer(ByteBuffer)', () => Unpooled.wrappedBuffer(ByteBuffer.allocate(8))],
    ['Unpooled.wrappedBuffer(Uint8Array)', () => Unpooled.wrappedBuffer(new Uint8Array(8))],
    ['Unpooled.copiedBuffer', () => Unpooled.copiedBuffer(new Uint8Array(8))],
    ['Unpooled.compositeBuffer', () => Unpooled.compositeBuffer()],
  ])('from %s has refCnt() === 1 and is freed by one release()', (_, make) => {
    const buf = make();
    expect(buf.refCnt()).toBe(1);
    expect(buf.release()).toBe(true);
    expect(buf.refCnt()).toBe(0);
  });
});

describe('retain(n) adds and release(n) subtracts', () => {
  useSettings({ level: 'paranoid', exactLedger: true });

  it('follows the arithmetic, returns the buffer from retain, and true only at 0', () => {
    const buf = Unpooled.buffer(4);
    expect(buf.retain()).toBe(buf);
    expect(buf.refCnt()).toBe(2);
    expect(buf.retain(3)).toBe(buf);
    expect(buf.refCnt()).toBe(5);
    expect(buf.release(2)).toBe(false);
    expect(buf.refCnt()).toBe(3);
    expect(buf.release()).toBe(false);
    expect(buf.refCnt()).toBe(2);
    expect(buf.release(2)).toBe(true);
    expect(buf.refCnt()).toBe(0);
  });

  it('records each change with the count after it', () => {
    const buf = Unpooled.buffer(4);
    buf.retain(2);
    buf.release();
    buf.touch('mid');
    buf.release(2);
    expect(trackerOf(buf)!.records!.map((r) => [r.kind, r.refCnt, r.hint])).toEqual([
      ['retain', 3, undefined],
      ['release', 2, undefined],
      ['touch', 2, 'mid'],
      ['release', 0, undefined],
    ]);
  });
});

describe('retain/release arguments <= 0 or not integers', () => {
  useSettings({ level: 'paranoid', exactLedger: true });

  it.each<[string, (b: ByteBuf) => unknown, string]>([
    ['retain(0)', (b) => b.retain(0), 'increment: 0 (expected: > 0)'],
    ['retain(-1)', (b) => b.retain(-1), 'increment: -1 (expected: > 0)'],
    ['retain(1.5)', (b) => b.retain(1.5), 'increment: 1.5 (expected: > 0)'],
    ['release(0)', (b) => b.release(0), 'decrement: 0 (expected: > 0)'],
    ['release(-2)', (b) => b.release(-2), 'decrement: -2 (expected: > 0)'],
    ['release(NaN)', (b) => b.release(NaN), 'decrement: NaN (expected: > 0)'],
  ])('%s throws IllegalArgumentException and leaves the count alone', (_, call, message) => {
    const buf = Unpooled.buffer(4);
    let caught: unknown;
    try {
      call(buf);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IllegalArgumentException);
    expect((caught as IllegalArgumentException).message).toBe(message);
    expect((caught as IllegalArgumentException).code).toBe('ERR_ILLEGAL_ARGUMENT');
    expect(buf.refCnt()).toBe(1);
    expect(buf.release()).toBe(true);
  });
});

describe('touch(hint)', () => {
  useSettings({ level: 'paranoid', exactLedger: true });

  it('returns the buffer, with or without a hint, and records the hint as text', () => {
    const buf = Unpooled.buffer(4);
    expect(buf.touch()).toBe(buf);
    expect(buf.touch({ toString: () => 'object hint' })).toBe(buf);
    expect(trackerOf(buf)!.records!.map((r) => r.hint)).toEqual([undefined, 'object hint']);
    buf.release();
  });

  it('returns a freed buffer without throwing or recording', () => {
    const buf = Unpooled.buffer(4);
    buf.release();
    expect(buf.touch('late')).toBe(buf);
    expect(trackerOf(buf)!.records!.map((r) => r.kind)).toEqual(['release']);
  });
});

/** Every access after free throws `refCnt: 0` (read, write, get, set, slice, duplicate, nioBuffer, ...). */
const ACCESSES: [string, (b: ByteBuf) => unknown][] = [
  ['readByte()', (b) => b.readByte()],
  ['readBytes(length)', (b) => b.readBytes(1)],
  ['readBytes(Uint8Array)', (b) => b.readBytes(new Uint8Array(1))],
  ['readBytes(ByteBuffer)', (b) => b.readBytes(ByteBuffer.allocate(1))],
  ['readSlice(length)', (b) => b.readSlice(1)],
  ['readRetainedSlice(length)', (b) => b.readRetainedSlice(1)],
  ['skipBytes(length)', (b) => b.skipBytes(1)],
  ['writeByte(value)', (b) => b.writeByte(1)],
  ['writeBytes(Uint8Array)', (b) => b.writeBytes(new Uint8Array(1))],
  ['writeBytes(ByteBuffer)', (b) => b.writeBytes(ByteBuffer.allocate(1))],
  ['writeZero(length)', (b) => b.writeZero(1)],
  ['ensureWritable(n)', (b) => b.ensureWritable(1)],
  ['getByte(index)', (b) => b.getByte(0)],
  ['getBytes(index, Uint8Array)', (b) => b.getBytes(0, new Uint8Array(1))],
  ['setByte(index, value)', (b) => b.setByte(0, 1)],
  ['setBytes(index, Uint8Array)', (b) => b.setBytes(0, new Uint8Array(1))],
  ['slice()', (b) => b.slice()],
  ['slice(index, length)', (b) => b.slice(0, 1)],
  ['retainedSlice()', (b) => b.retainedSlice()],
  ['duplicate()', (b) => b.duplicate()],
  ['retainedDuplicate()', (b) => b.retainedDuplicate()],
  ['nioBuffer()', (b) => b.nioBuffer()],
  ['nioBuffers()', (b) => b.nioBuffers()],
  ['copy()', (b) => b.copy()],
  ['ensureAccessible()', (b) => b.ensureAccessible()],
  ['readInt()', (b) => b.readInt()],
  ['readUnsignedShortLE()', (b) => b.readUnsignedShortLE()],
  ['getLong(index)', (b) => b.getLong(0)],
  ['setIntLE(index, value)', (b) => b.setIntLE(0, 1)],
  ['writeMedium(value)', (b) => b.writeMedium(1)],
  ['capacity(newCapacity)', (b) => b.capacity(8)],
  ['discardReadBytes()', (b) => b.discardReadBytes()],
];

/** A buffer with 2 readable bytes, released. */
function freedBuffer(): ByteBuf {
  const buf = Unpooled.buffer(4).writeBytes(new Uint8Array([1, 2]));
  buf.release();
  return buf;
}

describe('views Netty makes without a liveness check', () => {
  // Netty 4.1.48: asReadOnly() checks nothing but that the indices fit the capacity, and a freed
  // heap buffer's capacity is 0 (its array is gone), a freed direct buffer's is kept.
  it('asReadOnly() of a freed heap buffer with written bytes fails on the indices, not the count', () => {
    const buf = freedBuffer();
    expect(buf.capacity()).toBe(0);
    expect(() => buf.asReadOnly()).toThrow(
      new IndexOutOfBoundsException('readerIndex: 0, writerIndex: 2 (expected: 0 <= readerIndex <= writerIndex <= capacity(0))'),
    );
  });

  it('asReadOnly() of a freed direct buffer succeeds; its duplicate() too; retainedDuplicate() fails on the retain', () => {
    const scope = inScope('views-of-freed', () => {
      const buf = Unpooled.directBuffer(4).writeBytes(new Uint8Array([1, 2]));
      buf.release();
      expect(buf.capacity()).toBe(4);
      const ro = buf.asReadOnly();
      expect([ro.toString(), ro.capacity(), ro.refCnt()]).toEqual(['ReadOnlyByteBuf(freed)', 4, 0]);
      const dup = ro.duplicate();
      expect([dup.isReadOnly(), dup.writerIndex()]).toEqual([true, 2]);
      expect(firstLine(refCntError(() => ro.retainedDuplicate()).message)).toBe('refCnt: 0, increment: 1');
      // duplicate() of the buffer itself does check (Netty's AbstractByteBuf.duplicate).
      expect(firstLine(refCntError(() => buf.duplicate()).message)).toBe('refCnt: 0');
    });
    expect(scope.misuses.map((m) => m.kind)).toEqual(['retain-after-free', 'use-after-free']);
  });
});

describe('every access after free', () => {
  it.each(ACCESSES)('%s on an untracked freed buffer throws exactly "refCnt: 0"', (_, access) => {
    withSettings({ level: 'disabled', exactLedger: false }, () => {
      const buf = freedBuffer();
      const error = refCntError(() => access(buf));
      expect(error.message).toBe('refCnt: 0');
      expect(error.name).toBe('IllegalReferenceCountException');
      expect(error.code).toBe('ERR_ILLEGAL_REFERENCE_COUNT');
      expect([error.refCnt, error.delta, error.bufferId]).toEqual([0, 0, undefined]);
    });
  });

  it.each(ACCESSES)('%s on a tracked freed buffer throws "refCnt: 0" first, then where it was freed and made', (_, access) => {
    withSettings({ level: 'paranoid', exactLedger: true }, () => {
      let buf!: ByteBuf;
      let error!: IllegalReferenceCountException;
      const scope = inScope('use-after-free', () => {
        buf = freedBuffer();
        error = refCntError(() => access(buf));
      });
      expect(firstLine(error.message)).toBe('refCnt: 0');
      expect(error.bufferId).toBe(trackerOf(buf)!.id);
      expect(error.message).toContain(`Buffer #${error.bufferId} (heap, 4 bytes)`);
      expect(error.message).toContain('First released at:\n    ↳ freedBuffer (test/harness/buffers/AbstractReferenceCountedByteBuf.test.ts:');
      expect(error.message).toContain('Created at:\n    ↳ freedBuffer (test/harness/buffers/AbstractReferenceCountedByteBuf.test.ts:');
      expect(scope.misuses.map((m) => [m.kind, m.bufferId])).toEqual([['use-after-free', error.bufferId]]);
      expect(scope.liveCount).toBe(0);
    });
  });
});

describe('misuse of the count', () => {
  useSettings({ level: 'paranoid', exactLedger: true });

  it('retain() of a freed buffer throws "refCnt: 0, increment: 1"; retain(5) says increment: 5', () => {
    let errors!: IllegalReferenceCountException[];
    const scope = inScope('retain-after-free', () => {
      const buf = freedBuffer();
      errors = [refCntError(() => buf.retain()), refCntError(() => buf.retain(5))];
    });
    expect(errors.map((e) => firstLine(e.message))).toEqual(['refCnt: 0, increment: 1', 'refCnt: 0, increment: 5']);
    expect(errors.map((e) => [e.refCnt, e.delta])).toEqual([[0, 1], [0, 5]]);
    expect(scope.misuses.map((m) => m.kind)).toEqual(['retain-after-free', 'retain-after-free']);
  });

  it('release() of a freed buffer throws "refCnt: 0, decrement: 1"', () => {
    let error!: IllegalReferenceCountException;
    const scope = inScope('double-release', () => {
      const buf = freedBuffer();
      error = refCntError(() => buf.release());
    });
    expect(firstLine(error.message)).toBe('refCnt: 0, decrement: 1');
    expect([error.refCnt, error.delta]).toEqual([0, -1]);
    expect(scope.misuses.map((m) => m.kind)).toEqual(['over-release']);
  });

  it('release(3) at refCnt 2 throws "refCnt: 2, decrement: 3" and leaves the count at 2', () => {
    let error!: IllegalReferenceCountException;
    let buf!: ByteBuf;
    const scope = inScope('release-below-zero', () => {
      buf = Unpooled.buffer(4).retain();
      error = refCntError(() => buf.release(3));
    });
    expect(firstLine(error.message)).toBe('refCnt: 2, decrement: 3');
    expect(error.releasedAt).toBeUndefined();
    expect(buf.refCnt()).toBe(2);
    expect(scope.liveCount).toBe(1);
    expect(buf.release(2)).toBe(true);
    expect(scope.liveCount).toBe(0);
  });

  it('an untracked buffer gives the bare Netty text', () => {
    withSettings({ level: 'disabled', exactLedger: false }, () => {
      const buf = Unpooled.buffer(4);
      expect(refCntError(() => buf.release(2)).message).toBe('refCnt: 1, decrement: 2');
      buf.release();
      expect(refCntError(() => buf.release()).message).toBe('refCnt: 0, decrement: 1');
      expect(refCntError(() => buf.retain(2)).message).toBe('refCnt: 0, increment: 2');
    });
  });

  it('the error names the final release, not an earlier one', () => {
    let error!: IllegalReferenceCountException;
    let finalRelease!: number;
    inScope('final-release', () => {
      const buf = Unpooled.buffer(4).retain();
      buf.release();
      buf.release(); finalRelease = siteOf(new Error()).line;
      error = refCntError(() => buf.release());
    });
    const file = 'test/harness/buffers/AbstractReferenceCountedByteBuf.test.ts';
    expect(error.releasedAt!.split('\n')[0]).toMatch(new RegExp(`^    ↳ .* \\(${file}:${finalRelease}:\\d+\\)$`));
  });
});
