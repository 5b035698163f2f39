/**
 * Levels (Netty's names and meanings), seeded sampling, and the record back-off past
 * `targetRecords`. A buffer's `leak` is its tracker: null when nothing tracks it.
 */
import { ByteBuffer, formatLeakReport, LeakDetection, Unpooled, type ByteBuf, type LeakDetectionSettings } from '../../../harness';
import { inScope, trackerOf, useSettings, withSettings } from '../support';

/** One of each kind the allocator makes: heap, direct, heap and direct wrappers, composite. */
function oneOfEach(): ByteBuf[] {
  return [
    Unpooled.buffer(8),
    Unpooled.directBuffer(8),
    Unpooled.wrappedBuffer(ByteBuffer.allocate(8)),
    Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(8)),
    Unpooled.compositeBuffer(),
  ];
}

function releaseAll(bufs: ByteBuf[]): void {
  for (const b of bufs) b.release();
}

describe('level disabled', () => {
  it('gives no tracker at all (buffer.leak === null) while the ledger is off', () => {
    withSettings({ level: 'disabled', exactLedger: false }, () => {
      const bufs = oneOfEach();
      expect(bufs.map((b) => trackerOf(b))).toEqual([null, null, null, null, null]);
      releaseAll(bufs);
    });
  });

  it('with the ledger on, counts every buffer, without stacks or records', () => {
    withSettings({ level: 'disabled', exactLedger: true }, () => {
      let bufs!: ByteBuf[];
      const scope = inScope('disabled+ledger', () => {
        bufs = oneOfEach();
        bufs[0]!.retain().touch('x');
      });
      const trackers = bufs.map((b) => trackerOf(b)!);
      expect(trackers.map((t) => t.kind)).toEqual(['heap', 'direct', 'heap-wrapper', 'direct-wrapper', 'composite']);
      expect(trackers.map((t) => [t.createdAt, t.records, t.gcWatch])).toEqual(Array(5).fill([null, null, null]));
      expect([trackers[0]!.refCnt, scope.liveCount, scope.liveBytes]).toEqual([2, 5, 32]);
      bufs[0]!.release();
      releaseAll(bufs);
      expect(scope.liveCount).toBe(0);
    });
  });
});

describe('level paranoid', () => {
  useSettings({ level: 'paranoid', exactLedger: false });

  it('tracks every buffer, with its creation stack, records, and the GC path', () => {
    const bufs = oneOfEach();
    for (const b of bufs) b.retain().touch('t');
    const trackers = bufs.map((b) => trackerOf(b)!);
    expect(trackers.map((t) => [t.createdAt !== null, t.records!.map((r) => `${r.kind}:${r.refCnt}`), t.gcWatch !== null])).toEqual(
      Array(5).fill([true, ['retain:2', 'touch:2'], true]),
    );
    for (const b of bufs) b.release(2);
    expect(trackers.map((t) => [t.closed, t.refCnt, t.gcWatch])).toEqual(Array(5).fill([true, 0, null]));
  });
});

/** Indices (0-based) of the tracked buffers among `n` made at `settings`. */
function sampledIndices(settings: Partial<LeakDetectionSettings>, n: number): number[] {
  return withSettings(settings, () => {
    const bufs = Array.from({ length: n }, () => Unpooled.buffer(1));
    const sampled = bufs.flatMap((b, i) => (trackerOf(b) !== null ? [i] : []));
    releaseAll(bufs);
    return sampled;
  });
}

