import { cellText, formatMatrix, formatRunDetails, formatTextReport, LEGEND, SKIPPED_LEGEND } from '../../../scripts/leak-tests/format-text';
import { toRunResult } from '../../../scripts/leak-tests/run';
import { outcome, reportOf, scenario } from '../fake-engine';

const bug = scenario('write-bytebuffer-then-close', ['fixed', 'legacy', 'regression']);
const base = scenario('retaining-write-bytebuffer', ['fixed'], 'baseline');

describe('cellText', () => {
  it('shows expected/observed leaks and ok, FAIL or - for a run that did not happen', () => {
    expect(cellText(toRunResult({ index: 0, scenario: bug, version: 'legacy' }, outcome(bug, 'legacy', 2, 2)))).toBe('2/2 ok');
    expect(cellText(toRunResult({ index: 0, scenario: bug, version: 'legacy' }, outcome(bug, 'legacy', 0, 1)))).toBe('0/1 FAIL');
    expect(cellText(undefined)).toBe('-');
  });

  it('adds over-releases as +NR on the side that has them', () => {
    const o = outcome(bug, 'legacy', 0, 0);
    o.expected.overReleases = 1;
    o.observed.overReleases = 1;
    expect(cellText(toRunResult({ index: 0, scenario: bug, version: 'legacy' }, o))).toBe('0+1R/0+1R ok');
    const missing = outcome(bug, 'legacy', 0, 0);
    missing.expected.overReleases = 1;
    missing.passed = false;
    expect(cellText(toRunResult({ index: 0, scenario: bug, version: 'legacy' }, missing))).toBe('0+1R/0 FAIL');
  });
});

describe('formatMatrix', () => {
  it('one row per scenario, one column per version, aligned, with the legend', () => {
    const report = reportOf([
      outcome(bug, 'fixed', 0, 0),
      outcome(bug, 'legacy', 2, 1),
      outcome(bug, 'regression', 0, 0),
      outcome(base, 'fixed', 0, 0),
    ]);
    expect(formatMatrix(report)).toEqual([
      'scenario                     kind      fixed   legacy    regression',
      '---------------------------  --------  ------  --------  ----------',
      'write-bytebuffer-then-close  bug       0/0 ok  2/1 FAIL  0/0 ok',
      'retaining-write-bytebuffer   baseline  0/0 ok  -         -',
      LEGEND,
    ]);
  });
});

describe('formatRunDetails', () => {
  it('names the run and its step, lists the reasons, then the grouped leak report', () => {
    const r = toRunResult({ index: 1, scenario: bug, version: 'legacy' }, outcome(bug, 'legacy', 0, 2));
    const lines = formatRunDetails(r);
    expect(lines[0]).toBe('FAIL write-bytebuffer-then-close [legacy] at cases/bug/write-bytebuffer-then-close.json:12');
    expect(lines[1]).toBe('  - expected 0 leak(s), observed 2');
    expect(lines[2]).toBe('  Leak report:');
    expect(lines[3]).toBe(
      '    Leak 1: wrapper of a direct ByteBuffer x2 (200 bytes) created at Unpooled.wrappedBuffer (channel/ByteBufferAsyncWritableChannel.ts:42:7)',
    );
    expect(lines).toContain('          #1: touch "step 1 write (cases/bug/write-bytebuffer-then-close.json:12)" -> refCnt 1');
    expect(lines[lines.length - 1]).toBe("    SUMMARY: 2 leak(s), 200 byte(s) in scope 'write-bytebuffer-then-close [legacy]'");
  });

  it('adds GC-path LEAK texts and open handles', () => {
    const o = outcome(bug, 'legacy', 0, 0);
    o.gcLeaks = [{ bufferId: 3, text: "LEAK: ByteBuf.release() was not called before it's garbage-collected.\nRecent access records:" }];
    const r = toRunResult({ index: 1, scenario: bug, version: 'legacy' }, o);
    r.passed = false;
    r.mismatches.push('left a Timeout handle open, created at wait (channel/x.ts:5:3)');
    r.openHandles.push({ type: 'Timeout', refed: true, createdAt: [{ fn: 'wait', file: 'channel/x.ts', line: 5, column: 3 }], seenBy: ['why-is-node-running'] });
    expect(formatRunDetails(r)).toEqual([
      'FAIL write-bytebuffer-then-close [legacy] at cases/bug/write-bytebuffer-then-close.json:7',
      '  - left a Timeout handle open, created at wait (channel/x.ts:5:3)',
      '  GC path:',
      "    LEAK: ByteBuf.release() was not called before it's garbage-collected.",
      '    Recent access records:',
      '  Open handles:',
      '    Timeout created',
      '        at wait (channel/x.ts:5:3)',
      '      also seen open by why-is-node-running',
    ]);
  });
});

