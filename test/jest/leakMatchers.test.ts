/**
 * The leak matchers: pass and fail, with and without `.not`, and their messages. Leaks made on
 * purpose live in nested `ledger.scoped` scopes, which the sanitizer leaves to the test.
 */
import { ByteBuffer, LeakDetection, ledger, Unpooled, type ByteBuf, type LeakScope } from '../../harness';
import { leakMatchers, leakSanitizer } from '../../harness/jest';

expect.extend(leakMatchers);

let previous: ReturnType<typeof LeakDetection.configure>;
beforeAll(() => {
  previous = LeakDetection.configure({ level: 'paranoid', exactLedger: true });
});
afterAll(() => {
  LeakDetection.configure(previous);
});

/** The message of the assertion error `fn` throws, without colours. */
function failure(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message.replace(/\u001b\[[0-9;]*m/g, '');
  }
  throw new Error('expected the matcher to fail');
}

/** `test/jest/leakMatchers.test.ts:<line>` of the caller's line. */
function hereLine(): string {
  const frame = new Error().stack!.split('\n')[2]!;
  const m = /leakMatchers\.test\.ts:(\d+):\d+/.exec(frame)!;
  return `test/jest/leakMatchers.test.ts:${m[1]}:`;
}

let wrapSite = '';
/** The two wrappers, released after the file: left to the GC, they would print Netty's LEAK text. */
const wrappers: ByteBuf[] = [];
function wrapTwo(): void {
  for (let i = 0; i < 2; i++) {
    wrapSite = hereLine(); wrappers.push(Unpooled.wrappedBuffer(ByteBuffer.allocate(100)));
  }
}
afterAll(() => {
  for (const w of wrappers.splice(0)) w.release();
});

let twoWrappers: LeakScope;
let clean: LeakScope;
let overReleased: LeakScope;

beforeAll(async () => {
  twoWrappers = (await ledger.scoped('two wrappers', () => wrapTwo())).scope;
  clean = (await ledger.scoped('clean', () => {
    Unpooled.buffer(8).release();
  })).scope;
  overReleased = (await ledger.scoped('over-released', () => {
    const buf = Unpooled.buffer(8);
    buf.release();
    expect(() => buf.release()).toThrow('refCnt: 0, decrement: 1');
  })).scope;
});

describe('toHaveNoLeaks', () => {
  test('passes on a clean scope; .not fails, saying it has none', () => {
    expect(clean).toHaveNoLeaks();
    expect(failure(() => expect(clean).not.toHaveNoLeaks())).toBe(
      "expect(received).not.toHaveNoLeaks()\n\nExpected scope 'clean' to have leaks or misuses, but it has none.",
    );
  });

  test('fails on leaks with the grouped report', () => {
    const text = failure(() => expect(twoWrappers).toHaveNoLeaks());
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'expect(received).toHaveNoLeaks()',
      '',
      "Expected scope 'two wrappers' to have no leaks and no misuses, got:",
      '',
    ]);
    expect(lines[4]).toMatch(/^Leak 1: wrapper of a heap ByteBuffer or array x2 \(200 bytes\) created at .+ \(test\/jest\/leakMatchers\.test\.ts:\d+:\d+\)$/);
    expect(lines[4]).toContain(wrapSite);
    expect(text).toContain("wraps the caller's memory (owns none)");
    expect(lines[lines.length - 1]).toBe("SUMMARY: 2 leak(s), 200 byte(s) in scope 'two wrappers'");
    expect(twoWrappers).not.toHaveNoLeaks();
  });

  test('fails on an over-release, naming it', () => {
    const text = failure(() => expect(overReleased).toHaveNoLeaks());
    expect(text).toMatch(/^Misuse 1: over-release of buffer #\d+: refCnt: 0, decrement: 1$/m);
    expect(text.split('\n').pop()).toBe("SUMMARY: 0 leak(s), 0 byte(s) in scope 'over-released'; 1 over-release(s) or use(s) after free");
  });

  test('on the ledger, checks the current scope', async () => {
    await ledger.scoped('current', () => {
      const buf = Unpooled.buffer(8);
      expect(failure(() => expect(ledger).toHaveNoLeaks())).toContain("SUMMARY: 1 leak(s), 8 byte(s) in scope 'current'");
      buf.release();
      expect(ledger).toHaveNoLeaks();
    });
  });

  test('does not count an exempt buffer', async () => {
    let singleton: ByteBuf | undefined;
    const scope = (await ledger.scoped('exempt', () => {
      singleton = leakSanitizer.exempt(Unpooled.buffer(4), 'module-level constant of this test');
    })).scope;
    expect(scope.liveCount).toBe(1);
    expect(scope).toHaveNoLeaks();
    singleton!.release();
  });

  test('rejects what is not a scope or the ledger', () => {
    expect(failure(() => expect({}).toHaveNoLeaks())).toBe(
      'expect(received).toHaveNoLeaks()\n\nMatcher error: received value must be a LeakScope or the ledger\n\nReceived: {}',
    );
  });
});

