/**
 * Reports: grouped by creation site with xN, each buffer's path newest first, memory ownership, a
 * hint per kind, misuses, a one-line summary; JSON with the same content; composites counted once.
 */
import {
  ByteBuffer,
  fixHint,
  formatLeakReport,
  leakReportToJson,
  summaryLine,
  Unpooled,
  type ByteBuf,
  type LeakReport,
} from '../../../harness';
import { inScope, siteOf, trackerOf, useSettings, withSettings, type Site } from '../support';

const FILE = 'test/harness/tracking/report.test.ts';

useSettings({ level: 'paranoid', exactLedger: true });

/** Two 100-byte wrappers leaked at one site (returned), each touched twice; a third made there and released. */
function leakTwoWrappers(at: Site[]): ByteBuf[] {
  const leaked: ByteBuf[] = [];
  for (let i = 0; i < 3; i++) {
    const w = Unpooled.wrappedBuffer(ByteBuffer.allocate(100)); at.push(siteOf(new Error()));
    w.touch('first');
    w.touch('second');
    if (i === 2) w.release();
    else leaked.push(w);
  }
  return leaked;
}

/** A 7-byte heap buffer leaked at another site. */
function leakOneHeap(): ByteBuf {
  return Unpooled.buffer(7);
}

function reportOf(name: string, fn: () => void): LeakReport {
  return inScope(name, fn).report();
}

