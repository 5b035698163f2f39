/**
 * `harness/sanitizer/leak-summary.schema.json` against real summaries: what the leak reporter writes to
 * `outputFile` after a child jest run of the sanitizer's fixtures (leaks, a misuse, timers, late
 * leaks, a leak in `beforeAll`, opt-outs), what it writes for two shards in process (opt-outs at
 * every place), and the merge of those shards by scripts/merge-jest-leak-reports.ts. Wrong
 * documents are rejected with the JSON path named.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LeakReporter, type LeakRecord, type LeakRunSummary } from '../../harness/jest';
import { writeRecords } from '../../harness/sanitizer/records';
import { SANITIZER_ENV } from '../../harness/sanitizer/options';
import { ExitCode, main as mergeMain } from '../../scripts/merge-jest-leak-reports/main';
import { runFixtures } from '../jest/fixtureRunner';
import { edited, schemaValidator, testSchemaConventions } from './validator';

const SCHEMA_FILE = 'harness/sanitizer/leak-summary.schema.json';
const validate = schemaValidator(SCHEMA_FILE);
const CHILD_RUN_TIMEOUT_MS = 120_000;

const readJson = (file: string): LeakRunSummary => JSON.parse(readFileSync(file, 'utf8')) as LeakRunSummary;
const none = { leaks: 0, misuses: 0, timers: 0 };

/** The records two workers of one shard would write: every finding time, opt-outs at every place. */
function shardRecords(file: string): LeakRecord[] {
  return [
    { type: 'file', file, testsChecked: 4 },
    {
      type: 'test', file, test: 'io › leaks a wrapper', when: 'test', leaked: true, leaks: 2, bytes: 200, misuses: 1, timers: 1,
      sites: [{ site: `wrapAll (${file}:5:44)`, count: 2, bytes: 200 }], optOuts: [], suppressed: none,
    },
    {
      type: 'test', file, test: 'io › leaks a wrapper', when: 'after-test', leaked: true, leaks: 1, bytes: 40, misuses: 0, timers: 0,
      sites: [{ site: `<anonymous> (${file}:21:39)`, count: 1, bytes: 40 }], optOuts: [], suppressed: none,
    },
    {
      type: 'test', file, test: '(beforeAll/afterAll hooks)', when: 'file-hooks', leaked: true, leaks: 1, bytes: 64, misuses: 0, timers: 0,
      sites: [{ site: `Object.<anonymous> (${file}:14:21)`, count: 1, bytes: 64 }], optOuts: [], suppressed: none,
    },
    {
      type: 'test', file, test: 'io › opted out', when: 'test', leaked: false, leaks: 0, bytes: 0, misuses: 0, timers: 0, sites: [],
      optOuts: [
        { reason: 'shows a test opt-out', checks: ['leaks', 'misuses', 'timers'], where: 'test' },
        { reason: 'shows a block opt-out', checks: ['timers'], where: "describe 'io'" },
        { reason: 'shows a file opt-out', checks: ['misuses'], where: 'file' },
      ],
      suppressed: { leaks: 1, misuses: 1, timers: 1 },
    },
  ];
}

/** Runs the reporter in process as jest would for shard `index` of 2, and returns the file it wrote. */
function reporterShard(index: number): string {
  const reporter = new LeakReporter({ rootDir: tmp, shard: { shardIndex: index, shardCount: 2 } }, { outputFile: 'leaks-{shard}.json' });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    reporter.onRunStart();
    writeRecords(process.env[SANITIZER_ENV.recordsDir]!, shardRecords(`test/part-${index}.test.ts`));
    reporter.onRunComplete(undefined, { numTotalTests: 4 });
  } finally {
    stderr.mockRestore();
  }
  return path.join(tmp, `leaks-${index}-of-2.json`);
}

