/**
 * Derived views: `slice`, `duplicate`, `readSlice`, `asReadOnly` share content
 * and the count, have their own indices, cannot be made of a freed buffer; retained views add one.
 */
import { ByteBufUtil, DerivedByteBuf, ReadOnlyBufferException, Unpooled, type ByteBuf } from '../../../harness';
import { bytes, firstLine, inScope, refCntError, trackerOf, useSettings } from '../support';

useSettings({ level: 'paranoid', exactLedger: true });

/** A heap buffer of capacity 8 holding bytes 0..5 (6 readable). */
function sixBytes(): ByteBuf {
  return Unpooled.buffer(8).writeBytes(bytes(6));
}

describe('views share content', () => {
  it.each<[string, (b: ByteBuf) => ByteBuf]>([
    ['slice()', (b) => b.slice()],
    ['slice(1, 3)', (b) => b.slice(1, 3)],
    ['duplicate()', (b) => b.duplicate()],
    ['readSlice(4)', (b) => b.readSlice(4)],
  ])('%s: a write through the view is seen by the buffer, and the other way round', (_, derive) => {
    const buf = sixBytes();
    const view = derive(buf);
    expect(view).toBeInstanceOf(DerivedByteBuf);
    const offset = view.capacity() === 3 ? 1 : 0; // slice(1, 3) starts at the buffer's index 1
    view.setByte(0, 0xaa);
    expect(buf.getUnsignedByte(offset)).toBe(0xaa);
    buf.setByte(offset + 1, 0xbb);
    expect(view.getUnsignedByte(1)).toBe(0xbb);
    expect(buf.release()).toBe(true);
  });

  it('slice(1, 3) holds exactly bytes 1..3 and has capacity 3', () => {
    const buf = sixBytes();
    const s = buf.slice(1, 3);
    expect([s.readerIndex(), s.writerIndex(), s.capacity()]).toEqual([0, 3, 3]);
    expect(ByteBufUtil.getBytes(s)).toEqual(Uint8Array.from([1, 2, 3]));
    buf.release();
  });

  it('asReadOnly() shares content but refuses writes', () => {
    const buf = sixBytes();
    const ro = buf.asReadOnly();
    expect(ro.isReadOnly()).toBe(true);
    buf.setByte(0, 9);
    expect(ro.getUnsignedByte(0)).toBe(9);
    expect(() => ro.setByte(0, 1)).toThrow(ReadOnlyBufferException);
    expect(() => ro.writeByte(1)).toThrow(ReadOnlyBufferException);
    expect(ro.asReadOnly()).toBe(ro);
    expect(ro.slice().isReadOnly()).toBe(true);
    buf.release();
  });
});

describe('views share the reference count', () => {
  it('buf.slice().release() frees buf', () => {
    const buf = sixBytes();
    const s = buf.slice();
    expect(s.refCnt()).toBe(1);
    expect(s.release()).toBe(true);
    expect(buf.refCnt()).toBe(0);
    const scope = inScope('after-free', () => {
      expect(firstLine(refCntError(() => buf.getUnsignedByte(0)).message)).toBe('refCnt: 0');
    });
    expect(scope.misuses).toHaveLength(1);
  });

  it('retain() on a view retains the buffer, and the view reads the buffer count', () => {
    const buf = sixBytes();
    const d = buf.duplicate();
    d.retain(2);
    expect([buf.refCnt(), d.refCnt()]).toEqual([3, 3]);
    buf.release(2);
    expect(d.refCnt()).toBe(1);
    expect(d.release()).toBe(true);
  });

  it('a view of a view is a view of the same buffer (unwrap() is the buffer)', () => {
    const buf = sixBytes();
    const vv = buf.slice(1, 4).slice(1, 2).duplicate();
    expect(vv.unwrap()).toBe(buf);
    expect(ByteBufUtil.getBytes(vv)).toEqual(Uint8Array.from([2, 3]));
    vv.release();
    expect(buf.refCnt()).toBe(0);
  });

  it('views are not ledger entries of their own: one live buffer, derive records on it', () => {
    let buf!: ByteBuf;
    const scope = inScope('views', () => {
      buf = sixBytes();
      buf.slice();
      buf.duplicate().slice(0, 1);
      buf.asReadOnly();
    });
    expect(scope.liveCount).toBe(1);
    expect(trackerOf(buf)!.records!.map((r) => [r.kind, r.hint])).toEqual([
      ['derive', 'slice'],
      ['derive', 'duplicate'],
      ['derive', 'slice'],
      ['derive', 'asReadOnly'],
    ]);
    buf.release();
    expect(scope.liveCount).toBe(0);
  });
});

