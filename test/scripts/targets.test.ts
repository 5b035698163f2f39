/**
 * `leak-tests --target <module>` end to end: user channels defined with defineTarget (fixtures in
 * test/scenarios/fixtures/targets/), replayed by the real engine in a child process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LeakTestsReport } from '../../scripts/leak-tests/report';
import { ROOT, runScript, withoutProgress } from './cli';
import { schemaValidator } from '../schemas/validator';

const validateReport = schemaValidator('scripts/leak-tests/leak-tests-report.schema.json');

/** Child processes on a slow shared machine. */
const TEST_TIMEOUT_MS = 120_000;

const FIXTURES = 'test/scenarios/fixtures/targets';
const target = (name: string): string => `${FIXTURES}/${name}.ts`;
const leakTests = (args: readonly string[]) => runScript('scripts/leak-tests.ts', args);

/** The JSON report on stdout, checked against the report schema. */
function report(stdout: string): LeakTestsReport {
  const parsed = JSON.parse(stdout) as LeakTestsReport;
  expect(validateReport(parsed)).toEqual([]);
  return parsed;
}

/** The built-in scenario files, parsed. */
function builtinScenarios(): Array<{ name: string; channel: string; expected: Record<string, unknown> }> {
  const dir = path.join(ROOT, 'scenarios', 'cases');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { name: string; channel: string; expected: Record<string, unknown> });
}

