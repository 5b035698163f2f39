/**
 * `leak-tests --steps <module>` end to end: step types of the user's (fixtures in
 * test/scenarios/fixtures/steps/) checked with the scenario files before anything runs, and run
 * by the real engine in a child process.
 */
import { runScript, withoutProgress } from './cli';

/** Child processes on a slow shared machine. */
const TEST_TIMEOUT_MS = 120_000;

const FIXTURES = 'test/scenarios/fixtures/steps';
const MY_STEPS = `${FIXTURES}/my-steps.ts`;
const leakTests = (args: readonly string[]) => runScript('scripts/leak-tests.ts', args);

describe('leak-tests --steps', () => {
  it("runs the user's steps beside built-in ones; a failed user check fails the run at its step", async () => {
    const file = `${FIXTURES}/scenarios/user-steps.json`;
    const r = await leakTests(['--steps', MY_STEPS, '--scenario', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL user-steps [fixed] at ${file}:11\n  - step 3 (expectReadable) at ${file}:11: expected buf to have 11 readable bytes, got 10\n`);
    // Steps 1 and 2 (expectReadable 10, pollEmpty) passed: the one mismatch is step 3's.
    expect(r.stdout).not.toContain('step 1 (expectReadable)');
    expect(r.stdout).not.toContain('step 2 (pollEmpty)');
    expect(r.stdout.endsWith('leak-tests: 0 passed, 1 failed\n')).toBe(true);
  }, TEST_TIMEOUT_MS);

  it('files using them are checked like built-in ones: file, JSON path, line, "did you mean", before anything runs', async () => {
    const typo = `${FIXTURES}/typo/user-steps-typo.json`;
    const undef = `${FIXTURES}/undefined/user-steps-undefined.json`;
    const r = await leakTests(['--steps', MY_STEPS, '--scenario', typo, '--scenario', undef]);
    expect(r.code).toBe(2);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('  test/'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^  ${typo}: \\$\\.steps\\[0\\]\\.step \\(line 8\\): unknown step type "pollEmty" \\(did you mean "pollEmpty"\\?\\); expected one of: allocate, .*, expectReadable, pollEmpty$`));
    expect(lines.slice(1)).toEqual([
      `  ${typo}: $.steps[1] (line 9): missing required property "equals": an integer >= 0`,
      `  ${undef}: $.steps[1].of (line 9): undefined variable "bfu" (did you mean "buf"?); defined before this step: buf`,
    ]);
    expect(r.stdout).toContain('0 run(s) of 0 scenario(s)');
    // Without --steps the same step types are unknown.
    const without = await leakTests(['--scenario', `${FIXTURES}/scenarios`]);
    expect(without.code).toBe(2);
    expect(without.stdout).toContain(': $.steps[1].step (line 9): unknown step type "expectReadable"');
  }, TEST_TIMEOUT_MS);

  it('a steps module of the wrong shape or with a schema that does not compile is one line, exit 2, and the other modules still load', async () => {
    const r = await leakTests([
      '--steps', `${FIXTURES}/clashing-steps.ts`, '--steps', `${FIXTURES}/bad-schema-steps.ts`, '--steps', MY_STEPS,
      '--scenario', `${FIXTURES}/scenarios/user-steps.json`,
    ]);
    expect(r.code).toBe(2);
    const errors = withoutProgress(r.stderr).split('\n').filter((l) => l !== '');
    expect(errors).toEqual([
      `leak-tests: steps ${FIXTURES}/clashing-steps.ts: the default export is not a set of step types: close: a built-in step type has this name`,
      expect.stringMatching(new RegExp(`^leak-tests: steps ${FIXTURES}/bad-schema-steps\\.ts: a step type's JSON Schema does not compile: schema is invalid: data/\\$defs/step/oneOf/\\d+/properties/of/type must be equal to one of the allowed values`)),
    ]);
    // my-steps loaded: the scenario ran (and failed its planted check).
    expect(r.stdout).toContain('user-steps  baseline  0/0 FAIL');
  }, TEST_TIMEOUT_MS);
});
