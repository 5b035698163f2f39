/**
 * The run-level leak summary: built from records, merged from parts, printed, parsed back.
 */
import {
  formatLeakSummary,
  LEAK_SUMMARY_FORMAT,
  LeakSummaryFormatError,
  mergeLeakSummaries,
  parseLeakSummary,
  summarizeLeakRecords,
  type LeakRecord,
} from '../../harness/jest';

const none = { leaks: 0, misuses: 0, timers: 0 };

const RECORDS: LeakRecord[] = [
  { type: 'file', file: 'a.test.ts', testsChecked: 3 },
  { type: 'file', file: 'b.test.ts', testsChecked: 2 },
  {
    type: 'test', file: 'b.test.ts', test: 'b › leaks', when: 'test', leaked: true, leaks: 3, bytes: 300, misuses: 0, timers: 0,
    sites: [{ site: 'wrap (b.test.ts:5:3)', count: 2, bytes: 200 }, { site: 'make (b.test.ts:9:3)', count: 1, bytes: 100 }],
    optOuts: [], suppressed: none,
  },
  {
    type: 'test', file: 'a.test.ts', test: 'a › also leaks', when: 'test', leaked: true, leaks: 1, bytes: 100, misuses: 1, timers: 1,
    sites: [{ site: 'wrap (b.test.ts:5:3)', count: 1, bytes: 100 }],
    optOuts: [], suppressed: none,
  },
  {
    type: 'test', file: 'a.test.ts', test: 'a › allowed', when: 'test', leaked: false, leaks: 0, bytes: 0, misuses: 0, timers: 0, sites: [],
    optOuts: [{ reason: 'checks the error itself', checks: ['misuses'], where: 'file' }], suppressed: { leaks: 0, misuses: 1, timers: 0 },
  },
  {
    type: 'test', file: 'a.test.ts', test: 'a › allowed too', when: 'test', leaked: false, leaks: 0, bytes: 0, misuses: 0, timers: 0, sites: [],
    optOuts: [{ reason: 'checks the error itself', checks: ['misuses'], where: 'file' }], suppressed: { leaks: 0, misuses: 2, timers: 0 },
  },
];

describe('summarizeLeakRecords', () => {
  test('counts tests, leaks, bytes and findings, sorts tests, ranks sites and groups opt-outs', () => {
    const s = summarizeLeakRecords(RECORDS);
    expect(s).toEqual({
      format: LEAK_SUMMARY_FORMAT,
      version: 1,
      shards: [],
      files: 2,
      testsChecked: 5,
      testsLeaked: 2,
      leaks: 4,
      bytes: 400,
      misuses: 1,
      timers: 1,
      // Records written before the resources check have no resources count: read as 0.
      resources: 0,
      leakingTests: [
        { file: 'a.test.ts', test: 'a › also leaks', when: 'test', leaks: 1, bytes: 100, misuses: 1, timers: 1, resources: 0, sites: [{ site: 'wrap (b.test.ts:5:3)', count: 1, bytes: 100 }] },
        {
          file: 'b.test.ts', test: 'b › leaks', when: 'test', leaks: 3, bytes: 300, misuses: 0, timers: 0, resources: 0,
          sites: [{ site: 'wrap (b.test.ts:5:3)', count: 2, bytes: 200 }, { site: 'make (b.test.ts:9:3)', count: 1, bytes: 100 }],
        },
      ],
      optOuts: [{ file: 'a.test.ts', reason: 'checks the error itself', checks: ['misuses'], where: 'file', tests: 2, suppressed: { leaks: 0, misuses: 3, timers: 0, resources: 0 } }],
      sites: [
        { site: 'wrap (b.test.ts:5:3)', count: 3, bytes: 300, tests: 2 },
        { site: 'make (b.test.ts:9:3)', count: 1, bytes: 100, tests: 1 },
      ],
    });
  });

  test('a test with a leak during and after it counts once among the tests that leaked', () => {
    const late: LeakRecord = { ...(RECORDS[2] as Extract<LeakRecord, { type: 'test' }>), when: 'after-test', leaks: 1, bytes: 10, sites: [{ site: 'late (b.test.ts:20:1)', count: 1, bytes: 10 }] };
    const s = summarizeLeakRecords([...RECORDS, late]);
    expect(s.testsLeaked).toBe(2);
    expect(s.leaks).toBe(5);
    expect(s.leakingTests.map((t) => `${t.test}/${t.when}`)).toEqual(['a › also leaks/test', 'b › leaks/after-test', 'b › leaks/test']);
  });
});

