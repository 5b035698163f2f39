import { escapeXml, formatJUnit } from '../../../scripts/leak-tests/junit';
import { outcome, reportOf, scenario } from '../fake-engine';

/** Minimal XML reading: the elements named `tag`, each with its attributes and raw content. */
function elements(xml: string, tag: string): { attrs: Record<string, string>; body: string }[] {
  const re = new RegExp(`<${tag}((?:\\s+[\\w-]+="[^"]*")*)\\s*(?:/>|>([\\s\\S]*?)</${tag}>)`, 'g');
  return [...xml.matchAll(re)].map((m) => ({
    attrs: Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
    body: m[2] ?? '',
  }));
}

describe('escapeXml', () => {
  it('escapes markup characters and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`a<b>&"c'\u0001\u001b[0m\ud800`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;[0m');
    expect(escapeXml('tab\tand\nnewline')).toBe('tab\tand\nnewline');
  });
});

describe('formatJUnit', () => {
  const bug = scenario('write-bytebuffer-then-close');
  const base = scenario('retaining-write-bytebuffer', ['fixed'], 'baseline');
  const report = reportOf([outcome(bug, 'fixed', 0, 0), outcome(bug, 'legacy', 0, 2), outcome(bug, 'regression', 0, 0), outcome(base, 'fixed', 0, 0)], {
    loadErrors: [{ file: 'mine/bad.json', jsonPath: '$.steps[0].type', line: 4, message: 'unknown step type "wirte"' }],
  });
  const xml = formatJUnit(report);

  it('is an XML document with one testsuites root', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml.endsWith('</testsuites>\n')).toBe(true);
    expect(elements(xml, 'testsuites')[0]!.attrs).toEqual({ name: 'leak-tests', tests: '5', failures: '1', errors: '1', time: '0.123' });
  });

  it('has one testsuite per scenario file and one testcase per scenario×version', () => {
    const suites = elements(xml, 'testsuite');
    expect(suites.map((s) => [s.attrs['name'], s.attrs['tests'], s.attrs['failures'], s.attrs['errors']])).toEqual([
      ['write-bytebuffer-then-close', '3', '1', '0'],
      ['retaining-write-bytebuffer', '1', '0', '0'],
      ['malformed scenario files', '1', '0', '1'],
    ]);
    const cases = elements(xml, 'testcase');
    expect(cases.map((c) => c.attrs['name'])).toEqual([
      'write-bytebuffer-then-close [fixed]',
      'write-bytebuffer-then-close [legacy]',
      'write-bytebuffer-then-close [regression]',
      'retaining-write-bytebuffer [fixed]',
      'mine/bad.json',
    ]);
    expect(cases[1]!.attrs).toEqual({
      name: 'write-bytebuffer-then-close [legacy]',
      classname: 'leak-tests.bug.write-bytebuffer-then-close',
      file: 'cases/bug/write-bytebuffer-then-close.json',
      line: '12',
      time: '0.001',
    });
  });

  it('a failure carries the reasons and the leak report; a malformed file is an error', () => {
    const failures = elements(xml, 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.attrs).toEqual({ message: 'expected 0 leak(s), observed 2', type: 'LeakTestFailure' });
    expect(failures[0]!.body).toContain('Leak 1: wrapper of a direct ByteBuffer x2 (200 bytes) created at Unpooled.wrappedBuffer');
    expect(failures[0]!.body).toContain('&quot;step 1 write (cases/bug/write-bytebuffer-then-close.json:12)&quot;');
    const errors = elements(xml, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.attrs['message']).toBe('mine/bad.json: $.steps[0].type (line 4): unknown step type &quot;wirte&quot;');
  });
});

describe('formatJUnit with checks skipped at the level', () => {
  const proof = scenario('hidden-wrapper', ['fixed'], 'proof');
  const o = outcome(proof, 'fixed', 1, 1);
  o.observed.skippedChecks = [
    'step 4 (expectGcLeaks) at cases/proof/hidden-wrapper.json:17: needs GC-path reports: level disabled makes none',
    'step 5 (expectGcLeaks) at cases/proof/hidden-wrapper.json:18: needs GC-path reports: level disabled makes none',
  ];
  const xml = formatJUnit(reportOf([o], { level: 'disabled' }));

  it('each skipped check is a testcase of its own marked <skipped> with the reason; the run itself passes', () => {
    expect(elements(xml, 'testsuites')[0]!.attrs).toMatchObject({ tests: '3', failures: '0', errors: '0', skipped: '2' });
    expect(elements(xml, 'testsuite')[0]!.attrs).toMatchObject({ name: 'hidden-wrapper', tests: '3', failures: '0', skipped: '2' });
    expect(elements(xml, 'testcase').map((c) => c.attrs['name'])).toEqual([
      'hidden-wrapper [fixed]',
      'hidden-wrapper [fixed] step 4 (expectGcLeaks)',
      'hidden-wrapper [fixed] step 5 (expectGcLeaks)',
    ]);
    expect(elements(xml, 'skipped').map((e) => e.attrs)).toEqual([
      { message: 'needs GC-path reports: level disabled makes none' },
      { message: 'needs GC-path reports: level disabled makes none' },
    ]);
    expect(elements(xml, 'failure')).toEqual([]);
  });
});
