/**
 * The same leaking fixture under vitest, node:test and mocha fails with the same message: the
 * message comes from the core only. Compared after removing each runner's framing (its prefix and
 * indentation, and the quoted frame of its own fixture file, which differs by construction).
 */
import { FIXTURE_FILES, FIRST_LINE, RUNNERS, runNode, sanitizerMessages } from '../node-test/runFixture';

const firstMessage: Partial<Record<keyof typeof RUNNERS, string>> = {};

beforeAll(async () => {
  for (const runner of Object.keys(RUNNERS) as (keyof typeof RUNNERS)[]) {
    const run = await runNode(RUNNERS[runner]);
    firstMessage[runner] = sanitizerMessages(run.output, FIXTURE_FILES[runner])[0];
  }
}, 120_000);

test("the leaking test's message is the same text under every runner", () => {
  const vitest = firstMessage.vitest;
  expect(vitest?.startsWith(`${FIRST_LINE}\n`)).toBe(true);
  expect(vitest!.split('\n').length).toBeGreaterThan(6);
  expect(firstMessage['node:test']).toBe(vitest);
  expect(firstMessage.mocha).toBe(vitest);
});
