/**
 * `call` steps naming a function of a user's module (`"module"` relative to the scenario file):
 * the module is loaded and the export checked before anything runs, a fault is the scenario file's
 * (JSON path, line), and the function's buffers are judged like any other. Fixtures in
 * test/scenarios/fixtures/call/, replayed by the real engine in a child process.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LeakTestsReport } from '../../scripts/leak-tests/report';
import { ROOT, runScript } from './cli';

/** Child processes on a slow shared machine. */
const TEST_TIMEOUT_MS = 120_000;

const DIR = 'test/scenarios/fixtures/call';
const leakTests = (args: readonly string[]) => runScript('scripts/leak-tests.ts', args);

/** 1-based line of the first line of `file` (relative to the root) that contains `text`. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(path.join(ROOT, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} not in ${file}`);
  return i + 1;
}

describe('call: a function of a module of the user', () => {
  it('a function that drops a wrapper is one leak at its own file and line, under every version; one that returns a buffer defines it (awaited, with args)', async () => {
    const r = await leakTests(['--scenario', `${DIR}/dropped.json`, '--scenario', `${DIR}/returned.json`, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as LeakTestsReport;
    expect(report.loadErrors).toEqual([]);
    const site = `dropWrapper (${DIR}/helpers.ts:${lineOf(`${DIR}/helpers.ts`, 'Unpooled.wrappedBuffer(source)')}:12)`;
    expect(report.results.map((x) => [x.scenario, x.version, x.passed, x.observed.leaks, x.report.groups.map((g) => g.site)])).toEqual([
      ['call-user-returns-buffer', 'fixed', true, 0, []],
      ['call-user-drops-wrapper', 'fixed', true, 1, [site]],
      ['call-user-drops-wrapper', 'legacy', true, 1, [site]],
      ['call-user-drops-wrapper', 'regression', true, 1, [site]],
    ]);
  }, TEST_TIMEOUT_MS);

  it('a missing module, a module that throws, a misspelt export and one that is no function are faults of their files before anything runs (exit 2); the other files run', async () => {
    const r = await leakTests(['--scenario', `${DIR}/bad`, '--scenario', `${DIR}/dropped.json`, '--format', 'json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as LeakTestsReport;
    const abs = (f: string): string => path.join(ROOT, DIR, f);
    expect(report.loadErrors).toEqual([
      {
        file: `${DIR}/bad/load-throws.json`,
        jsonPath: '$.steps[0].module',
        line: 8,
        message: `cannot use module "../throws-on-load.ts" (${abs('throws-on-load.ts')}): the module failed to load (Error: helpers are not configured)`,
      },
      { file: `${DIR}/bad/missing-module.json`, jsonPath: '$.steps[0].module', line: 8, message: `cannot use module "./nowhere.ts" (${abs('bad/nowhere.ts')}): no such file` },
      {
        file: `${DIR}/bad/misspelt.json`,
        jsonPath: '$.steps[1].function',
        line: 9,
        message: 'module "../helpers.ts" has no export "dropWraper" (did you mean "dropWrapper"?); its function exports: consume, dropWrapper, makeFilled, returnsNumber',
      },
      { file: `${DIR}/bad/misspelt.json`, jsonPath: '$.steps[2].function', line: 10, message: 'export "notAFunction" of module "../helpers.ts" is a number, not a function' },
    ]);
    // Only the sound files ran: the faulty ones never started a replay.
    expect(report.results.map((x) => [x.scenario, x.version, x.passed, x.mismatches])).toEqual([
      [
        'call-result-not-a-buffer',
        'fixed',
        false,
        [`error: step 0 (call) at ${DIR}/bad/not-a-buffer.json:8: function "returnsNumber" of module "../helpers.ts" returned a number, but "as" ("buf") names a ByteBuf`],
      ],
      ['call-user-drops-wrapper', 'fixed', true, []],
      ['call-user-drops-wrapper', 'legacy', true, []],
      ['call-user-drops-wrapper', 'regression', true, []],
    ]);
  }, TEST_TIMEOUT_MS);
});