describe('views have their own indices', () => {
  it('reading a slice does not move the buffer reader index; readSlice does', () => {
    const buf = sixBytes();
    const s = buf.slice();
    expect([s.readByte(), s.readByte()]).toEqual([0, 1]);
    expect([buf.readerIndex(), s.readerIndex()]).toEqual([0, 2]);
    const r = buf.readSlice(4);
    expect([buf.readerIndex(), r.readerIndex(), r.writerIndex()]).toEqual([4, 0, 4]);
    buf.release();
  });

  it('duplicate() starts with the buffer indices, then moves on its own', () => {
    const buf = sixBytes();
    buf.readerIndex(2);
    const d = buf.duplicate();
    expect([d.readerIndex(), d.writerIndex(), d.capacity()]).toEqual([2, 6, 8]);
    d.readerIndex(5).writerIndex(7);
    expect([buf.readerIndex(), buf.writerIndex()]).toEqual([2, 6]);
    buf.release();
  });
});

describe('a view of a freed buffer', () => {
  it.each<[string, (b: ByteBuf) => unknown]>([
    ['slice()', (b) => b.slice()],
    ['slice(0, 1)', (b) => b.slice(0, 1)],
    ['duplicate()', (b) => b.duplicate()],
    ['readSlice(1)', (b) => b.readSlice(1)],
    ['retainedSlice()', (b) => b.retainedSlice()],
    ['retainedDuplicate()', (b) => b.retainedDuplicate()],
    ['readRetainedSlice(1)', (b) => b.readRetainedSlice(1)],
  ])('%s throws "refCnt: 0", from the buffer and from an earlier view', (_, derive) => {
    const scope = inScope('view-of-freed', () => {
      const buf = sixBytes();
      const earlier = buf.duplicate();
      buf.release();
      expect(firstLine(refCntError(() => derive(buf)).message)).toBe('refCnt: 0');
      expect(firstLine(refCntError(() => derive(earlier)).message)).toBe('refCnt: 0');
      expect(firstLine(refCntError(() => earlier.getUnsignedByte(0)).message)).toBe('refCnt: 0');
    });
    expect(scope.misuses.map((m) => m.kind)).toEqual(['use-after-free', 'use-after-free', 'use-after-free']);
    expect(scope.liveCount).toBe(0);
  });
});

describe('retained views: retainedSlice, retainedDuplicate, readRetainedSlice = view + 1', () => {
  it.each<[string, (b: ByteBuf) => ByteBuf, number[]]>([
    ['retainedSlice()', (b) => b.retainedSlice(), [0, 1, 2, 3, 4, 5]],
    ['retainedSlice(2, 2)', (b) => b.retainedSlice(2, 2), [2, 3]],
    ['retainedDuplicate()', (b) => b.retainedDuplicate(), [0, 1, 2, 3, 4, 5]],
    ['readRetainedSlice(3)', (b) => b.readRetainedSlice(3), [0, 1, 2]],
  ])('%s adds one reference, owned by the caller of the view', (_, derive, content) => {
    const buf = sixBytes();
    const view = derive(buf);
    expect([buf.refCnt(), view.refCnt()]).toEqual([2, 2]);
    expect(Array.from(ByteBufUtil.getBytes(view))).toEqual(content);
    expect(view.release()).toBe(false);
    expect(buf.refCnt()).toBe(1);
    expect(buf.release()).toBe(true);
    expect(trackerOf(buf)!.records!.map((r) => `${r.kind}:${r.refCnt}`)).toEqual(['derive:1', 'retain:2', 'release:1', 'release:0']);
  });
});
