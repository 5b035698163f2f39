/**
 * `using` with buffers and scopes, and what `ledger.scoped()` gives back: the function's result
 * with the scope, synchronously for a synchronous function.
 */
import { IllegalReferenceCountException, LeakError, Unpooled, ledger, type ByteBuf, type LeakScope } from '../../../harness';
import { leakSanitizer } from '../../../harness/jest';

describe('using a ByteBuf', () => {
  it('releases one reference at the end of the block, on a normal exit', () => {
    let seen: ByteBuf | undefined;
    const { scope } = ledger.scoped('using-normal', () => {
      using buf = Unpooled.buffer(64);
      buf.writeByte(7);
      seen = buf;
    });
    expect(seen!.refCnt()).toBe(0);
    expect([scope.liveCount, scope.createdCount]).toEqual([0, 1]);
  });

  it('releases it when the block throws, and the throw passes through', () => {
    let seen: ByteBuf | undefined;
    expect(() =>
      ledger.scoped('using-throw', () => {
        using buf = Unpooled.buffer(8);
        seen = buf;
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(seen!.refCnt()).toBe(0);
  });

  it('gives back exactly one reference: a retained buffer keeps the other', () => {
    const kept = Unpooled.buffer(8);
    {
      using buf = kept.retain();
      expect(buf.refCnt()).toBe(2);
    }
    expect(kept.refCnt()).toBe(1);
    expect(kept.release()).toBe(true);
  });

  it('over-releases like release() when the block also released it', () => {
    leakSanitizer.optOut('asserts the over-release itself', 'misuses');
    const attempt = (): void => {
      using buf = Unpooled.buffer(8);
      buf.release();
    };
    expect(attempt).toThrow(IllegalReferenceCountException);
    expect(attempt).toThrow(/^refCnt: 0, decrement: 1/);
  });

  it('is a no-op on EMPTY_BUFFER', () => {
    {
      using empty = Unpooled.EMPTY_BUFFER;
      expect(empty.readableBytes()).toBe(0);
    }
    expect(Unpooled.EMPTY_BUFFER.refCnt()).toBe(1);
  });
});

describe('ledger.scoped() keeps the result', () => {
  it('returns { scope, result } at once for a synchronous function', () => {
    const out = ledger.scoped('sync', (scope) => {
      Unpooled.buffer(4).release();
      return `in ${scope.name}`;
    });
    expect(out).not.toBeInstanceOf(Promise);
    expect(out.result).toBe('in sync');
    expect([out.scope.name, out.scope.createdCount, out.scope.liveCount]).toEqual(['sync', 1, 0]);
  });

  it('returns a promise of { scope, result } for an async function', async () => {
    const pending = ledger.scoped('async', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const buf = Unpooled.copiedBuffer(Buffer.from([1, 2, 3]));
      const sum = buf.getUnsignedByte(0) + buf.getUnsignedByte(1) + buf.getUnsignedByte(2);
      buf.release();
      return sum;
    });
    expect(pending).toBeInstanceOf(Promise);
    const { scope, result } = await pending;
    expect(result).toBe(6);
    expect([scope.createdCount, scope.liveCount]).toEqual([1, 0]);
  });

  it('passes a rejection through', async () => {
    await expect(ledger.scoped('rejects', async () => { throw new RangeError('no'); })).rejects.toThrow(RangeError);
  });

  it('reports what the function left live', async () => {
    const { scope, result } = await ledger.scoped('leaky', async () => Unpooled.buffer(16));
    expect([scope.liveCount, scope.liveBytes]).toEqual([1, 16]);
    expect(scope.live()[0]!.id).toBeGreaterThan(scope.startId);
    result.release();
    expect(scope.liveCount).toBe(0);
  });
});

describe('using a scope', () => {
  it('ledger.enterScope() counts what the block makes, then leaves and checks the scope', () => {
    const outer = ledger.current();
    let inner: LeakScope | undefined;
    {
      using scope = ledger.enterScope('entered');
      inner = scope;
      expect(ledger.current()).toBe(scope);
      Unpooled.buffer(2).release();
    }
    expect(ledger.current()).toBe(outer);
    expect([inner.name, inner.createdCount, inner.liveCount]).toEqual(['entered', 1, 0]);
  });

  it('throws LeakError with the report at the end of a block that leaked', () => {
    let leaked: ByteBuf | undefined;
    const outer = ledger.current();
    const attempt = (): void => {
      using _scope = ledger.enterScope('entered-leak');
      leaked = Unpooled.buffer(32);
    };
    expect(attempt).toThrow(LeakError);
    expect(ledger.current()).toBe(outer);
    leaked!.release();
    let message = '';
    try {
      attempt();
    } catch (error) {
      message = (error as Error).message;
    }
    leaked!.release();
    expect(message).toContain("1 leak(s), 32 byte(s) in scope 'entered-leak'");
  });

  it('a scope from openScope() declared with using is checked at the end of the block', () => {
    const scope = ledger.openScope('opened');
    const buf = ledger.runIn(scope, () => Unpooled.buffer(8));
    const attempt = (): void => {
      using _s = scope;
    };
    expect(attempt).toThrow(LeakError);
    buf.release();
    expect(attempt).not.toThrow();
  });
});