describe('mergeLeakSummaries', () => {
  test('merging the parts gives the summary of all the records, shards listed', () => {
    const part1 = summarizeLeakRecords([RECORDS[0]!, RECORDS[3]!, RECORDS[4]!, RECORDS[5]!], '1/2');
    const part2 = summarizeLeakRecords([RECORDS[1]!, RECORDS[2]!], '2/2');
    const merged = mergeLeakSummaries([part2, part1]);
    expect(merged.shards).toEqual(['1/2', '2/2']);
    expect({ ...merged, shards: [] }).toEqual(summarizeLeakRecords(RECORDS));
  });
});

describe('formatLeakSummary', () => {
  test('prints the headline, the tests, the worst sites, the opt-outs and the closing line', () => {
    expect(formatLeakSummary(summarizeLeakRecords(RECORDS, '2/3'), { maxSites: 1 })).toBe(
      [
        'Leak sanitizer (shard 2/3): 2 of 5 test(s) leaked (2 file(s) checked): 4 leak(s), 400 byte(s), 1 over-release(s) or use(s) after free, 1 timer(s) left open.',
        'Tests that leaked:',
        '  a.test.ts › a › also leaks: 1 leak(s), 100 byte(s), 1 over-release(s) or use(s) after free, 1 timer(s) left open',
        '  b.test.ts › b › leaks: 3 leak(s), 300 byte(s)',
        'Worst sites:',
        '  x3 (300 byte(s)) in 2 test(s): wrap (b.test.ts:5:3)',
        '  ... and 1 more site(s)',
        'Opted out:',
        '  a.test.ts (file, 2 test(s)), misuses: "checks the error itself"; would have reported 0 leak(s), 3 misuse(s), 0 timer(s)',
        'leak-sanitizer: 5 test(s) checked, 2 leaked, 2 opt-out(s)',
      ].join('\n'),
    );
  });

  test('a clean run is one line and the closing line', () => {
    expect(formatLeakSummary(summarizeLeakRecords([RECORDS[0]!]))).toBe(
      'Leak sanitizer: no leaks in 3 test(s) checked in 1 file(s).\nleak-sanitizer: 3 test(s) checked, 0 leaked, 0 opt-out(s)',
    );
  });

  test('lists at most maxTests tests', () => {
    const text = formatLeakSummary(summarizeLeakRecords(RECORDS), { maxTests: 1 });
    expect(text).toContain('  a.test.ts › a › also leaks: ');
    expect(text).not.toContain('  b.test.ts › b › leaks: ');
    expect(text).toContain('  ... and 1 more\n');
  });
});

describe('parseLeakSummary', () => {
  test('reads back what was written', () => {
    const s = summarizeLeakRecords(RECORDS);
    expect(parseLeakSummary(JSON.stringify(s), 'part.json')).toEqual(s);
  });

  test('rejects text that is not JSON, not a summary, or a summary with a missing field', () => {
    expect(() => parseLeakSummary('{', 'x.json')).toThrow(LeakSummaryFormatError);
    expect(() => parseLeakSummary('{', 'x.json')).toThrow(/^Expected x\.json to hold JSON, got a parse error: /);
    expect(() => parseLeakSummary('{"format":"other","version":1}', 'x.json')).toThrow(
      'Expected x.json to be a leak summary (format "bytebuf-leak-harness/jest-leak-summary", version 1), got format "other", version 1',
    );
    expect(() => parseLeakSummary('[1]', 'x.json')).toThrow(
      'Expected x.json to be a leak summary (format "bytebuf-leak-harness/jest-leak-summary", version 1), got format undefined, version undefined',
    );
    const { sites: _sites, ...noSites } = summarizeLeakRecords(RECORDS);
    expect(() => parseLeakSummary(JSON.stringify(noSites), 'x.json')).toThrow('Expected x.json: sites to be an array, got undefined');
    const thrown = ((): unknown => {
      try {
        return parseLeakSummary('null', 'x.json');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(LeakSummaryFormatError);
    expect(thrown).toMatchObject({ name: 'LeakSummaryFormatError', code: 'ERR_LEAK_SUMMARY_FORMAT' });
    expect((thrown as Error).message).toMatch(/, got null$/);
  });
});
