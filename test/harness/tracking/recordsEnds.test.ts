/**
 * `BYTEBUF_LEAK_RECORDS=ends`: at `advanced`/`paranoid` a tracked buffer keeps the stacks of its
 * creation and of its final release only, and counts its other operations by kind; reports say
 * which operations were counted and not recorded, in both the scope report and Netty's text.
 */
import {
  collectGarbage,
  formatLeakReport,
  IllegalArgumentException,
  LeakDetection,
  leakReportToJson,
  onGcLeak,
  parseRecordsMode,
  RECORDS_MODES,
  settingsFromEnv,
  Unpooled,
  type ByteBuf,
  type GcLeak,
} from '../../../harness';
import { inScope, refCntError, siteOf, trackerOf, useSettings, withSettings } from '../support';

const FILE = 'test/harness/tracking/recordsEnds.test.ts';
const SETTING = 'records: ends; BYTEBUF_LEAK_RECORDS=all records them';

useSettings({ level: 'paranoid', exactLedger: true, records: 'ends' });

describe('the records setting', () => {
  it('defaults to all, reads BYTEBUF_LEAK_RECORDS in any case, and refuses anything else naming the variable', () => {
    expect(RECORDS_MODES).toEqual(['all', 'ends']);
    expect(settingsFromEnv({}).records).toBe('all');
    expect(['ends', ' ENDS ', 'All'].map((v) => settingsFromEnv({ BYTEBUF_LEAK_RECORDS: v }).records)).toEqual(['ends', 'ends', 'all']);
    expect(settingsFromEnv({ BYTEBUF_LEAK_RECORDS: '' }).records).toBe('all');
    expect(() => settingsFromEnv({ BYTEBUF_LEAK_RECORDS: 'some' })).toThrow(
      new IllegalArgumentException("Expected BYTEBUF_LEAK_RECORDS to be one of all, ends, got 'some'"),
    );
    expect(() => parseRecordsMode('first')).toThrow(new IllegalArgumentException("Expected records to be one of all, ends, got 'first'"));
  });

  it('is validated by configure, which leaves the settings as they were on a bad value', () => {
    const before = LeakDetection.settings();
    expect(() => LeakDetection.configure({ records: 'none' as never })).toThrow(
      new IllegalArgumentException("Expected records to be one of all, ends, got 'none'"),
    );
    expect(LeakDetection.settings()).toEqual(before);
    expect(before.records).toBe('ends');
  });
});

describe('a buffer tracked with records: ends', () => {
  it('keeps its creation stack and no record, counting each other operation by kind', () => {
    let buf!: ByteBuf;
    inScope('ends-counts', () => {
      buf = Unpooled.buffer(8);
      buf.retain().touch('x').retain();
      buf.release();
      buf.duplicate();
    });
    const t = trackerOf(buf)!;
    expect([t.records, t.notRecorded, t.releasedAt, t.refCnt]).toEqual([null, { retain: 2, touch: 1, release: 1, derive: 1 }, null, 2]);
    expect(t.createdAt).not.toBeNull();
    buf.release(2);
    // The final release is not counted: its stack is kept instead.
    expect([t.notRecorded, t.releasedAt !== null]).toEqual([{ retain: 2, touch: 1, release: 1, derive: 1 }, true]);
  });

  it('keeps the stack of the final release, cut at the caller, for the use-after-free error', () => {
    let finalRelease = 0;
    let message = '';
    inScope('ends-final-release', () => {
      const buf = Unpooled.buffer(4).retain();
      buf.release();
      buf.release(); finalRelease = siteOf(new Error()).line;
      const t = trackerOf(buf)!;
      expect(t.notRecorded).toEqual({ retain: 1, release: 1 });
      message = refCntError(() => buf.release()).releasedAt!;
    });
    // The first frame is this test's line: the harness's own frames (release, record) are cut.
    expect(message.split('\n')[0]).toMatch(new RegExp(`^    ↳ .* \\(${FILE}:${finalRelease}:\\d+\\)$`));
  });

  it('is reported with the counts of what was not recorded, in text and JSON', () => {
    let made = 0;
    const leaked: ByteBuf[] = [];
    const scope = inScope('ends-report', () => {
      const a = Unpooled.buffer(16); made = siteOf(new Error()).line;
      a.retain().touch('seen').retain().release();
      leaked.push(a);
    });
    try {
      const report = scope.report();
      const lines = formatLeakReport(report).split('\n');
      expect(lines[0]).toMatch(new RegExp(`^Leak 1: heap buffer x1 \\(16 bytes\\) created at .* \\(${FILE}:${made}:\\d+\\)$`));
      const at = lines.findIndex((l) => l.startsWith('  buffer #'));
      expect(lines.slice(at, at + 3)).toEqual([
        `  buffer #${trackerOf(leaked[0]!)!.id}: heap buffer, 16 bytes, left at refCnt 2, owns its memory`,
        `    path: retain x2, touch x1, release x1 not recorded (${SETTING})`,
        '  Hint: Release the buffer when done with it: in the write callback, or in a try/finally around its use.',
      ]);
      const json = JSON.parse(leakReportToJson(report)) as { groups: { buffers: { records: unknown[]; notRecorded: unknown }[] }[] };
      expect(json.groups[0]!.buffers[0]!.records).toEqual([]);
      expect(json.groups[0]!.buffers[0]!.notRecorded).toEqual([
        { kind: 'retain', count: 2 },
        { kind: 'touch', count: 1 },
        { kind: 'release', count: 1 },
      ]);
    } finally {
      leaked[0]!.release(2);
    }
  });

  it('says so when a leaked buffer had no operation after its creation', () => {
    const leaked: ByteBuf[] = [];
    const scope = inScope('ends-untouched', () => {
      leaked.push(Unpooled.buffer(3));
    });
    try {
      expect(formatLeakReport(scope.report()).split('\n')).toContain(`    path: no operation since its creation (${SETTING})`);
    } finally {
      leaked[0]!.release();
    }
  });

  it('with records: all, keeps every record and no counts, as before', () => {
    withSettings({ records: 'all' }, () => {
      const buf = Unpooled.buffer(2).retain();
      buf.touch();
      const t = trackerOf(buf)!;
      expect([t.records!.map((r) => r.kind), t.notRecorded]).toEqual([['retain', 'touch'], null]);
      buf.release(2);
      expect(t.releasedAt).toBe(t.records![2]!.stack);
    });
  });
});

describe('the GC path with records: ends', () => {
  it('still reports a dropped buffer, in Netty\'s shape, with the counts after the creation record', async () => {
    await collectGarbage();
    const seen: GcLeak[] = [];
    const unsubscribe = onGcLeak((leak) => seen.push(leak));
    let id = 0;
    let made = 0;
    try {
      inScope('ends-gc', () => {
        const buf = Unpooled.buffer(5); made = siteOf(new Error()).line;
        buf.retain().touch('dropped').release();
        id = trackerOf(buf)!.id;
      });
      await collectGarbage();
    } finally {
      unsubscribe();
    }
    expect(seen.map((l) => l.bufferId)).toEqual([id]);
    const lines = seen[0]!.text.split('\n');
    expect(lines.slice(1, 4)).toEqual([`Buffer #${id} (heap, 5 bytes, refCnt 1)`, 'Recent access records: ', 'Created at:']);
    expect(lines[4]).toMatch(new RegExp(`^\\tat .* \\(${FILE}:${made}:\\d+\\)$`));
    expect(lines[lines.length - 1]).toBe(`: retain x1, touch x1, release x1 not recorded (${SETTING})`);
  });
});
