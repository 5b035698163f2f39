/**
 * Must-fail fixtures: buggy code the harness must catch, each asserted down to the site's
 * TypeScript file and line (taken from a marker `new Error()` on the same line, so the assertion
 * follows the source without hard-coded numbers).
 *
 * 1. A function that wraps three ByteBuffers in a loop and releases one: 2 leaks, one group, x2.
 * 2. A double release: `refCnt: 0, decrement: 1`, naming where the first (final) release happened.
 * 3. A buffer dropped unreleased: reported by the GC path in Netty's format.
 */
import {
  ByteBuffer,
  collectGarbage,
  formatLeakReport,
  ledger,
  onGcLeak,
  Unpooled,
  type GcLeak,
  type IllegalReferenceCountException,
} from '../../../harness';
import { firstLine, inScope, refCntError, siteOf, trackerOf, useSettings, type Site } from '../support';

const FILE = 'test/harness/tracking/mustFail.test.ts';

useSettings({ level: 'paranoid', exactLedger: true });

/** The buggy function: wraps three 100-byte ByteBuffers and releases only the first wrapper. */
function wrapThreeReleaseOne(sites: Site[]): void {
  for (let i = 0; i < 3; i++) {
    const wrapper = Unpooled.wrappedBuffer(ByteBuffer.allocate(100)); sites.push(siteOf(new Error()));
    wrapper.touch(`chunk ${i}`);
    if (i === 0) wrapper.release();
  }
}

describe('fixture 1: three wrappers made, one released', () => {
  it('is reported as 2 leaks in ONE group (x2), at that function\'s TypeScript file:line', async () => {
    const sites: Site[] = [];
    const scope = (await ledger.scoped('wrap-three', () => wrapThreeReleaseOne(sites))).scope;
    const at = sites[0]!;
    expect(sites.map((s) => s.line)).toEqual([at.line, at.line, at.line]);

    const report = scope.report();
    expect([report.leakCount, report.leakBytes, report.groups.length]).toEqual([2, 200, 1]);
    const group = report.groups[0]!;
    expect([group.count, group.bytes]).toEqual([2, 200]);
    expect(group.site).toMatch(new RegExp(`^wrapThreeReleaseOne \\(${FILE}:${at.line}:\\d+\\)$`));
    expect(group.siteFrame).toEqual(expect.objectContaining({ fn: 'wrapThreeReleaseOne', file: FILE, line: at.line }));
    expect(group.buffers.map((b) => [b.kind, b.capacity, b.refCnt, b.ownsMemory])).toEqual([
      ['heap-wrapper', 100, 1, false],
      ['heap-wrapper', 100, 1, false],
    ]);
    expect(report.summary).toBe("2 leak(s), 200 byte(s) in scope 'wrap-three'");

    const text = formatLeakReport(report);
    expect(text.split('\n')[0]).toMatch(
      new RegExp(`^Leak 1: wrapper of a heap ByteBuffer or array x2 \\(200 bytes\\) created at wrapThreeReleaseOne \\(${FILE}:${at.line}:\\d+\\)$`),
    );
    expect(text.split('\n').at(-1)).toBe("SUMMARY: 2 leak(s), 200 byte(s) in scope 'wrap-three'");
    expect(() => scope.check()).toThrow(/^Leak 1: wrapper of a heap ByteBuffer or array x2/);

    for (const t of scope.live()) expect(t.gcWatch).not.toBeNull(); // still reachable, still watched
  });
});

/** Frees `buf` (its final release) on a line whose number it returns. */
function freeOnce(): { release: () => boolean; line: number } {
  const buf = Unpooled.directBuffer(16);
  const line = siteOf(new Error()).line + 1;
  buf.release();
  return { release: () => buf.release(), line };
}

describe('fixture 2: a double release', () => {
  it('throws "refCnt: 0, decrement: 1" and names the first release\'s file:line', () => {
    let error!: IllegalReferenceCountException;
    let firstRelease!: number;
    const scope = inScope('double-release', () => {
      const { release, line } = freeOnce();
      firstRelease = line;
      error = refCntError(release);
    });
    const lines = error.message.split('\n');
    expect(firstLine(error.message)).toBe('refCnt: 0, decrement: 1');
    expect(lines[1]).toBe(`Buffer #${error.bufferId} (direct, 16 bytes)`);
    expect(lines[2]).toBe('First released at:');
    expect(lines[3]).toMatch(new RegExp(`^    ↳ freeOnce \\(${FILE}:${firstRelease}:\\d+\\)$`));
    expect(error.releasedAt!.split('\n')[0]).toBe(lines[3]);
    expect(error.message).toMatch(new RegExp(`\\nCreated at:\\n    ↳ freeOnce \\(${FILE}:${firstRelease - 2}:\\d+\\)`));
    expect(scope.misuses).toHaveLength(1);
    expect(scope.report().summary).toBe("0 leak(s), 0 byte(s) in scope 'double-release'; 1 over-release(s) or use(s) after free");
  });
});

/** Allocates a buffer, touches it and drops it: after this returns nothing references it. */
function dropUnreleased(): { id: number; line: number } {
  const buf = Unpooled.directBuffer(8); const line = siteOf(new Error()).line;
  buf.retain().touch('last seen here');
  buf.release();
  return { id: trackerOf(buf)!.id, line };
}

describe('fixture 3: a buffer dropped unreleased', () => {
  it('is reported by the GC path in Netty\'s format', async () => {
    const seen: GcLeak[] = [];
    const unsubscribe = onGcLeak((leak) => seen.push(leak));
    try {
      // Buffers earlier tests dropped (fixture 1's wrappers) are reported first, Netty's "late
      // report": collect them now so the next collection is about this test only.
      await collectGarbage();
      seen.length = 0;
      let dropped = { id: 0, line: 0 };
      // Its own scope, so the exact ledger counts it there (and not in a test runner's scope).
      inScope('dropped', () => {
        dropped = dropUnreleased();
      });
      const { id, line } = dropped;
      const leaks = await collectGarbage();
      expect(leaks.map((l) => l.bufferId)).toEqual([id]);
      expect(seen.map((l) => l.bufferId)).toEqual([id]);
      const text = leaks[0]!.text.split('\n');
      expect(text[0]).toBe("LEAK: ByteBuf.release() was not called before it's garbage-collected. See https://netty.io/wiki/reference-counted-objects.html for more information.");
      expect(text[1]).toBe(`Buffer #${id} (direct, 8 bytes, refCnt 1)`);
      expect(text[2]).toBe('Recent access records: ');
      const frame = (at: number): RegExp => new RegExp(`^\\tat dropUnreleased \\(${FILE}:${at}:\\d+\\)$`);
      // Records newest first, each with its operation and user frames, then the creation.
      const [r1, r2, r3, created] = ['#1:', '#2:', '#3:', 'Created at:'].map((h) => text.indexOf(h));
      expect([r1, r1 < r2, r2 < r3, r3 < created, text.includes('#4:')]).toEqual([3, true, true, true, false]);
      expect(text.slice(r1 + 1, r1 + 3)).toEqual(['\tOperation: release (refCnt: 1)', expect.stringMatching(frame(line + 2))]);
      expect(text.slice(r2 + 1, r2 + 4)).toEqual(['\tHint: last seen here', '\tOperation: touch (refCnt: 2)', expect.stringMatching(frame(line + 1))]);
      expect(text.slice(r3 + 1, r3 + 3)).toEqual(['\tOperation: retain (refCnt: 2)', expect.stringMatching(frame(line + 1))]);
      expect(text[created + 1]).toMatch(frame(line));
    } finally {
      unsubscribe();
    }
  });
});