describe('toHaveLeaked', () => {
  test('passes with the exact count, at all sites or at a matching one', () => {
    expect(twoWrappers).toHaveLeaked(2);
    expect(twoWrappers).toHaveLeaked(2, { site: wrapSite });
    expect(twoWrappers).toHaveLeaked(2, { site: /leakMatchers\.test\.ts/ });
    expect(twoWrappers).toHaveLeaked(0, { site: 'elsewhere.ts' });
    expect(clean).toHaveLeaked(0);
  });

  test('fails with the count it got and the report', () => {
    const lines = failure(() => expect(twoWrappers).toHaveLeaked(3)).split('\n');
    expect(lines.slice(0, 3)).toEqual(['expect(received).toHaveLeaked(count)', '', "Expected 3 leak(s) in scope 'two wrappers', got 2:"]);
    expect(lines[4]).toMatch(/^Leak 1: wrapper of a heap ByteBuffer or array x2 \(200 bytes\) created at /);
    expect(failure(() => expect(twoWrappers).toHaveLeaked(1, { site: 'elsewhere.ts' })).split('\n')[2]).toBe(
      "Expected 1 leak(s) at a site matching 'elsewhere.ts' in scope 'two wrappers', got 0:",
    );
    expect(failure(() => expect(twoWrappers).not.toHaveLeaked(2)).split('\n')[2]).toBe("Expected not 2 leak(s) in scope 'two wrappers', got 2:");
  });

  test('rejects a count that is not an integer >= 0', () => {
    expect(failure(() => expect(clean).toHaveLeaked(-1))).toBe(
      'expect(received).toHaveLeaked(count)\n\nMatcher error: count must be an integer >= 0\n\nGot: -1',
    );
  });
});

describe('toHaveRefCnt', () => {
  test('passes at the count; fails naming the buffer, its site and its path', async () => {
    await ledger.scoped('refcnt', () => {
      let site = '';
      site = hereLine(); const buf = Unpooled.buffer(8);
      buf.retain();
      expect(buf).toHaveRefCnt(2);
      expect(buf.slice()).toHaveRefCnt(2);
      const lines = failure(() => expect(buf).toHaveRefCnt(1)).split('\n');
      expect(lines[0]).toBe('expect(received).toHaveRefCnt(expected)');
      expect(lines[2]).toMatch(/^Expected refCnt 1, got 2, for buffer #\d+ \(heap, 8 bytes\)$/);
      expect(lines[3]).toMatch(/^ {2}created at .+ \(test\/jest\/leakMatchers\.test\.ts:\d+:\d+\)$/);
      expect(lines[3]).toContain(site);
      expect(lines[4]).toBe('  path (newest first):');
      expect(lines[5]).toMatch(/^ {4}#1: derive "slice" -> refCnt 2 at .+leakMatchers\.test\.ts:\d+:\d+\)$/);
      expect(lines[6]).toMatch(/^ {4}#2: retain -> refCnt 2 at .+leakMatchers\.test\.ts:\d+:\d+\)$/);
      expect(failure(() => expect(buf).not.toHaveRefCnt(2)).split('\n')[2]).toMatch(/^Expected not refCnt 2, got 2, for buffer #\d+/);
      buf.release(2);
      expect(buf).toHaveRefCnt(0);
    });
  });

  test('rejects what is not a ByteBuf', () => {
    expect(failure(() => expect('buf').toHaveRefCnt(1))).toBe(
      'expect(received).toHaveRefCnt(expected)\n\nMatcher error: received value must be a ByteBuf\n\nReceived: "buf"',
    );
  });
});

describe('toHaveNoNewLeaksSince', () => {
  test('passes when what was made since the checkpoint is released; fails with the report otherwise', async () => {
    await ledger.scoped('checkpoint', () => {
      const before = Unpooled.buffer(16);
      const cp = ledger.checkpoint();
      expect(ledger).toHaveNoNewLeaksSince(cp);
      const after = Unpooled.buffer(64);
      const text = failure(() => expect(ledger).toHaveNoNewLeaksSince(cp));
      expect(text.split('\n').slice(0, 3)).toEqual([
        'expect(received).toHaveNoNewLeaksSince(checkpoint)',
        '',
        "Expected no new leaks and no misuses in scope 'checkpoint' since the checkpoint, got:",
      ]);
      expect(text.split('\n').pop()).toBe("SUMMARY: 1 leak(s), 64 byte(s) in scope 'checkpoint'");
      after.release();
      expect(ledger).toHaveNoNewLeaksSince(cp);
      expect(failure(() => expect(ledger).not.toHaveNoNewLeaksSince(cp)).split('\n')[2]).toBe(
        "Expected new leaks or misuses in scope 'checkpoint' since the checkpoint, but there are none.",
      );
      before.release();
    });
  });

  test('fails on a misuse after the checkpoint', async () => {
    await ledger.scoped('misuse after checkpoint', () => {
      const buf = Unpooled.buffer(4);
      buf.release();
      const cp = ledger.checkpoint();
      expect(() => buf.release()).toThrow('refCnt: 0, decrement: 1');
      expect(failure(() => expect(ledger).toHaveNoNewLeaksSince(cp))).toContain(
        "SUMMARY: 0 leak(s), 0 byte(s) in scope 'misuse after checkpoint'; 1 over-release(s) or use(s) after free",
      );
    });
  });

  test('rejects a value that is not a checkpoint', () => {
    expect(failure(() => expect(ledger).toHaveNoNewLeaksSince({} as never))).toBe(
      'expect(received).toHaveNoNewLeaksSince(checkpoint)\n\nMatcher error: expected value must be a checkpoint from ledger.checkpoint()\n\nGot: [object Object]',
    );
  });
});