describe('levels simple and advanced sample', () => {
  it('simple tracks about 1 buffer in samplingInterval, without stacks or records', () => {
    withSettings({ level: 'simple', samplingInterval: 16, seed: 11, exactLedger: false }, () => {
      const bufs = Array.from({ length: 3200 }, () => Unpooled.buffer(1));
      const tracked = bufs.map((b) => trackerOf(b)).filter((t) => t !== null);
      expect(tracked.length).toBeGreaterThanOrEqual(150); // 200 expected: 3200 / 16
      expect(tracked.length).toBeLessThanOrEqual(250);
      bufs[0]!.touch('not recorded at simple');
      expect(tracked.every((t) => t.createdAt === null && t.records === null && t.gcWatch !== null)).toBe(true);
      releaseAll(bufs);
    });
  });

  it('advanced tracks about 1 in samplingInterval too, with stacks and records', () => {
    withSettings({ level: 'advanced', samplingInterval: 16, seed: 11, exactLedger: false }, () => {
      const bufs = Array.from({ length: 3200 }, () => Unpooled.buffer(1).touch('t'));
      const tracked = bufs.map((b) => trackerOf(b)).filter((t) => t !== null);
      expect(tracked.length).toBeGreaterThanOrEqual(150);
      expect(tracked.length).toBeLessThanOrEqual(250);
      expect(tracked.every((t) => t.createdAt !== null && t.records!.length === 1)).toBe(true);
      releaseAll(bufs);
    });
  });

  it('samplingInterval 1 tracks every buffer', () => {
    expect(sampledIndices({ level: 'simple', samplingInterval: 1, exactLedger: false }, 50)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('sampling is seeded: the same seed samples the same buffers in two runs; another seed, others', () => {
    const settings = { level: 'simple' as const, samplingInterval: 8, exactLedger: false };
    const first = sampledIndices({ ...settings, seed: 42 }, 800);
    const second = sampledIndices({ ...settings, seed: 42 }, 800);
    const other = sampledIndices({ ...settings, seed: 43 }, 800);
    expect(first.length).toBeGreaterThan(50);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('with the ledger on, every buffer is counted whatever the level; only sampled ones have stacks', () => {
    withSettings({ level: 'advanced', samplingInterval: 4, seed: 5, exactLedger: true }, () => {
      let bufs!: ByteBuf[];
      const scope = inScope('sampled+ledger', () => {
        bufs = Array.from({ length: 400 }, () => Unpooled.buffer(1));
      });
      const withStacks = bufs.filter((b) => trackerOf(b)!.createdAt !== null).length;
      expect([scope.liveCount, bufs.every((b) => trackerOf(b) !== null)]).toEqual([400, true]);
      expect(withStacks).toBeGreaterThanOrEqual(60); // 100 expected
      expect(withStacks).toBeLessThanOrEqual(140);
      releaseAll(bufs);
      expect(scope.liveCount).toBe(0);
    });
  });
});

describe('records past targetRecords', () => {
  it('are dropped with back-off, keeping the oldest, the creation and the newest, and counted', () => {
    withSettings({ level: 'paranoid', targetRecords: 3, seed: 9, exactLedger: true }, () => {
      let buf!: ByteBuf;
      const scope = inScope('back-off', () => {
        buf = Unpooled.buffer(4);
        for (let i = 0; i < 100; i++) buf.touch(`touch ${i}`);
      });
      const t = trackerOf(buf)!;
      const hints = t.records!.map((r) => r.hint);
      expect(t.createdAt).not.toBeNull();
      // The oldest targetRecords - 1 stay; past them each new record replaces the newest one,
      // except that with probability 1/2^k (k records past the target) it is kept as well.
      expect(hints.slice(0, 2)).toEqual(['touch 0', 'touch 1']);
      expect(hints.at(-1)).toBe('touch 99');
      expect(hints.length).toBeLessThanOrEqual(10);
      expect(hints.length + t.droppedRecords).toBe(100);
      const report = scope.report();
      expect(report.groups[0]!.buffers[0]!.droppedRecords).toBe(t.droppedRecords);
      expect(formatLeakReport(report)).toContain(
        `    (${t.droppedRecords} older record(s) dropped; raise BYTEBUF_LEAK_DETECTION_TARGET_RECORDS to keep more)`,
      );
      buf.release();
    });
  });

  it('a higher targetRecords keeps more', () => {
    withSettings({ level: 'paranoid', targetRecords: 50, exactLedger: false }, () => {
      const buf = Unpooled.buffer(4);
      for (let i = 0; i < 50; i++) buf.touch(i);
      expect([trackerOf(buf)!.records!.length, trackerOf(buf)!.droppedRecords]).toEqual([50, 0]);
      buf.release();
    });
  });
});

describe('LeakDetection.setLevel / setExactLedger', () => {
  it('change one setting each', () => {
    const previous = LeakDetection.settings();
    try {
      LeakDetection.setLevel('advanced');
      LeakDetection.setExactLedger(true);
      expect([LeakDetection.level, LeakDetection.exactLedger]).toEqual(['advanced', true]);
    } finally {
      LeakDetection.configure(previous);
    }
  });
});