/** 1-based line of the first line of `file` (relative to the root) that contains `text`. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(path.join(ROOT, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} not in ${file}`);
  return i + 1;
}

// The five bug scenarios by file, so that scenarios added later do not change what these tests count.
const BUG_FILES = ['bytebuffer-vs-bytebuf', 'multiple-bytebuffer-writes', 'write-bytebuffer-normal-flow', 'write-bytebuffer-then-close', 'write-bytebuffer-to-closed-channel'].map(
  (n) => `scenarios/cases/bug/${n}.json`,
);

describe('leak-tests --target', () => {
  it('a channel that keeps its wrappers after resolution fails the bug scenarios that resolve a ByteBuffer write, with the site at its own file and line', async () => {
    const r = await leakTests(['--target', target('leaky-channel'), ...BUG_FILES.flatMap((f) => ['--scenario', f]), '--format', 'json']);
    expect(r.code).toBe(1);
    const rep = report(r.stdout);
    expect(rep.versions).toEqual(['leaky-channel:main']);
    expect(rep.targets).toEqual([{ name: 'leaky-channel', module: target('leaky-channel'), channel: 'bbawc', versions: ['main'] }]);
    expect(rep.targetErrors).toEqual([]);
    const site = `SimpleChannel.write (${FIXTURES}/simple-channel.ts:${lineOf(`${FIXTURES}/simple-channel.ts`, 'Unpooled.wrappedBuffer(src)')}:32)`;
    expect(rep.results.map((x) => [x.scenario, x.version, x.target, x.passed, x.observed.leaks, x.report.groups.map((g) => g.site)])).toEqual([
      ['bytebuffer-vs-bytebuf', 'leaky-channel:main', 'leaky-channel', false, 1, [site]],
      ['multiple-bytebuffer-writes', 'leaky-channel:main', 'leaky-channel', false, 3, [site]],
      ['write-bytebuffer-normal-flow', 'leaky-channel:main', 'leaky-channel', false, 1, [site]],
      // Its close and closed-write paths do release: these two pass.
      ['write-bytebuffer-then-close', 'leaky-channel:main', 'leaky-channel', true, 0, []],
      ['write-bytebuffer-to-closed-channel', 'leaky-channel:main', 'leaky-channel', true, 0, []],
    ]);
    expect(rep.results[2]!.mismatches).toEqual(['leaks: expected 0, observed 1 (100 byte(s))']);
  }, TEST_TIMEOUT_MS);

  it('the text matrix has one column per target version, and the failure names the run by target and the site', async () => {
    const r = await leakTests(['--target', target('leaky-channel'), '--scenario', BUG_FILES[2]!]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'scenario                      kind  leaky-channel:main',
      '----------------------------  ----  ------------------',
      'write-bytebuffer-normal-flow  bug   0/1 FAIL',
    ]);
    expect(r.stdout).toContain(`FAIL write-bytebuffer-normal-flow [leaky-channel:main] at ${BUG_FILES[2]}:14\n  - leaks: expected 0, observed 1 (100 byte(s))\n`);
    expect(r.stdout).toContain(`created at SimpleChannel.write (${FIXTURES}/simple-channel.ts:${lineOf(`${FIXTURES}/simple-channel.ts`, 'Unpooled.wrappedBuffer(src)')}:32)`);
    expect(r.stdout.endsWith('leak-tests: 0 passed, 1 failed\n')).toBe(true);
  }, TEST_TIMEOUT_MS);

  it('a correct channel passes every bbawc scenario judged as fixed; channel-less scenarios run once against the built-in versions', async () => {
    const r = await leakTests(['--target', target('correct-channel'), '--format', 'json']);
    expect(r.code).toBe(0);
    const rep = report(r.stdout);
    const scenarios = builtinScenarios();
    const bbawc = scenarios.filter((s) => s.channel === 'bbawc' && s.expected['fixed'] !== undefined).map((s) => s.name).sort();
    const onTarget = rep.results.filter((x) => x.target === 'correct-channel');
    expect(onTarget.map((x) => x.scenario).sort()).toEqual(bbawc);
    expect(onTarget.every((x) => x.passed && x.version === 'correct-channel:main')).toBe(true);
    // rawc scenarios need a rawc target: none ran. Channel-less ones ran as without --target.
    const channelless = scenarios.filter((s) => s.channel === 'none');
    const others = rep.results.filter((x) => x.target === undefined);
    expect(others.length).toBe(channelless.reduce((n, s) => n + Object.keys(s.expected).length, 0));
    expect(new Set(others.map((x) => x.scenario))).toEqual(new Set(channelless.map((s) => s.name)));
    expect(rep.versions).toEqual(['fixed', 'legacy', 'regression', 'correct-channel:main']);
    expect(rep.totals.failed).toBe(0);
  }, TEST_TIMEOUT_MS);

  it('a channel that acknowledges a write twice is reported as such: the write acknowledged 2 times, and the callback count check', async () => {
    const r = await leakTests(['--target', target('double-ack-channel'), '--scenario', BUG_FILES[2]!, '--format', 'json']);
    expect(r.code).toBe(1);
    const [only] = report(r.stdout).results;
    expect(only!.observed.doubleAcknowledgedWrites).toBe(1);
    expect(only!.observed.unacknowledgedWrites).toBe(0);
    expect(only!.mismatches).toEqual([
      `write "w" of step 1 (write) at ${BUG_FILES[2]}:14 was acknowledged 2 times`,
      `step 8 (expectCallback) at ${BUG_FILES[2]}:21: expected the callback of write "w" to have been called 1 time(s), got 2`,
    ]);
  }, TEST_TIMEOUT_MS);

  it('broken target modules are one line each on stderr and in the report, exit 2, and the other targets still run', async () => {
    const args = ['throws-on-load', 'wrong-shape', 'factory-throws', 'no-such-target', 'correct-channel'].flatMap((n) => ['--target', target(n)]);
    const r = await leakTests([...args, '--scenario', BUG_FILES[2]!]);
    expect(r.code).toBe(2);
    const errors = [
      `target ${target('throws-on-load')}: the module failed to load (Error: cannot reach the channel config)`,
      `target ${target('wrong-shape')}: the default export is not a target: versions.main.create: expected a function (options) => channel, got number`,
      `target ${target('factory-throws')}: version "main": create() threw Error: no connection`,
      `target ${target('no-such-target')}: no such file`,
    ];
    expect(withoutProgress(r.stderr)).toBe(errors.map((e) => `leak-tests: ${e}\n`).join(''));
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'scenario                      kind  correct-channel:main',
      '----------------------------  ----  --------------------',
      'write-bytebuffer-normal-flow  bug   0/0 ok',
    ]);
    expect(r.stdout).toContain(`\nModules that failed to load (4; --target, --steps; the others ran; exit code 2):\n${errors.map((e) => `  ${e}\n`).join('')}\n`);
    expect(r.stdout.endsWith('leak-tests: 1 passed, 0 failed\n')).toBe(true);
  }, TEST_TIMEOUT_MS);

  it('a factory that throws inside a replay fails that replay with the error, and the next replay runs', async () => {
    const r = await leakTests(['--target', target('flaky-factory'), '--scenario', BUG_FILES[2]!, '--scenario', BUG_FILES[3]!, '--format', 'json']);
    expect(r.code).toBe(1);
    const rep = report(r.stdout);
    expect(rep.results.map((x) => [x.scenario, x.passed, x.observed.error])).toEqual([
      ['write-bytebuffer-normal-flow', false, `channel set-up at ${BUG_FILES[2]}: threw Error: out of connections (call 2)`],
      ['write-bytebuffer-then-close', false, `channel set-up at ${BUG_FILES[3]}: threw Error: out of connections (call 3)`],
    ]);
  }, TEST_TIMEOUT_MS);

  it("scenario files may name the versions a loaded target declares, judged by them or by the version's own expectations", async () => {
    const r = await leakTests(['--target', target('versioned-channel'), '--scenario', `${FIXTURES}/scenarios`, '--format', 'json']);
    expect(r.code).toBe(0);
    const rep = report(r.stdout);
    expect(rep.versions).toEqual(['versioned:strict', 'versioned:lenient']);
    expect(rep.results.map((x) => [x.version, x.expected, x.observed.leaks, x.passed])).toEqual([
      ['versioned:strict', { leaks: 0, overReleases: 0 }, 0, true],
      ['versioned:lenient', { leaks: 1, overReleases: 0 }, 1, true],
    ]);
  }, TEST_TIMEOUT_MS);

  it('an expectation key no loaded target declares is a malformed file naming the declared versions, with "did you mean"', async () => {
    const file = `${FIXTURES}/scenarios-typo/strikt.json`;
    const withTarget = await leakTests(['--target', target('versioned-channel'), '--scenario', file]);
    expect(withTarget.code).toBe(2);
    expect(withTarget.stdout).toContain(
      `  ${file}: $.expected.strikt (line 7): unknown property "strikt" (did you mean "strict"?); expected one of: legacy, regression, fixed, strict, lenient\n`,
    );
    // Without the target, its own version names are unknown too.
    const without = await leakTests(['--scenario', `${FIXTURES}/scenarios`]);
    expect(without.code).toBe(2);
    expect(without.stdout).toContain(`: $.expected.strict (line 7): unknown property "strict"; expected one of: legacy, regression, fixed\n`);
  }, TEST_TIMEOUT_MS);
});
