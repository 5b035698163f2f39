/**
 * Stacks: captured without the harness's own frames, formatted lazily with TypeScript locations
 * (jest's source maps here) and V8's function names (jest's formatter would name each frame after
 * the function called on its line, e.g. `Object.buffer` for every caller of `Unpooled.buffer`).
 */
import * as path from 'node:path';
import { formatFrame, Unpooled, userFrames, type ByteBuf } from '../../../harness';
import { siteOf, trackerOf, useSettings } from '../support';

const FILE = 'test/harness/tracking/stack.test.ts';

useSettings({ level: 'paranoid', exactLedger: true });

class Factory {
  make(): ByteBuf {
    return Unpooled.buffer(1);
  }
  static create(): ByteBuf {
    return Unpooled.directBuffer(1);
  }
}

function makeInFunction(): ByteBuf {
  return Unpooled.buffer(1);
}

const makeInArrow = (): ByteBuf => Unpooled.wrappedBuffer(new Uint8Array(1));

describe('creation sites', () => {
  it.each<[string, () => ByteBuf, string]>([
    ['a method', () => new Factory().make(), 'Factory.make'],
    ['a static method', () => Factory.create(), 'Function.create'],
    ['a function', () => makeInFunction(), 'makeInFunction'],
    ['an arrow function bound to a name', () => makeInArrow(), 'makeInArrow'],
  ])('name %s as V8 does, at its TypeScript file', (_, make, fn) => {
    const buf = make();
    const frames = userFrames(trackerOf(buf)!.createdAt);
    expect(frames[0]).toEqual(expect.objectContaining({ fn, file: FILE }));
    expect(frames.every((f) => !f.file.startsWith('harness/'))).toBe(true);
    buf.release();
  });

  it('formatFrame gives V8\'s frame shape without "at"', () => {
    expect(formatFrame({ fn: 'f', file: 'a/b.ts', line: 3, column: 9 })).toBe('f (a/b.ts:3:9)');
  });
});

/** Retains `buf` through a view on a known line; returns the line. */
function retainThroughView(buf: ByteBuf): number {
  buf.slice().retain(); return siteOf(new Error()).line;
}

describe('records', () => {
  it('start at the user\'s call, even through a view (the view\'s own method is cut too)', () => {
    const buf = Unpooled.buffer(4);
    const line = retainThroughView(buf);
    const retain = trackerOf(buf)!.records!.find((r) => r.kind === 'retain')!;
    expect(userFrames(retain.stack)[0]).toEqual(expect.objectContaining({ fn: 'retainThroughView', file: FILE, line }));
    buf.release(2);
  });

  it('capture no harness frame at all: they are cut when captured, not only when formatted', () => {
    const buf = Unpooled.buffer(4);
    buf.duplicate().retain();
    buf.touch('t');
    buf.release();
    const t = trackerOf(buf)!;
    // Raw text, read here only: these stacks are not used again by this test. Harness frames can
    // only appear below the test's (a test runner's hooks), never above them.
    const firstFrames = [t.createdAt, ...t.records!.map((r) => r.stack)].map((s) => (s!.stack ?? '').split('\n').find((l) => /^\s+at /.test(l)));
    expect(firstFrames).toHaveLength(5);
    expect(firstFrames.filter((l) => !l!.includes(path.join(process.cwd(), FILE)))).toEqual([]);
    buf.release();
  });
});