describe('a scope with leaks at two sites', () => {
  const sites: Site[] = [];
  let report!: LeakReport;
  let text!: string;
  let leaked: ByteBuf[] = [];
  beforeEach(() => {
    sites.length = 0;
    report = reportOf('two-sites', () => {
      leaked = [leakOneHeap(), ...leakTwoWrappers(sites)];
    });
    text = formatLeakReport(report);
  });
  afterEach(() => {
    for (const b of leaked) b.release();
  });

  it('counts the leaks and bytes, and groups them by creation site, biggest group first', () => {
    expect([report.scope, report.leakCount, report.leakBytes, report.stacksCaptured]).toEqual(['two-sites', 3, 207, true]);
    expect(report.groups.map((g) => [g.count, g.bytes, g.buffers[0]!.kind])).toEqual([
      [2, 200, 'heap-wrapper'],
      [1, 7, 'heap'],
    ]);
    expect(report.groups[0]!.site).toMatch(new RegExp(`^leakTwoWrappers \\(${FILE}:${sites[0]!.line}:\\d+\\)$`));
    expect(report.groups[1]!.site).toMatch(new RegExp(`^leakOneHeap \\(${FILE}:\\d+:\\d+\\)$`));
    expect(report.summary).toBe("3 leak(s), 207 byte(s) in scope 'two-sites'");
  });

  it('gives each leaked buffer its path, newest first, with the count after each record', () => {
    const b = report.groups[0]!.buffers[0]!;
    expect([b.refCnt, b.ownsMemory, b.capacity, b.droppedRecords, b.components]).toEqual([1, false, 100, 0, []]);
    expect(b.records.map((r) => [r.kind, r.hint, r.refCnt])).toEqual([
      ['touch', 'second', 1],
      ['touch', 'first', 1],
    ]);
    expect(b.records[0]!.at[0]).toEqual(expect.objectContaining({ fn: 'leakTwoWrappers', file: FILE, line: sites[0]!.line + 2 }));
    expect(b.createdAt[0]).toEqual(expect.objectContaining({ fn: 'leakTwoWrappers', file: FILE, line: sites[0]!.line }));
    expect(b.createdAt.every((f) => !f.file.startsWith('harness/') && !f.file.includes('node_modules'))).toBe(true);
  });

  it('prints the group line with xN, ownership, the path newest first, the hint, and the summary last', () => {
    const lines = text.split('\n');
    const line = sites[0]!.line;
    expect(lines[0]).toMatch(new RegExp(`^Leak 1: wrapper of a heap ByteBuffer or array x2 \\(200 bytes\\) created at leakTwoWrappers \\(${FILE}:${line}:\\d+\\)$`));
    const buffer = lines.findIndex((l) => l.startsWith('  buffer #'));
    expect(lines[buffer]).toMatch(/^ {2}buffer #\d+: wrapper of a heap ByteBuffer or array, 100 bytes, left at refCnt 1, wraps the caller's memory \(owns none\)$/);
    expect(lines.slice(buffer + 1, buffer + 4)).toEqual([
      '    path (newest first):',
      '      #1: touch "second" -> refCnt 1',
      expect.stringMatching(new RegExp(`^ {10}↳ leakTwoWrappers \\(${FILE}:${line + 2}:\\d+\\)$`)),
    ]);
    expect(lines).toContain('      #2: touch "first" -> refCnt 1');
    expect(lines).toContain(`  Hint: ${fixHint('heap-wrapper')}`);
    expect(lines.find((l) => l.startsWith('Leak 2: '))).toMatch(new RegExp(`^Leak 2: heap buffer x1 \\(7 bytes\\) created at leakOneHeap \\(${FILE}:\\d+:\\d+\\)$`));
    expect(lines).toContain('  buffer #' + report.groups[1]!.buffers[0]!.id + ': heap buffer, 7 bytes, left at refCnt 1, owns its memory');
    expect(lines.at(-1)).toBe("SUMMARY: 3 leak(s), 207 byte(s) in scope 'two-sites'");
  });

  it('has a JSON form that parses back to the same content', () => {
    const json = leakReportToJson(report);
    expect(JSON.parse(json)).toEqual(report);
    expect(JSON.parse(json).groups[0].count).toBe(2);
  });
});

describe('the summary line', () => {
  it('is LeakSanitizer-style, pluralised with (s), and mentions misuses only when there are some', () => {
    expect(summaryLine('name', 2, 200)).toBe("2 leak(s), 200 byte(s) in scope 'name'");
    expect(summaryLine('name', 0, 0, 3)).toBe("0 leak(s), 0 byte(s) in scope 'name'; 3 over-release(s) or use(s) after free");
    expect(formatLeakReport(reportOf('clean', () => Unpooled.buffer(1).release()))).toBe("SUMMARY: 0 leak(s), 0 byte(s) in scope 'clean'");
  });
});

describe('a leaked composite', () => {
  it('counts once, with the bytes and the buffers it holds listed under it', () => {
    let parts!: ByteBuf[];
    let composite!: ByteBuf;
    const report = reportOf('composite', () => {
      parts = [Unpooled.buffer(100).writeZero(100), Unpooled.directBuffer(100).writeZero(100)];
      composite = Unpooled.compositeBuffer().addComponents(true, ...parts);
    });
    expect([report.leakCount, report.leakBytes, report.groups.length]).toEqual([1, 200, 1]);
    const leaked = report.groups[0]!.buffers[0]!;
    expect([leaked.kind, leaked.capacity, leaked.id]).toEqual(['composite', 200, trackerOf(composite)!.id]);
    expect(leaked.components.map((c) => [c.id, c.kind, c.capacity])).toEqual([
      [trackerOf(parts[0]!)!.id, 'heap', 100],
      [trackerOf(parts[1]!)!.id, 'direct', 100],
    ]);
    expect(leaked.components[0]!.records.map((r) => r.kind)).toEqual(['add-to-composite']);
    const text = formatLeakReport(report);
    expect(text).toMatch(/^Leak 1: composite buffer x1 \(200 bytes\) created at /);
    expect(text).toContain(`  buffer #${leaked.id}: composite buffer, 200 bytes, left at refCnt 1, owns its memory\n`);
    expect(text).toContain(`    holds:\n      buffer #${leaked.components[0]!.id}: heap buffer, 100 bytes, left at refCnt 1, owns its memory`);
    expect(text).toContain(`  Hint: ${fixHint('composite')}`);
    composite.release();
  });
});

describe('misuses in a report', () => {
  it('are listed with the Netty text, where they happened, and the buffer\'s detail', () => {
    let line = 0;
    const report = reportOf('misuse', () => {
      const buf = Unpooled.buffer(4);
      buf.release();
      try {
        line = siteOf(new Error()).line; buf.release();
      } catch {
        // Swallowed, as buggy code may do: the report still has it.
      }
    });
    expect(report.misuses).toEqual([
      expect.objectContaining({ kind: 'over-release', bufferId: expect.any(Number) as number, message: expect.stringMatching(/^refCnt: 0, decrement: 1\n/) as string }),
    ]);
    expect(report.misuses[0]!.at[0]).toEqual(expect.objectContaining({ file: FILE, line }));
    const lines = formatLeakReport(report).split('\n');
    expect(lines[0]).toBe(`Misuse 1: over-release of buffer #${report.misuses[0]!.bufferId}: refCnt: 0, decrement: 1`);
    expect(lines[1]).toMatch(new RegExp(`^ {4}↳ .* \\(${FILE}:${line}:\\d+\\)$`));
    expect(lines).toContain('  First released at:');
    expect(lines.at(-1)).toBe("SUMMARY: 0 leak(s), 0 byte(s) in scope 'misuse'; 1 over-release(s) or use(s) after free");
  });
});

describe('without stacks (the ledger at level disabled)', () => {
  it('still counts and groups, and says how to get the sites', () => {
    withSettings({ level: 'disabled', exactLedger: true }, () => {
      let leaked: ByteBuf[] = [];
      const report = reportOf('no-stacks', () => {
        leaked = [leakOneHeap(), leakOneHeap()];
      });
      for (const b of leaked) b.release();
      expect([report.leakCount, report.leakBytes, report.stacksCaptured, report.groups.length, report.groups[0]!.count]).toEqual([2, 14, false, 1, 2]);
      expect(report.groups[0]!.site).toBe('<unknown site: set BYTEBUF_LEAK_DETECTION_LEVEL=paranoid to record creation sites>');
      const text = formatLeakReport(report);
      expect(text).toContain('Creation sites were not recorded: set BYTEBUF_LEAK_DETECTION_LEVEL=paranoid for sites and paths.');
      expect(text.split('\n').at(-1)).toBe("SUMMARY: 2 leak(s), 14 byte(s) in scope 'no-stacks'");
    });
  });
});
