/** `EMPTY_BUFFER`: refCnt always 1, release always false, never tracked, never leaked. */
import { EMPTY_BUFFER, EmptyByteBuf, IndexOutOfBoundsException, Unpooled } from '../../../harness';
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

  it('is never in the ledger, and its views are itself', () => {
    const scope = inScope('empty', () => {
      EMPTY_BUFFER.retain();
      expect(EMPTY_BUFFER.slice()).toBe(EMPTY_BUFFER);
      expect(EMPTY_BUFFER.duplicate()).toBe(EMPTY_BUFFER);
      expect(EMPTY_BUFFER.asReadOnly()).toBe(EMPTY_BUFFER);
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
    expect(() => EMPTY_BUFFER.getByte(0)).toThrow('index: 0, length: 1 (expected: range(0, 0))');
    expect(() => EMPTY_BUFFER.writeByte(1)).toThrow('writerIndex(0) + minWritableBytes(1) exceeds maxCapacity(0)');
  });
});