describe('formatTextReport', () => {
  const report = reportOf([outcome(bug, 'fixed', 0, 0), outcome(bug, 'legacy', 2, 2), outcome(bug, 'regression', 0, 1)]);

  it('details only the failed runs and ends with the closing line alone on the last line', () => {
    const text = formatTextReport(report);
    expect(text.endsWith('\nleak-tests: 2 passed, 1 failed\n')).toBe(true);
    expect(text).toContain('\nFAIL write-bytebuffer-then-close [regression] at cases/bug/write-bytebuffer-then-close.json:12\n');
    expect(text).not.toContain('[legacy] at');
    expect(text).toContain('\n3 run(s) of 1 scenario(s) at level paranoid in 0.12 s\n');
  });

  it('--verbose also details the runs that leaked as expected', () => {
    const text = formatTextReport(report, true);
    expect(text).toContain('\nLEAKS (as expected) write-bytebuffer-then-close [legacy] at cases/bug/write-bytebuffer-then-close.json:12\n');
  });

  it('lists malformed files as file: jsonPath (line N): message', () => {
    const withErrors = reportOf([outcome(bug, 'fixed', 0, 0)], {
      loadErrors: [
        { file: 'mine/bad.json', jsonPath: '$.steps[3].size', line: 14, message: 'expected an integer >= 0, got "abc"' },
        { file: 'mine/worse.json', jsonPath: '$', message: 'Unexpected token } at line 2, column 1' },
      ],
    });
    const lines = formatTextReport(withErrors).split('\n');
    const at = lines.indexOf('Malformed scenario files (2; the other files ran; exit code 2):');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '  mine/bad.json: $.steps[3].size (line 14): expected an integer >= 0, got "abc"',
      '  mine/worse.json: $: Unexpected token } at line 2, column 1',
    ]);
  });
});

describe('checks skipped at the level', () => {
  const proof = scenario('hidden-wrapper', ['fixed', 'legacy'], 'proof');
  const why = 'needs GC-path reports of every buffer: level simple samples about 1 in 128 buffers';
  const skippedRun = (version: 'fixed' | 'legacy', expected: number) => {
    const o = outcome(proof, version, expected, 1);
    o.observed.skippedChecks = [`step 4 (expectGcLeaks) at cases/proof/hidden-wrapper.json:17: ${why}`, `step 5 (expectGcLeaks) at cases/proof/hidden-wrapper.json:18: ${why}`];
    return o;
  };
  const report = reportOf([skippedRun('fixed', 1), skippedRun('legacy', 0)], { level: 'simple' });

  it('show in the cell, beside ok or FAIL: a skipped check is neither', () => {
    expect(formatMatrix(report)).toEqual([
      'scenario        kind   fixed               legacy                regression',
      '--------------  -----  ------------------  --------------------  ----------',
      'hidden-wrapper  proof  1/1 ok (2 skipped)  0/1 FAIL (2 skipped)  -',
      LEGEND,
      SKIPPED_LEGEND,
    ]);
  });

  it('are listed one by one, by run, with the reason; the failed run is still failed', () => {
    const text = formatTextReport(report);
    expect(text).toContain([
      'Skipped checks (4, at level simple; neither passed nor failed):',
      `  hidden-wrapper [fixed]: step 4 (expectGcLeaks) at cases/proof/hidden-wrapper.json:17: ${why}`,
      `  hidden-wrapper [fixed]: step 5 (expectGcLeaks) at cases/proof/hidden-wrapper.json:18: ${why}`,
      `  hidden-wrapper [legacy]: step 4 (expectGcLeaks) at cases/proof/hidden-wrapper.json:17: ${why}`,
      `  hidden-wrapper [legacy]: step 5 (expectGcLeaks) at cases/proof/hidden-wrapper.json:18: ${why}`,
      '',
    ].join('\n'));
    expect(text).toContain('\nFAIL hidden-wrapper [legacy] at ');
    expect(text).toMatch(/\n2 run\(s\) of 1 scenario\(s\) at level simple, 4 check\(s\) skipped in \d+\.\d\d s\nleak-tests: 1 passed, 1 failed\n$/);
  });

  it('nothing about skipping when no check was skipped', () => {
    const text = formatTextReport(reportOf([outcome(proof, 'fixed', 1, 1)]));
    expect(text).not.toContain('skipped');
    expect(text).not.toContain(SKIPPED_LEGEND);
  });
});
