import { annotations, escapeData, escapeProperty, stepSummary } from '../../../scripts/leak-tests/github';
import { outcome, reportOf, scenario } from '../fake-engine';

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });
});

describe('annotations', () => {
  const bug = scenario('write-bytebuffer-then-close');

  it('puts an error at the failing step with the reasons and the summary', () => {
    const report = reportOf([outcome(bug, 'fixed', 0, 0), outcome(bug, 'legacy', 0, 2)]);
    expect(annotations(report, true)).toEqual([
      '::error file=cases/bug/write-bytebuffer-then-close.json,line=12,title=leak-tests%3A write-bytebuffer-then-close [legacy]::' +
        "expected 0 leak(s), observed 2%0A2 leak(s), 200 byte(s) in scope 'write-bytebuffer-then-close [legacy]'",
    ]);
  });

  it('annotates malformed files at their line', () => {
    const report = reportOf([outcome(bug, 'fixed', 0, 0)], { loadErrors: [{ file: 'my dir/bad.json', jsonPath: '$.name', line: 2, message: 'expected a string, got 3' }] });
    expect(annotations(report, false)).toEqual([
      '::error file=my dir/bad.json,line=2,title=leak-tests%3A malformed scenario file::$.name: expected a string, got 3',
    ]);
  });

  it('stops at 10 errors and says how many more there are and where', () => {
    const many = Array.from({ length: 13 }, (_, i) => outcome(scenario(`case-${i}`, ['legacy']), 'legacy', 0, 1));
    const lines = annotations(reportOf(many), true);
    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 10).every((l) => l.startsWith('::error file=cases/bug/case-'))).toBe(true);
    expect(lines[10]).toBe('::warning title=leak-tests::3 more error(s) not annotated (GitHub shows about 10 per step): see the job summary');
    expect(annotations(reportOf(many), false)[10]).toBe(
      '::warning title=leak-tests::3 more error(s) not annotated (GitHub shows about 10 per step): see the log',
    );
  });
});

describe('stepSummary', () => {
  it('lists every failure (no limit of 10), the failing matrix rows and malformed files', () => {
    const many = Array.from({ length: 12 }, (_, i) => outcome(scenario(`case-${i}`, ['legacy']), 'legacy', 0, 1));
    const md = stepSummary(
      reportOf([outcome(scenario('fine', ['fixed']), 'fixed', 0, 0), ...many], {
        loadErrors: [{ file: 'bad.json', jsonPath: '$', message: 'Unexpected token `}`' }],
      }),
    );
    const lines = md.split('\n');
    expect(lines[0]).toBe('## leak-tests: 1 passed, 12 failed');
    expect(lines).toContain('| scenario | kind | fixed | legacy | regression |');
    expect(lines).toContain('| `case-11` | bug | - | **0/1 FAIL** | - |');
    expect(lines.some((l) => l.includes('`fine`'))).toBe(false);
    expect(lines.filter((l) => l.startsWith('<summary>'))).toHaveLength(12);
    expect(lines).toContain("- `bad.json: $: Unexpected token '}'`");
  });
});
