/**
 * `scripts/leak-tests/leak-tests-report.schema.json` against real reports: the JSON of every
 * golden case (`--format json` on stdout); one run with a replay that leaves a handle open, one
 * that stops at the time limit and a leaked composite with a long path (`test/schemas/fixtures`);
 * a run at level simple (skipped checks); and the two shards of the built-in run with their merge
 * (`--json` files). Wrong documents are rejected with the path named.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LeakTestsReport } from '../../scripts/leak-tests/report';
import { runScript, withoutProgress, type CommandResult } from '../scripts/cli';
import { edited, ROOT, schemaValidator, testSchemaConventions } from './validator';

const SCHEMA_FILE = 'scripts/leak-tests/leak-tests-report.schema.json';
const validate = schemaValidator(SCHEMA_FILE);
const GOLDEN = path.join(ROOT, 'test', 'scripts', 'golden');
const TEST_TIMEOUT_MS = 120_000;

const tmp = mkdtempSync(path.join(tmpdir(), 'report-schema-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A report the runs produced, with what produced it (for the failure message). */
interface Produced {
  source: string;
  report: LeakTestsReport;
}

function parsed(source: string, text: string): Produced {
  return { source, report: JSON.parse(text) as LeakTestsReport };
}

function expectExit(r: CommandResult, code: number, what: string): void {
  if (r.code !== code) throw new Error(`${what}: expected exit ${code}, got ${String(r.code)} (signal ${String(r.signal)}):\n${withoutProgress(r.stderr)}`);
}

const leakTests = (args: readonly string[]) => runScript('scripts/leak-tests.ts', args);
const out = (name: string) => path.join(tmp, name);

/** Every report of the runs below, once (two batches: the machine has 2 slow cores). */
let produced: Produced[];
beforeAll(async () => {
  const cases = readdirSync(GOLDEN).sort();
  const golden = await Promise.all(
    cases.map(async (name) => {
      const spec = JSON.parse(readFileSync(path.join(GOLDEN, name, 'case.json'), 'utf8')) as { args: string[]; exitCode: number };
      const r = await leakTests([...spec.args, '--format', 'json']);
      expectExit(r, spec.exitCode, `golden ${name}`);
      return parsed(`golden ${name} (stdout)`, r.stdout);
    }),
  );
  const [handles, simple] = await Promise.all([
    leakTests([
      ...['--scenario', 'test/scripts/fixtures/timer', '--scenario', 'test/scenarios/fixtures/stuck', '--scenario', 'test/schemas/fixtures'],
      ...['--timeout', '1s', '--json', out('handles.json')],
    ]),
    leakTests(['--level', 'simple', '--filter', 'hidden-wrapper', '--json', out('simple.json')]),
  ]);
  expectExit(handles, 1, 'open handle, time limit and composite run');
  expectExit(simple, 0, 'level simple run');
  const shards = await Promise.all([1, 2].map((i) => leakTests(['--shard', `${i}/2`, '--json', out(`part-${i}.json`)])));
  shards.forEach((r, i) => expectExit(r, 0, `shard ${i + 1}/2`));
  const merged = await runScript('scripts/merge-leak-reports.ts', [out('part-2.json'), out('part-1.json'), '--format', 'json', '--json', out('merged.json')]);
  expectExit(merged, 0, 'merge-leak-reports');
  const file = (name: string) => parsed(name, readFileSync(out(name), 'utf8'));
  produced = [
    ...golden,
    file('handles.json'),
    file('simple.json'),
    file('part-1.json'),
    file('part-2.json'),
    file('merged.json'),
    parsed('merge-leak-reports (stdout)', merged.stdout),
  ];
}, TEST_TIMEOUT_MS);

