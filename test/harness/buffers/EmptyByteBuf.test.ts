/** `EMPTY_BUFFER`: refCnt always 1, release always false, never tracked, never leaked. */
import { EMPTY_BUFFER, EmptyByteBuf, IndexOutOfBoundsException, ReadOnlyBufferException, Unpooled } from '../../../harness';
import { inScope, useSettings } from '../support';

useSettings({ level: 'paranoid', exactLedger: true });

describe('EMPTY_BUFFER', () => {
  it('is the one EmptyByteBuf, also reachable as Unpooled.EMPTY_BUFFER', () => {
    expect(EMPTY_BUFFER).toBeInstanceOf(EmptyByteBuf);
    expect(Unpooled.EMPTY_BUFFER).toBe(EMPTY_BUFFER);
  });

  it('has refCnt() 1 whatever is done to it; release() is always false; retain/touch return it', () => {
    expect(EMPTY_BUFFER.release()).toBe(false);
    expect(EMPTY_BUFFER.release(5)).toBe(false);
    expect(EMPTY_BUFFER.retain()).toBe(EMPTY_BUFFER);
    expect(EMPTY_BUFFER.retain(3)).toBe(EMPTY_BUFFER);
    expect(EMPTY_BUFFER.touch('hint')).toBe(EMPTY_BUFFER);
    expect(EMPTY_BUFFER.release()).toBe(false);
    expect(EMPTY_BUFFER.refCnt()).toBe(1);
  });

  it('is never in the ledger; its slice, duplicate and copy are itself, its asReadOnly() a new read-only view (Netty)', () => {
    const scope = inScope('empty', () => {
      EMPTY_BUFFER.retain();
      expect(EMPTY_BUFFER.slice()).toBe(EMPTY_BUFFER);
      expect(EMPTY_BUFFER.duplicate()).toBe(EMPTY_BUFFER);
      expect(EMPTY_BUFFER.copy()).toBe(EMPTY_BUFFER);
      const ro = EMPTY_BUFFER.asReadOnly();
      expect([ro === EMPTY_BUFFER, ro.isReadOnly(), ro.unwrap(), ro.refCnt(), ro.release()]).toEqual([false, true, EMPTY_BUFFER, 1, false]);
      expect(ro.toString()).toBe('ReadOnlyByteBuf(ridx: 0, widx: 0, cap: 0/0, unwrapped: EmptyByteBufBE)');
      expect(Unpooled.wrappedBuffer(EMPTY_BUFFER)).toBe(EMPTY_BUFFER);
    });
    expect([scope.createdCount, scope.liveCount, scope.misuses.length]).toEqual([0, 0, 0]);
    expect(scope.report().summary).toBe("0 leak(s), 0 byte(s) in scope 'empty'");
  });

  it('holds nothing: capacity 0, one empty NIO buffer, reads out of range', () => {
    expect([EMPTY_BUFFER.capacity(), EMPTY_BUFFER.maxCapacity(), EMPTY_BUFFER.readableBytes(), EMPTY_BUFFER.isReadable()]).toEqual([0, 0, 0, false]);
    expect(EMPTY_BUFFER.nioBufferCount()).toBe(1);
    expect(EMPTY_BUFFER.nioBuffer().remaining()).toBe(0);
    expect(() => EMPTY_BUFFER.readByte()).toThrow(IndexOutOfBoundsException);
    // Netty's EmptyByteBuf throws a bare IndexOutOfBoundsException (message null, here '').
    expect(() => EMPTY_BUFFER.getByte(0)).toThrow(new IndexOutOfBoundsException(''));
    expect(() => EMPTY_BUFFER.writeByte(1)).toThrow(new IndexOutOfBoundsException(''));
    expect(() => EMPTY_BUFFER.readBytes(1)).toThrow(new IndexOutOfBoundsException(''));
    expect(EMPTY_BUFFER.readBytes(0)).toBe(EMPTY_BUFFER);
    expect([EMPTY_BUFFER.isDirect(), EMPTY_BUFFER.isReadOnly(), EMPTY_BUFFER.toString()]).toEqual([true, false, 'EmptyByteBufBE']);
    expect(() => EMPTY_BUFFER.capacity(1)).toThrow(ReadOnlyBufferException);
  });
});