let tmp: string;
/** The reporter's two shard parts, then their merge. */
let parts: string[];
let merged: string;
let mergeExit: ExitCode;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'leak-summary-schema-'));
  parts = [reporterShard(1), reporterShard(2)];
  merged = path.join(tmp, 'merged.json');
  const ignore = (): void => undefined;
  mergeExit = mergeMain(['--output', merged, ...parts], ignore, ignore);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the jest leak summary schema', () => {
  testSchemaConventions(SCHEMA_FILE, {
    $id: 'urn:bytebuf-leak-harness:jest-leak-summary-schema',
    title: 'bytebuf-leak-harness jest leak summary',
    format: 'bytebuf-leak-harness/jest-leak-summary',
    objects: 6,
  });

  test('the outputFile of a child jest run of the sanitizer fixtures validates', async () => {
    const outputFile = path.join(tmp, 'fixtures-leaks.json');
    const run = await runFixtures(['--runInBand', '(hooks|wrappers|late|timers)\\.fixture\\.ts$'], path.join(tmp, 'results.json'), {
      LEAK_FIXTURE_OUTPUT: outputFile,
    });
    expect(run.code).toBe(1);
    const summary = readJson(outputFile);
    expect(validate(summary)).toEqual([]);
    // What it validated: every finding time, and opt-outs of a test and of a describe block.
    expect([...new Set(summary.leakingTests.map((t) => t.when))].sort()).toEqual(['after-test', 'file-hooks', 'test']);
    expect(summary.leakingTests.some((t) => t.misuses > 0) && summary.leakingTests.some((t) => t.timers > 0)).toBe(true);
    expect([...new Set(summary.optOuts.map((o) => o.where))].sort()).toEqual(["describe 'opted-out block'", 'test']);
    expect(summary.shards).toEqual([]);
  }, CHILD_RUN_TIMEOUT_MS);

  test("the reporter's shard parts and their merge by merge-jest-leak-reports validate", () => {
    expect(mergeExit).toBe(ExitCode.Leaks);
    const documents = [...parts, merged].map(readJson);
    expect(documents.map((d) => [d.shards, validate(d)])).toEqual([
      [['1/2'], []],
      [['2/2'], []],
      [['1/2', '2/2'], []],
    ]);
    expect(documents[2]!.optOuts.map((o) => o.where)).toEqual(["describe 'io'", 'file', 'test', "describe 'io'", 'file', 'test']);
  });

  test('resources: per-kind opt-out checks and resource counts validate; a summary of an older version without them too', () => {
    const doc = edited(readJson(merged), (d) => {
      d.resources = 2;
      d.leakingTests[0]!.resources = 2;
      d.optOuts[0]!.checks = ['resources', 'resources:server', 'resources:db pool'];
      d.optOuts[0]!.suppressed.resources = 1;
    });
    expect(validate(doc)).toEqual([]);
    const older = edited(readJson(merged), (d) => {
      delete d.resources;
      for (const t of d.leakingTests) delete t.resources;
      for (const o of d.optOuts) delete o.suppressed.resources;
    });
    expect(validate(older)).toEqual([]);
    expect(validate(edited(doc, (d) => void (d.optOuts[0]!.checks = ['resources:'])))).toEqual([
      '$.optOuts[0].checks[0]: must be equal to one of the allowed values',
      '$.optOuts[0].checks[0]: must match pattern "^resources:.*\\S.*$"',
      '$.optOuts[0].checks[0]: must match a schema in anyOf',
    ]);
  });

  describe('a wrong document is rejected, with the JSON path named', () => {
    const good = (): LeakRunSummary => readJson(merged);

    test('a missing field', () => {
      const doc = edited(good(), (d) => {
        delete (d.leakingTests[0] as Partial<LeakRunSummary['leakingTests'][number]>).sites;
      });
      expect(validate(doc)).toEqual(['$.leakingTests[0]: must have required property "sites"']);
    });

    test('a field of the wrong type', () => {
      const doc = edited(good(), (d) => {
        (d as unknown as Record<string, unknown>)['testsChecked'] = '8';
        (d.optOuts[0]!.suppressed as unknown as Record<string, unknown>)['leaks'] = 1.5;
      });
      expect(validate(doc)).toEqual(['$.testsChecked: must be integer', '$.optOuts[0].suppressed.leaks: must be integer']);
    });

    test('an extra field', () => {
      const doc = edited(good(), (d) => {
        (d.sites[0] as unknown as Record<string, unknown>)['file'] = 'a.test.ts';
      });
      expect(validate(doc)).toEqual(['$.sites[0].file: must NOT be there (not a property of this object)']);
    });

    test('another format or version, an unknown check, a finding time or a shard out of shape', () => {
      expect(validate({ ...good(), format: 'leak-tests-report', version: 2 })).toEqual([
        '$.format: must be equal to constant',
        '$.version: must be equal to constant',
      ]);
      const doc = edited(good(), (d) => {
        (d.optOuts[0]!.checks as string[]).push('handles');
        (d.leakingTests[0] as { when: string }).when = 'afterAll';
        d.shards[0] = '1-of-2';
      });
      expect(validate(doc)).toEqual([
        '$.shards[0]: must match pattern "^[1-9][0-9]*/[1-9][0-9]*$"',
        '$.leakingTests[0].when: must be equal to one of the allowed values',
        '$.optOuts[0].checks[1]: must be equal to one of the allowed values',
        '$.optOuts[0].checks[1]: must match pattern "^resources:.*\\S.*$"',
        '$.optOuts[0].checks[1]: must match a schema in anyOf',
      ]);
    });
  });
});