describe('the leak-tests report schema', () => {
  testSchemaConventions(SCHEMA_FILE, {
    $id: 'urn:bytebuf-leak-harness:leak-tests-report-schema',
    title: 'bytebuf-leak-harness leak-tests report',
    format: 'leak-tests-report',
    objects: 19,
  });

  it('every real report validates: golden cases, open handles, time limit, level simple, shards and their merge', () => {
    expect(produced.map((p) => p.source)).toEqual([
      'golden malformed-files (stdout)',
      'golden unexpected-legacy-leak (stdout)',
      'golden user-scenario-dir (stdout)',
      'handles.json',
      'simple.json',
      'part-1.json',
      'part-2.json',
      'merged.json',
      'merge-leak-reports (stdout)',
    ]);
    expect(produced.map((p) => [p.source, validate(p.report)])).toEqual(produced.map((p) => [p.source, []]));
  }, TEST_TIMEOUT_MS);

  it('the reports validated cover the failing and optional branches of the format', () => {
    const reports = produced.map((p) => p.report);
    const results = reports.flatMap((r) => r.results);
    const groups = results.flatMap((r) => r.report.groups);
    const buffers = groups.flatMap((g) => g.buffers);
    const covered = {
      failedRuns: results.filter((r) => !r.passed).length > 0,
      mismatches: results.some((r) => r.mismatches.length > 0),
      loadErrors: reports.some((r) => r.loadErrors.length > 0),
      loadErrorLines: reports.some((r) => r.loadErrors.some((e) => e.line !== undefined)),
      openHandles: results.some((r) => r.openHandles.length > 0),
      stepErrors: results.some((r) => r.observed.error !== undefined),
      skippedChecks: results.some((r) => (r.observed.skippedChecks ?? []).length > 0),
      gcLeaks: results.some((r) => r.gcLeaks.length > 0),
      misuses: results.some((r) => r.report.misuses.some((m) => m.bufferId !== undefined)),
      siteFrames: groups.some((g) => g.siteFrame !== undefined),
      recordHints: buffers.some((b) => b.records.some((x) => x.hint !== undefined)),
      droppedRecords: buffers.some((b) => b.droppedRecords > 0),
      components: buffers.some((b) => b.components.length > 0),
      shards: reports.some((r) => r.shards !== null && r.shards.length === 2),
      unsharded: reports.some((r) => r.shards === null),
    };
    expect(Object.entries(covered).filter(([, yes]) => !yes)).toEqual([]);
  });

  describe('a wrong document is rejected, with the JSON path named', () => {
    const good = (): LeakTestsReport => produced.find((p) => p.source === 'golden unexpected-legacy-leak (stdout)')!.report;

    it('a missing field', () => {
      const doc = edited(good(), (d) => {
        delete (d.totals as Partial<LeakTestsReport['totals']>).failed;
      });
      expect(validate(doc)).toEqual(['$.totals: must have required property "failed"']);
    });

    it('a field of the wrong type', () => {
      const doc = edited(good(), (d) => {
        (d.results[0] as unknown as Record<string, unknown>)['passed'] = 'no';
      });
      expect(validate(doc)).toEqual(['$.results[0].passed: must be boolean']);
    });

    it('an extra field, deep in a leak report', () => {
      const doc = edited(good(), (d) => {
        (d.results[0]!.report.groups[0]!.buffers[0] as unknown as Record<string, unknown>)['owner'] = 'channel';
      });
      expect(validate(doc)).toEqual(['$.results[0].report.groups[0].buffers[0].owner: must NOT be there (not a property of this object)']);
    });

    it('another format or version', () => {
      expect(validate({ ...good(), format: 'jest-leak-summary' })).toEqual(['$.format: must be equal to constant']);
      expect(validate({ ...good(), version: 2 })).toEqual(['$.version: must be equal to constant']);
    });

    it('a value outside its set: a version, a level, a negative count', () => {
      const doc = edited(good(), (d) => {
        (d.versions as string[])[0] = 'patched';
        (d as { level: string }).level = 'paranoia';
        d.results[0]!.observed.leaks = -1;
      });
      expect(validate(doc)).toEqual([
        '$.level: must be equal to one of the allowed values',
        // A column is a built-in version or `<target>:<version>`: "patched" is neither.
        '$.versions[0]: must be equal to one of the allowed values',
        '$.versions[0]: must match pattern "^[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*$"',
        '$.versions[0]: must match a schema in anyOf',
        '$.results[0].observed.leaks: must be >= 0',
      ]);
    });
  });
});
